import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/db/index.js';
import { TEMPLATE_DB, adminUrl } from './postgres.js';

export const onPostgres = Boolean(process.env.DATABASE_URL);

export interface TestDatabase extends Database {
  /** PostgreSQL only: where another pool (another instance, another runner) can connect. */
  url?: string;
}

/** A migrated, empty database of its own: a PGlite copy in memory, or a new PostgreSQL database. */
export async function freshDatabase(): Promise<TestDatabase> {
  if (!onPostgres) {
    const dump = await readFile(inject('pgliteTemplate'));
    return openDatabase({ pglite: await PGlite.create({ loadDataDir: new Blob([new Uint8Array(dump)]) }) });
  }
  const name = `sitepulse_test_${randomBytes(6).toString('hex')}`;
  const admin = await openDatabase({ databaseUrl: adminUrl(), poolSize: 1 });
  await admin.raw((s) => s.exec(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`));
  const database = await openDatabase({ databaseUrl: adminUrl(name) });
  return {
    ...database,
    url: adminUrl(name),
    close: async () => {
      await database.close();
      await admin.raw((s) => s.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      await admin.close();
    },
  };
}
