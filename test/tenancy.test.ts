import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { startServer, type TestServer } from './support/server.js';
import { connect } from './support/client.js';
import type { SeedResult } from '../src/fixtures/seed.js';
import { ALL_SCOPES } from '../src/access/scopes.js';

/** Another team's ids answer exactly as ids that do not exist: same status, code, message, bytes. */

let server: TestServer;
let ids: SeedResult;
let client: Client;

const team = (key: string, email: string) => ({
  key,
  name: key,
  plan: 'pro' as const,
  members: [{ email, role: 'owner' as const }],
  sites: [
    {
      key: 's',
      name: `${key} site`,
      url: `https://${key}.test`,
      check_runs: [{ check_type: 'uptime' as const, trigger: 'manual' as const, status: 'failed' as const, finished_at: '2026-11-01T10:00:00Z' }],
      issues: [{ check_type: 'uptime' as const, severity: 'critical' as const, status: 'open' as const, title: 'Down' }],
    },
  ],
});

beforeAll(async () => {
  server = await startServer();
  ids = await server.seed({
    users: [
      { email: 'mine@a.test', name: 'Mine' },
      { email: 'theirs@b.test', name: 'Theirs' },
    ],
    teams: [team('mine', 'mine@a.test'), team('theirs', 'theirs@b.test')],
  });
  client = await connect(server.mcpUrl, await server.token(ids.users['mine@a.test']!, ALL_SCOPES));
});
afterAll(async () => {
  await client?.close();
  await server?.close();
});

const MISSING = 2_000_000_000;

test.each([
  ['get_site', 'site_id', 'sites', 'theirs/s'],
  ['update_site', 'site_id', 'sites', 'theirs/s'],
  ['delete_site', 'site_id', 'sites', 'theirs/s'],
  ['run_check', 'site_id', 'sites', 'theirs/s'],
  ['list_check_runs', 'site_id', 'sites', 'theirs/s'],
  ['get_issues', 'site_id', 'sites', 'theirs/s'],
  ['get_check_run', 'check_run_id', 'check_runs', 'theirs/s/0'],
  ['delete_check_run', 'check_run_id', 'check_runs', 'theirs/s/0'],
  ['get_issue', 'issue_id', 'issues', 'theirs/s/0'],
  ['get_team', 'team_id', 'teams', 'theirs'],
  ['list_sites', 'team_id', 'teams', 'theirs'],
] as const)('%s with another tenant’s %s answers like a missing one', async (tool, arg, kind, key) => {
  const theirs = ids[kind][key]!;
  const foreign = await client.callTool({ name: tool, arguments: { [arg]: theirs } });
  const missing = await client.callTool({ name: tool, arguments: { [arg]: MISSING } });
  expect(foreign.isError).toBe(true);
  expect((foreign.structuredContent as any).error).toMatchObject({ status: 404, code: 'not_found' });
  // Identical but for the id the caller sent.
  expect(JSON.stringify(foreign).replaceAll(String(theirs), 'ID')).toBe(JSON.stringify(missing).replaceAll(String(MISSING), 'ID'));
});

test('their data is untouched by my attempts', async () => {
  const db = server.database.db;
  expect(await db.selectFrom('sites').select('id').where('id', '=', ids.sites['theirs/s']!).executeTakeFirst()).toBeDefined();
  expect(await db.selectFrom('check_runs').select('id').where('id', '=', ids.check_runs['theirs/s/0']!).executeTakeFirst()).toBeDefined();
  const queued = await db.selectFrom('check_runs').select('id').where('site_id', '=', ids.sites['theirs/s']!).execute();
  expect(queued).toHaveLength(1);
});

test('team_id of my team with a site of theirs is still not found', async () => {
  const res = await client.callTool({ name: 'list_check_runs', arguments: { team_id: ids.teams.mine, site_id: ids.sites['theirs/s'] } });
  expect((res.structuredContent as any).error.code).toBe('not_found');
  const mixed = await client.callTool({ name: 'get_issues', arguments: { team_id: ids.teams.theirs, site_id: ids.sites['mine/s'] } });
  expect((mixed.structuredContent as any).error.code).toBe('not_found');
});
