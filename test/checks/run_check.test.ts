import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Runner } from '../../src/checks/runner.js';
import { startServer, type TestServer } from '../support/server.js';
import { connect } from '../support/client.js';
import { monitoredTeam, seedUnscheduled, testRunner } from '../support/checks.js';
import { startTarget, type Target } from '../support/targets.js';

/** run_check through a real MCP client, with a runner working the same database. */

let server: TestServer;
let runner: Runner;
let target: Target;
let client: Client;
let sites: Record<string, number>;

beforeAll(async () => {
  [server, target] = await Promise.all([startServer(), startTarget()]);
  const ids = await seedUnscheduled(
    server.database.db,
    monitoredTeam('mcp', [
      { key: 'slow', url: `${target.url}/slow/300` },
      { key: 'ok', url: `${target.url}/ok` },
      { key: 'gone', url: `${target.url}/ok` },
    ]),
  );
  sites = ids.sites;
  runner = testRunner(server.database.db);
  client = await connect(server.mcpUrl, await server.token(ids.users['mcp@checks.test']!, ['checks:run', 'checks:read', 'sites:read', 'issues:read']));
});
afterAll(async () => {
  await client.close();
  await runner.stop();
  await target.close();
  await server.close();
});

const structured = (res: Awaited<ReturnType<Client['callTool']>>) => res.structuredContent as any;

test('with wait_seconds it returns the finished run and sends progress notifications meanwhile', async () => {
  const progress: { progress: number; total?: number; message?: string }[] = [];
  const res = await client.callTool({ name: 'run_check', arguments: { site_id: sites['mcp/slow'], wait_seconds: 30 } }, undefined, {
    onprogress: (p) => void progress.push(p),
  });
  expect(res.isError).toBeFalsy();
  const run = structured(res).check_run;
  expect(run).toMatchObject({ status: 'succeeded', http_status: 200, trigger: 'manual', check_type: 'uptime' });
  expect((res.content as { text: string }[])[0]!.text).toBe(`Run #${run.id} (uptime, manual) on site ${sites['mcp/slow']}: succeeded, HTTP 200 in ${run.response_time_ms} ms — ${run.summary}.`);
  expect(progress.length).toBeGreaterThanOrEqual(1);
  expect(progress[0]).toMatchObject({ total: 30, message: expect.stringMatching(new RegExp(`^Run #${run.id} is (queued|running)`)) });
  expect(progress.every((p, i) => i === 0 || p.progress > progress[i - 1]!.progress)).toBe(true);
});

test('without wait_seconds it returns the queued run at once', async () => {
  const res = await client.callTool({ name: 'run_check', arguments: { site_id: sites['mcp/ok'] } });
  expect(structured(res).check_run).toMatchObject({ status: 'queued', finished_at: null });
  expect((res.content as { text: string }[])[0]!.text).toMatch(/^uptime run #\d+ for site \d+ is queued; read the result with get_check_run/);
});

test('site status in get_site and list_sites reflects the latest results', async () => {
  const res = await client.callTool({ name: 'run_check', arguments: { site_id: sites['mcp/ok'], wait_seconds: 30 } });
  expect(structured(res).check_run.status).toBe('succeeded');
  const site = structured(await client.callTool({ name: 'get_site', arguments: { site_id: sites['mcp/ok'] } })).site;
  expect(site.status).toBe('up');
  expect(site.checks.uptime).toMatchObject({ status: 'succeeded', check_run_id: structured(res).check_run.id });
  const up = structured(await client.callTool({ name: 'list_sites', arguments: { status: 'up' } })).sites;
  expect(up.map((s: { id: number }) => s.id)).toContain(sites['mcp/ok']);
});

test('a site whose server stops is down, and an issue opens after two failed runs', async () => {
  const siteId = sites['mcp/gone'];
  expect(structured(await client.callTool({ name: 'run_check', arguments: { site_id: siteId, wait_seconds: 30 } })).check_run.status).toBe('succeeded');
  await target.close();
  for (let i = 0; i < 2; i++) {
    const run = structured(await client.callTool({ name: 'run_check', arguments: { site_id: siteId, wait_seconds: 30 } })).check_run;
    expect(run).toMatchObject({ status: 'failed', summary: `Connection refused by 127.0.0.1:${target.port}: nothing is listening there.` });
  }
  const { issues } = structured(await client.callTool({ name: 'get_issues', arguments: { site_id: siteId, status: 'open' } }));
  expect(issues).toEqual([expect.objectContaining({ check_type: 'uptime', severity: 'critical', title: 'Site gone is down', status: 'open' })]);
  const site = structured(await client.callTool({ name: 'get_site', arguments: { site_id: siteId } })).site;
  expect(site.status).toBe('down');
});

test('a certificate run for an http:// site is refused with 422', async () => {
  const res = await client.callTool({ name: 'run_check', arguments: { site_id: sites['mcp/ok'], check_type: 'certificate' } });
  expect(res.isError).toBe(true);
  expect(structured(res).error).toMatchObject({ status: 422, code: 'validation_failed', details: { fields: { check_type: 'certificate needs an https:// site' } } });
});

test('wait_seconds outside 0 to 60 is refused with 422, not a fault', async () => {
  const res = await client.callTool({ name: 'run_check', arguments: { site_id: sites['mcp/ok'], wait_seconds: 61 } });
  expect(res.isError).toBe(true);
  expect(structured(res).error).toMatchObject({ status: 422, code: 'validation_failed', details: { fields: { wait_seconds: expect.any(String) } } });
});
