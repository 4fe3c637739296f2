import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { sql } from 'kysely';
import { startServer, type TestServer } from './support/server.js';
import { connect } from './support/client.js';
import type { SeedResult } from '../src/fixtures/seed.js';
import { ALL_SCOPES } from '../src/access/scopes.js';

/** What each tool does, through the SDK client, on the real app and database. */

let server: TestServer;
let ids: SeedResult;
let owner: Client;
let solo: Client;
const logs: string[] = [];

const ok = async (client: Client, name: string, args: Record<string, unknown> = {}) => {
  const res = await client.callTool({ name, arguments: args });
  if (res.isError) throw new Error(`${name} failed: ${JSON.stringify(res.structuredContent)}`);
  expect((res.content as { text: string }[])[0]!.text.length).toBeGreaterThan(0);
  return res.structuredContent as any;
};
const fails = async (client: Client, name: string, args: Record<string, unknown> = {}) => {
  const res = await client.callTool({ name, arguments: args });
  expect(res.isError).toBe(true);
  const error = (res.structuredContent as any).error;
  expect((res.content as { text: string }[])[0]!.text).toBe(error.message);
  return error;
};

beforeAll(async () => {
  server = await startServer({}, logs);
  ids = await server.seed({
    users: [
      { email: 'olive@acme.test', name: 'Olive' },
      { email: 'sam@solo.test', name: 'Sam' },
    ],
    teams: [
      {
        key: 'acme',
        name: 'Acme',
        plan: 'starter',
        members: [{ email: 'olive@acme.test', role: 'owner' }],
        sites: [
          {
            key: 'home',
            name: 'Acme home',
            url: 'https://acme.test',
            check_runs: [
              { check_type: 'uptime', trigger: 'scheduled', status: 'failed', finished_at: '2026-11-01T10:00:00Z', http_status: 503, response_time_ms: 812 },
              { check_type: 'certificate', trigger: 'manual', status: 'warning', finished_at: '2026-11-02T10:00:00Z', summary: 'Expires in 9 days' },
            ],
            issues: [
              { check_type: 'uptime', severity: 'critical', status: 'open', title: 'Site down', opened_at: '2026-11-01T10:00:00Z' },
              { check_type: 'certificate', severity: 'warning', status: 'resolved', title: 'Cert', opened_at: '2026-10-01T10:00:00Z', resolved_at: '2026-10-02T10:00:00Z' },
            ],
          },
        ],
      },
      { key: 'beta', name: 'Beta', plan: 'pro', members: [{ email: 'olive@acme.test', role: 'viewer' }] },
      { key: 'solo', name: 'Solo', plan: 'pro', members: [{ email: 'sam@solo.test', role: 'owner' }] },
    ],
  });
  owner = await connect(server.mcpUrl, await server.token(ids.users['olive@acme.test']!, ALL_SCOPES));
  solo = await connect(server.mcpUrl, await server.token(ids.users['sam@solo.test']!, ALL_SCOPES));
});
afterAll(async () => {
  await owner?.close();
  await solo?.close();
  await server?.close();
});

describe('account and teams', () => {
  test('whoami tells who, which token and which teams', async () => {
    const me = await ok(owner, 'whoami');
    expect(me.user).toMatchObject({ email: 'olive@acme.test', email_verified: true });
    expect(me.token).toMatchObject({ kind: 'mcp', scopes: ALL_SCOPES });
    expect(me.teams.map((t: any) => [t.name, t.role, t.plan_access])).toEqual([['Acme', 'owner', true], ['Beta', 'viewer', true]]);
  });

  test('team_id may be omitted only by a member of exactly one team', async () => {
    expect((await ok(solo, 'list_sites')).sites).toEqual([]);
    const error = await fails(owner, 'list_sites');
    expect(error).toMatchObject({ status: 422, code: 'validation_failed' });
    expect(error.message).toContain(`${ids.teams.acme} (Acme)`);
    expect(error.details.teams).toHaveLength(2);
  });

  test('list_teams pages through memberships', async () => {
    const first = await ok(owner, 'list_teams', { limit: 1 });
    expect(first.teams.map((t: any) => t.name)).toEqual(['Acme']);
    const second = await ok(owner, 'list_teams', { limit: 1, cursor: first.next_cursor });
    expect(second.teams.map((t: any) => t.name)).toEqual(['Beta']);
    expect(second.next_cursor).toBeNull();
  });

  test('get_team shows limits, usage and defaults', async () => {
    const { team } = await ok(owner, 'get_team', { team_id: ids.teams.acme });
    expect(team.plan).toMatchObject({ code: 'starter', max_sites: 5, min_interval_s: 300, manual_runs_per_hour: 10 });
    expect(team.usage.sites).toBe(1);
    expect(team.monitoring_defaults).toMatchObject({ interval_s: 300, timeout_ms: 10000, failure_threshold: 2, escalation: [] });
  });

  test('monitoring defaults: plan minimum, escalation targets, then a saved change', async () => {
    const acme = ids.teams.acme;
    expect(await fails(owner, 'update_team_monitoring_defaults', { team_id: acme, interval_s: 60 })).toMatchObject({ status: 422, code: 'plan_limit_exceeded' });
    const bad = await fails(owner, 'update_team_monitoring_defaults', { team_id: acme, escalation: [{ after_minutes: 5, channel: 'sms', target: 'call me' }] });
    expect(bad.details.fields['escalation.0.target']).toMatch(/E\.164/);
    const unordered = [
      { after_minutes: 30, channel: 'email', target: 'a@acme.test' },
      { after_minutes: 5, channel: 'email', target: 'b@acme.test' },
    ];
    expect((await fails(owner, 'update_team_monitoring_defaults', { team_id: acme, escalation: unordered })).code).toBe('validation_failed');
    const steps = [
      { after_minutes: 0, channel: 'email', target: 'oncall@acme.test' },
      { after_minutes: 15, channel: 'sms', target: '+14155550100' },
    ];
    const { team } = await ok(owner, 'update_team_monitoring_defaults', { team_id: acme, interval_s: 600, failure_threshold: 3, escalation: steps });
    expect(team.monitoring_defaults).toMatchObject({ interval_s: 600, failure_threshold: 3, timeout_ms: 10000, escalation: steps });
    const again = await ok(owner, 'get_team', { team_id: acme });
    expect(again.team.monitoring_defaults.interval_s).toBe(600);
  });
});

describe('sites', () => {
  test('get_site: latest result per check type, recent runs, unresolved issues, effective settings', async () => {
    const { site } = await ok(owner, 'get_site', { site_id: ids.sites['acme/home'] });
    expect(site.checks.uptime).toMatchObject({ status: 'failed' });
    expect(site.checks.certificate).toMatchObject({ status: 'warning', summary: 'Expires in 9 days' });
    expect(site.recent_runs).toHaveLength(2);
    expect(site.open_issues.map((i: any) => i.title)).toEqual(['Site down']);
    expect(site.effective_settings.timeout_ms).toBe(10000);
  });

  test('create, override, pause, search, inherit again', async () => {
    const { site } = await ok(owner, 'create_site', { team_id: ids.teams.acme, name: 'Blog', url: 'https://blog.acme.test', timeout_ms: 5000 });
    expect(site).toMatchObject({ name: 'Blog', status: 'unknown', paused: false, overrides: { timeout_ms: 5000, interval_s: null } });
    const paused = await ok(owner, 'update_site', { site_id: site.id, paused: true, timeout_ms: null });
    expect(paused.site).toMatchObject({ status: 'paused', overrides: { timeout_ms: null } });
    const found = await ok(owner, 'list_sites', { team_id: ids.teams.acme, search: 'BLOG' });
    expect(found.sites.map((s: any) => s.id)).toEqual([site.id]);
    expect((await ok(owner, 'list_sites', { team_id: ids.teams.acme, status: 'paused' })).sites.map((s: any) => s.id)).toEqual([site.id]);
    expect((await ok(owner, 'list_sites', { team_id: ids.teams.acme, search: '%' })).sites).toEqual([]);
  });

  test('a cadence under the plan minimum is refused', async () => {
    const error = await fails(owner, 'create_site', { team_id: ids.teams.acme, name: 'Fast', url: 'https://fast.acme.test', interval_s: 60 });
    expect(error).toMatchObject({ status: 422, code: 'plan_limit_exceeded' });
    expect(error.details.min_interval_s).toBe(300);
  });

  test("the plan's max_sites is enforced", async () => {
    const db = server.database.db;
    const { n } = await db.selectFrom('sites').select(sql<number>`count(*)::int`.as('n')).where('team_id', '=', ids.teams.acme!).executeTakeFirstOrThrow();
    for (let i = n; i < 5; i++) await ok(owner, 'create_site', { team_id: ids.teams.acme, name: `Filler ${i}`, url: `https://f${i}.acme.test` });
    const error = await fails(owner, 'create_site', { team_id: ids.teams.acme, name: 'One too many', url: 'https://many.acme.test' });
    expect(error).toMatchObject({ status: 422, code: 'plan_limit_exceeded', details: { max_sites: 5, sites: 5 } });
  });

  test('delete_site takes its runs and issues with it', async () => {
    const { site } = await ok(solo, 'create_site', { name: 'Doomed', url: 'https://doomed.test' });
    const { check_run } = await ok(solo, 'run_check', { site_id: site.id });
    await ok(solo, 'delete_site', { site_id: site.id });
    expect((await fails(solo, 'get_check_run', { check_run_id: check_run.id })).code).toBe('not_found');
    expect((await fails(solo, 'get_site', { site_id: site.id })).code).toBe('not_found');
  });
});

describe('check runs and issues', () => {
  test('run_check queues a manual run until the hourly allowance is spent, then 429 with retry_after', async () => {
    const site_id = ids.sites['acme/home'];
    const { check_run } = await ok(owner, 'run_check', { site_id });
    expect(check_run).toMatchObject({ status: 'queued', trigger: 'manual', check_type: 'uptime', requested_by: ids.users['olive@acme.test'] });
    // The seeded manual run is old; one is queued; the starter plan allows 10 an hour.
    for (let i = 1; i < 10; i++) await ok(owner, 'run_check', { site_id, check_type: 'certificate' });
    const error = await fails(owner, 'run_check', { site_id });
    expect(error).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(error.details.retry_after).toBeGreaterThan(3500);
    expect(error.details.retry_after).toBeLessThanOrEqual(3600);
  });

  test('list_check_runs filters by trigger, type and time; get_check_run shows one', async () => {
    const site_id = ids.sites['acme/home'];
    const scheduled = await ok(owner, 'list_check_runs', { site_id, trigger: 'scheduled' });
    expect(scheduled.check_runs.map((r: any) => r.id)).toEqual([ids.check_runs['acme/home/0']]);
    const old = await ok(owner, 'list_check_runs', { team_id: ids.teams.acme, until: '2026-11-05T00:00:00Z' });
    expect(old.check_runs.map((r: any) => r.id)).toEqual([ids.check_runs['acme/home/1'], ids.check_runs['acme/home/0']]);
    const { check_run } = await ok(owner, 'get_check_run', { check_run_id: ids.check_runs['acme/home/0'] });
    expect(check_run).toMatchObject({ http_status: 503, response_time_ms: 812, status: 'failed' });
  });

  test('delete_check_run: manual runs go, scheduled ones are a 409', async () => {
    expect(await fails(owner, 'delete_check_run', { check_run_id: ids.check_runs['acme/home/0'] })).toMatchObject({ status: 409, code: 'conflict' });
    const { check_run } = await ok(owner, 'delete_check_run', { check_run_id: ids.check_runs['acme/home/1'] });
    expect(check_run.trigger).toBe('manual');
    expect((await fails(owner, 'get_check_run', { check_run_id: check_run.id })).code).toBe('not_found');
  });

  test('get_issues filters; get_issue has the timeline', async () => {
    const open = await ok(owner, 'get_issues', { team_id: ids.teams.acme, status: 'open' });
    expect(open.issues.map((i: any) => i.title)).toEqual(['Site down']);
    const warnings = await ok(owner, 'get_issues', { site_id: ids.sites['acme/home'], severity: 'warning' });
    expect(warnings.issues.map((i: any) => i.status)).toEqual(['resolved']);
    const recent = await ok(owner, 'get_issues', { team_id: ids.teams.acme, since: '2026-10-15T00:00:00Z' });
    expect(recent.issues).toHaveLength(1);
    const { issue } = await ok(owner, 'get_issue', { issue_id: ids.issues['acme/home/0'] });
    expect(issue.timeline).toEqual([expect.objectContaining({ kind: 'opened', message: 'Site down' })]);
  });
});

test('an unexpected fault is a 500 with an event id found in the log, and no internals', async () => {
  await sql`ALTER TABLE issue_events RENAME TO issue_events_away`.execute(server.database.db);
  try {
    const error = await fails(owner, 'get_issue', { issue_id: ids.issues['acme/home/0'] });
    expect(error).toMatchObject({ status: 500, code: 'internal' });
    const eventId = /event ([0-9a-f-]{36})/.exec(error.message)![1]!;
    expect(error.message).not.toMatch(/issue_events|relation|SELECT|at /);
    expect(logs.some((line) => line.includes(eventId) && line.includes('issue_events'))).toBe(true);
  } finally {
    await sql`ALTER TABLE issue_events_away RENAME TO issue_events`.execute(server.database.db);
  }
});

test('no secret reaches the log', async () => {
  const token = await server.token(ids.users['olive@acme.test']!, ['sites:read']);
  await fetch(`${server.mcpUrl}?access_token=${token}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  const line = logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'request' && l.status === 400);
  expect(line).toMatchObject({ method: 'POST', path: '/mcp', status: 400 });
  expect(logs.join('\n')).not.toContain(token.slice(4));
});
