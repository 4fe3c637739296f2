import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { ALL_SCOPES } from '../src/access/scopes.js';
import { createMcpToken } from '../src/auth/tokens.js';
import { openDatabase, type Database, type Db } from '../src/db/index.js';
import { migrate } from '../src/db/migrate.js';
import { seed } from '../src/fixtures/seed.js';
import { adminUrl } from '../test/support/postgres.js';
import { BENCH_EMAIL, BENCH_TEAM, benchFixture } from './fixture.js';
import { SOURCE_ENV } from './servers/source.js';

export interface BenchData {
  engine: 'postgres' | 'pglite';
  /** Where the data is, as shown in the report. */
  where: string;
  /** Tells a server child how to reach the data (see servers/source.ts). */
  childEnv: Record<string, string>;
  /** A Settings → MCP token with every scope, for the bench user. */
  token: string;
  teamId: number;
  drop(): Promise<void>;
}

/** A fresh database, migrated from scratch and seeded: PostgreSQL when DATABASE_URL is set, else PGlite. */
export function prepareBenchData(sites: number): Promise<BenchData> {
  return process.env.DATABASE_URL ? preparePostgres(sites) : preparePglite(sites);
}

async function populate(database: Database, sites: number) {
  await migrate(database);
  const ids = await seed(database.db, benchFixture(sites));
  const token = await mintToken(database.db, ids.users[BENCH_EMAIL]!);
  return { token, teamId: ids.teams[BENCH_TEAM]! };
}

const mintToken = async (db: Db, userId: number) =>
  (await createMcpToken(db, { userId, name: 'bench', scopes: ALL_SCOPES })).secret;

async function preparePostgres(sites: number): Promise<BenchData> {
  const name = `sitepulse_bench_${randomBytes(6).toString('hex')}`;
  const admin = await openDatabase({ databaseUrl: adminUrl(), poolSize: 1 });
  const drop = async () => {
    await admin.raw((s) => s.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    await admin.close();
  };
  try {
    await admin.raw((s) => s.exec(`CREATE DATABASE ${name}`));
    const database = await openDatabase({ databaseUrl: adminUrl(name), poolSize: 1 });
    const { token, teamId } = await populate(database, sites).finally(() => database.close());
    return { engine: 'postgres', where: `PostgreSQL database ${name}`, childEnv: { [SOURCE_ENV.databaseUrl]: adminUrl(name) }, token, teamId, drop };
  } catch (err) {
    await drop();
    throw err;
  }
}

async function preparePglite(sites: number): Promise<BenchData> {
  const dir = await mkdtemp(join(tmpdir(), 'sitepulse-bench-'));
  const drop = () => rm(dir, { recursive: true, force: true });
  try {
    const lite = await PGlite.create();
    const database = await openDatabase({ pglite: lite });
    const { token, teamId } = await populate(database, sites);
    const dump = join(dir, 'data.tar.gz');
    await writeFile(dump, Buffer.from(await (await lite.dumpDataDir('gzip')).arrayBuffer()));
    await database.close();
    return { engine: 'pglite', where: 'PGlite, an in-memory copy per server', childEnv: { [SOURCE_ENV.pgliteDump]: dump }, token, teamId, drop };
  } catch (err) {
    await drop();
    throw err;
  }
}
