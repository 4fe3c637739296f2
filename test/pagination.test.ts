import { afterAll, beforeAll, expect, test } from 'vitest';
import { startServer, type TestServer } from './support/server.js';
import { connect } from './support/client.js';

let server: TestServer;
let teamId: number;
let token: string;

beforeAll(async () => {
  server = await startServer();
  const ids = await server.seed({
    users: [{ email: 'big@corp.test', name: 'Big' }],
    teams: [{ key: 'corp', name: 'Corp', plan: 'business', members: [{ email: 'big@corp.test', role: 'viewer' }] }],
  });
  teamId = ids.teams.corp!;
  // 500 sites with a gap in the middle ids (another team's), so pages cannot rely on consecutive ids.
  const rows = Array.from({ length: 500 }, (_, i) => ({ team_id: teamId, name: `Site ${i}`, url: `https://s${i}.corp.test`, status: i % 7 === 0 ? 'down' : 'up' }) as const);
  await server.database.db.insertInto('sites').values(rows).execute();
  token = await server.token(ids.users['big@corp.test']!, ['sites:read']);
});
afterAll(() => server?.close());

test('walking every page of a 500-site team returns each site once, in order', async () => {
  const client = await connect(server.mcpUrl, token);
  const seen: number[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const res = await client.callTool({ name: 'list_sites', arguments: { team_id: teamId, limit: 37, ...(cursor && { cursor }) } });
    const body = res.structuredContent as { sites: { id: number }[]; next_cursor: string | null };
    seen.push(...body.sites.map((s) => s.id));
    cursor = body.next_cursor ?? undefined;
    pages++;
  } while (cursor);
  await client.close();
  expect(pages).toBe(Math.ceil(500 / 37));
  expect(seen).toHaveLength(500);
  expect(new Set(seen).size).toBe(500);
  expect(seen).toEqual([...seen].sort((a, b) => a - b));
});

test('filters page too, and the default page is 25', async () => {
  const client = await connect(server.mcpUrl, token);
  const first = (await client.callTool({ name: 'list_sites', arguments: { status: 'down' } })).structuredContent as any;
  expect(first.sites).toHaveLength(25);
  expect(first.sites.every((s: any) => s.status === 'down')).toBe(true);
  const second = (await client.callTool({ name: 'list_sites', arguments: { status: 'down', cursor: first.next_cursor, limit: 100 } })).structuredContent as any;
  expect(25 + second.sites.length).toBe(Math.ceil(500 / 7));
  expect(second.next_cursor).toBeNull();
  await client.close();
});

test.each([
  ['sites of a team', 'SELECT * FROM sites WHERE team_id = 1 AND id > 250 ORDER BY id LIMIT 26'],
  ['sites of a team by status', "SELECT * FROM sites WHERE team_id = 1 AND status = 'down' AND id > 250 ORDER BY id LIMIT 26"],
  ['runs of a team', 'SELECT * FROM check_runs WHERE team_id = 1 AND id < 250 ORDER BY id DESC LIMIT 26'],
  ['runs of a site', 'SELECT * FROM check_runs WHERE team_id = 1 AND site_id = 3 AND id < 250 ORDER BY id DESC LIMIT 26'],
  ['issues of a team', 'SELECT * FROM issues WHERE team_id = 1 AND id < 250 ORDER BY id DESC LIMIT 26'],
  ['issues of a site', 'SELECT * FROM issues WHERE team_id = 1 AND site_id = 3 AND id < 250 ORDER BY id DESC LIMIT 26'],
])('%s: an index scan in key order, no sort, no offset', async (_what, query) => {
  // With sequential scans priced out, the plan shows whether an index serves filter and order together.
  const plan = await server.database.raw(async (s) => {
    await s.exec('SET enable_seqscan = off');
    try {
      return (await s.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${query}`)).map((r) => r['QUERY PLAN']).join('\n');
    } finally {
      await s.exec('RESET enable_seqscan');
    }
  });
  expect(plan).toMatch(/Index Scan/);
  expect(plan).not.toMatch(/Sort|Bitmap/);
});
