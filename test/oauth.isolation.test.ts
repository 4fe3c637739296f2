import { afterAll, beforeAll, expect, test } from 'vitest';
import type * as oauth from 'oauth4webapi';
import type { TestServer } from './support/server.js';
import { call, rpc } from './support/client.js';
import { BOB, OLIVE } from './support/oauthFixture.js';
import { authorize, exchange, startOAuthServer } from './support/strictClient.js';
import type { SeedResult } from '../src/fixtures/seed.js';

let server: TestServer;
let ids: SeedResult;
let as: oauth.AuthorizationServer;
let client: oauth.Client;
const REDIRECT = 'http://127.0.0.1:48126/cb';

beforeAll(async () => {
  ({ server, as, client, ids } = await startOAuthServer(REDIRECT));
});
afterAll(() => server.close());

async function accessTokenOf(user: { email: string; password: string }) {
  const a = await authorize(as, client, { redirectUri: REDIRECT, resource: server.mcpUrl, scope: 'teams:read sites:read', consent: user });
  return (await exchange(as, client, a, { redirectUri: REDIRECT, resource: server.mcpUrl })).access_token;
}
const asUser = (token: string, name: string, args: unknown) => rpc(server.mcpUrl, call(name, args), { authorization: `Bearer ${token}` });

test("one user's OAuth token never reaches another user's data", async () => {
  const olive = await accessTokenOf(OLIVE);
  const bob = await accessTokenOf(BOB);
  const own = await asUser(olive, 'get_site', { site_id: ids.sites['acme/home'] });
  expect(own.json.result.structuredContent.site.name).toBe('Acme home');
  const foreign = await asUser(olive, 'get_site', { site_id: ids.sites['globex/hq'] });
  const missing = await asUser(olive, 'get_site', { site_id: 999_999 });
  expect(foreign.json.result.isError).toBe(true);
  expect(foreign.json.result.structuredContent.error.code).toBe('not_found');
  expect(JSON.stringify(foreign.json.result).replaceAll(String(ids.sites['globex/hq']), 'ID')).toBe(JSON.stringify(missing.json.result).replaceAll('999999', 'ID'));
  const bobsTeams = await asUser(bob, 'list_teams', {});
  expect(bobsTeams.json.result.structuredContent.teams.map((t: { name: string }) => t.name)).toEqual(['Globex']);
});

test('a token issued for another resource is refused', async () => {
  const token = await accessTokenOf(OLIVE);
  expect((await asUser(token, 'whoami', {})).status).toBe(200);
  await server.database.db.updateTable('tokens').set({ resource: 'https://other.example/mcp' }).where('kind', '=', 'oauth_access').execute();
  const res = await asUser(token, 'whoami', {});
  expect(res.status).toBe(401);
  expect(res.json.error.message).toContain('not issued for this MCP server');
});

test('a refresh token is not a bearer credential at /mcp', async () => {
  const a = await authorize(as, client, { redirectUri: REDIRECT, resource: server.mcpUrl, scope: 'sites:read', consent: OLIVE });
  const tokens = await exchange(as, client, a, { redirectUri: REDIRECT, resource: server.mcpUrl });
  expect((await asUser(tokens.refresh_token!, 'whoami', {})).status).toBe(401);
});
