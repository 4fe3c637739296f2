import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/db/index.js';
import { migrate } from '../src/db/migrate.js';
import { seed } from '../src/fixtures/seed.js';
import { createMcpToken } from '../src/auth/tokens.js';
import { ALL_SCOPES } from '../src/access/scopes.js';
import { median, round, type Round, type Scenario } from './load.js';

/**
 * `npm run bench`: an authenticated SitePulse list_sites against two baselines measured in the same run —
 * the SDK's stateless example shape and plain express + pg doing the same data work. Each server runs in
 * its own process on 127.0.0.1; rounds are interleaved across servers so drift hits them all alike.
 * Needs PostgreSQL: DATABASE_URL, or the local server at postgres://postgres@127.0.0.1:5432/postgres.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CONNECTIONS = 10;
const SITES = 100;

const adminUrl = new URL(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres');
const dbName = `sitepulse_bench_${randomBytes(4).toString('hex')}`;
const benchUrl = new URL(adminUrl);
benchUrl.pathname = `/${dbName}`;
const children: ChildProcess[] = [];

function start(file: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(`servers/${file}`, import.meta.url))], {
    env: { ...process.env, DATABASE_URL: benchUrl.toString() },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      const port = /PORT (\d+)/.exec(d.toString())?.[1];
      if (port) resolve(`http://127.0.0.1:${port}`);
    });
    child.on('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
}

async function prepare(): Promise<{ token: string; teamId: number }> {
  const admin = await openDatabase({ databaseUrl: adminUrl.toString(), poolSize: 1 });
  await admin.raw((s) => s.exec(`CREATE DATABASE ${dbName}`));
  await admin.close();
  const database = await openDatabase({ databaseUrl: benchUrl.toString(), poolSize: 1 });
  await migrate(database);
  const ids = await seed(database.db, {
    users: [{ email: 'bench@bench.test', name: 'Bench' }],
    teams: [
      {
        key: 'bench',
        name: 'Bench',
        plan: 'business',
        members: [{ email: 'bench@bench.test', role: 'owner' }],
        sites: Array.from({ length: SITES }, (_, i) => ({ key: `s${i}`, name: `Site ${i}`, url: `https://s${i}.bench.test`, status: 'up' as const })),
      },
    ],
  });
  const { secret } = await createMcpToken(database.db, { userId: ids.users['bench@bench.test']!, name: 'bench', scopes: ALL_SCOPES });
  await database.close();
  return { token: secret, teamId: ids.teams.bench! };
}

async function cleanup() {
  for (const c of children) c.kill('SIGTERM');
  const admin = await openDatabase({ databaseUrl: adminUrl.toString(), poolSize: 1 });
  await admin.raw((s) => s.exec(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
  await admin.close();
}

const rpc = (method: string, params: unknown) => JSON.stringify({ jsonrpc: '2.0', id: 1, method, params });
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

async function main() {
  const { token, teamId } = await prepare();
  const [sitepulse, bare, plain] = await Promise.all([start('sitepulse.ts'), start('bareSdk.ts'), start('expressPg.ts')]);
  const auth = { authorization: `Bearer ${token}` };
  const listSites = rpc('tools/call', { name: 'list_sites', arguments: { team_id: teamId, limit: 25 } });
  const scenarios: Scenario[] = [
    { name: 'SitePulse list_sites (authenticated)', url: `${sitepulse}/mcp`, headers: { ...MCP_HEADERS, ...auth }, body: listSites },
    { name: 'bare SDK stateless list_sites (no auth, no db)', url: `${bare}/mcp`, headers: MCP_HEADERS, body: listSites },
    { name: 'express + pg: token + 25 sites', url: `${plain}/sites`, headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify({ team_id: teamId }) },
    { name: 'SitePulse tools/list', url: `${sitepulse}/mcp`, headers: { ...MCP_HEADERS, ...auth }, body: rpc('tools/list', {}) },
    { name: 'SitePulse whoami', url: `${sitepulse}/mcp`, headers: { ...MCP_HEADERS, ...auth }, body: rpc('tools/call', { name: 'whoami', arguments: {} }) },
  ];
  for (const s of scenarios) await round(s, { connections: CONNECTIONS, seconds: 1 }); // warm-up, discarded
  const rounds = new Map<string, Round[]>(scenarios.map((s) => [s.name, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const s of scenarios) rounds.get(s.name)!.push(await round(s, { connections: CONNECTIONS, seconds: SECONDS }));
  }
  const rows = scenarios.map((s) => {
    const rs = rounds.get(s.name)!;
    return { scenario: s.name, rps: median(rs.map((r) => r.rps)), p50_ms: median(rs.map((r) => r.p50)), p99_ms: median(rs.map((r) => r.p99)) };
  });
  const rps = (i: number) => rows[i]!.rps;
  const ratios = { 'list_sites ÷ bare SDK': rps(0) / rps(1), 'list_sites ÷ express+pg': rps(0) / rps(2) };
  console.log(`\nPostgreSQL, ${CONNECTIONS} connections, median of ${ROUNDS} interleaved rounds of ${SECONDS} s, ${SITES} sites, page of 25\n`);
  console.table(rows.map((r) => ({ ...r, rps: Math.round(r.rps) })));
  for (const [k, v] of Object.entries(ratios)) console.log(`${k}: ${v.toFixed(2)}×`);
  await writeFile(new URL('results.json', import.meta.url), JSON.stringify({ at: new Date().toISOString(), rounds: ROUNDS, seconds: SECONDS, connections: CONNECTIONS, rows, ratios }, null, 2));
}

process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
main()
  .then(cleanup, async (err) => {
    console.error(err);
    await cleanup();
    process.exitCode = 1;
  })
  .then(() => process.exit());
