import { afterAll, beforeAll, expect, test } from 'vitest';
import { startServer, type TestServer } from './support/server.js';
import { connect } from './support/client.js';
import { demoWorkspace } from '../src/fixtures/demo.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

test('an SDK client lists and calls tools with a bearer token', async () => {
  const ids = await server.seed(demoWorkspace().fixture);
  const token = await server.token(ids.users['demo@sitepulse.test']!, ['sites:read']);
  const client = await connect(server.mcpUrl, token);
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name).sort()).toEqual(['get_site', 'list_sites', 'whoami']);
  const res = await client.callTool({ name: 'list_sites', arguments: { team_id: ids.teams.acme } });
  expect(res.isError).toBeFalsy();
  expect((res.structuredContent as any).sites.map((s: any) => s.name)).toEqual(['Acme home', 'Acme shop', 'Acme docs', 'Old intranet']);
  await client.close();
});
