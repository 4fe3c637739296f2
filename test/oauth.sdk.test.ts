import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { startServer, type TestServer } from './support/server.js';
import { call, rpc } from './support/client.js';
import { FormBrowser, authorizeInBrowser } from './support/browserless.js';
import { MemoryOAuthProvider } from './support/sdkOAuth.js';
import { startMetadataHost, type MetadataHost } from './support/metadataHost.js';
import { OLIVE, oauthFixture } from './support/oauthFixture.js';
import type { SeedResult } from '../src/fixtures/seed.js';

let server: TestServer;
let ids: SeedResult;
let host: MetadataHost;
const REDIRECT = 'http://127.0.0.1:33418/callback';

beforeAll(async () => {
  server = await startServer();
  ids = await server.seed(oauthFixture);
  host = await startMetadataHost([REDIRECT]);
});
afterAll(async () => {
  await host.close();
  await server.close();
});

const connectWith = (provider: MemoryOAuthProvider) => {
  const client = new Client({ name: 'sdk-oauth-test', version: '1.0.0' });
  return { client, transport: new StreamableHTTPClientTransport(new URL(server.mcpUrl), { authProvider: provider }) };
};

/** The whole journey a spec-following client makes, from a bare 401 to working tool calls. */
async function signInWithSdk(provider: MemoryOAuthProvider, keep?: string[]) {
  const first = connectWith(provider);
  await expect(first.client.connect(first.transport)).rejects.toBeInstanceOf(UnauthorizedError);
  const url = provider.authorizationUrl!;
  const { location, consentHtml } = await authorizeInBrowser(new FormBrowser(), url, { ...OLIVE, keep });
  const back = new URL(location);
  expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
  expect(back.searchParams.get('iss')).toBe(server.url);
  await first.transport.finishAuth(back.searchParams.get('code')!);
  const second = connectWith(provider);
  await second.client.connect(second.transport);
  return { url, consentHtml, client: second.client };
}

describe('the MCP SDK client signs in by browser OAuth', () => {
  test('with dynamic client registration: discovery, consent, tools, refresh after expiry, revocation', async () => {
    const provider = new MemoryOAuthProvider({ redirectUrl: REDIRECT });
    const { url, client } = await signInWithSdk(provider, ['teams:read', 'sites:read']);

    expect(`${url.origin}${url.pathname}`).toBe(`${server.url}/authorize`);
    expect(url.searchParams.get('resource')).toBe(server.mcpUrl);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('scope')).toBe('teams:read sites:read checks:read issues:read');
    expect(provider.client!.client_id).toMatch(/^spc_/);
    expect(provider.stored!.access_token).toMatch(/^spa_/);
    expect(provider.stored!.refresh_token).toMatch(/^spr_/);
    expect(provider.stored!.scope).toBe('teams:read sites:read');

    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['get_site', 'get_team', 'list_sites', 'list_teams', 'whoami']);
    const sites = await client.callTool({ name: 'list_sites', arguments: {} });
    expect((sites.structuredContent as any).sites.map((s: any) => s.name)).toEqual(['Acme home']);
    const who = await client.callTool({ name: 'whoami', arguments: {} });
    expect((who.structuredContent as any).token.kind).toBe('oauth_access');

    // The access token runs out; the transport's 401 handling refreshes it and retries.
    const before = { ...provider.stored! };
    await server.database.db.updateTable('tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('kind', '=', 'oauth_access').execute();
    expect((await rpc(server.mcpUrl, call('whoami'), { authorization: `Bearer ${before.access_token}` })).status).toBe(401);
    const again = await client.callTool({ name: 'list_sites', arguments: {} });
    expect(again.isError).toBeFalsy();
    expect(provider.stored!.access_token).not.toBe(before.access_token);
    expect(provider.stored!.refresh_token).not.toBe(before.refresh_token);

    // RFC 7009 revocation of the refresh token ends the grant: the access token stops working too.
    const revoke = await fetch(`${server.url}/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ token: provider.stored!.refresh_token!, token_type_hint: 'refresh_token', client_id: provider.client!.client_id }),
    });
    expect(revoke.status).toBe(200);
    const denied = await rpc(server.mcpUrl, call('whoami'), { authorization: `Bearer ${provider.stored!.access_token}` });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toContain('resource_metadata=');
    await expect(client.callTool({ name: 'whoami', arguments: {} })).rejects.toThrow();
    await client.close();
  });

  test('with a client ID metadata document, fetched once while its Cache-Control allows', async () => {
    const provider = new MemoryOAuthProvider({ redirectUrl: REDIRECT, clientMetadataUrl: host.clientId });
    const { consentHtml, client } = await signInWithSdk(provider);
    expect(provider.client!.client_id).toBe(host.clientId);
    expect(consentHtml).toContain('Metadata Test Client');
    expect(consentHtml).toContain(new URL(host.clientId).host);
    // The redirect is a loopback listener: the person is warned that any local program could claim the name.
    expect(consentHtml).toContain('class="warning"');
    const res = await client.callTool({ name: 'list_teams', arguments: {} });
    expect((res.structuredContent as any).teams.map((t: any) => t.id)).toEqual([ids.teams.acme]);
    await client.close();

    await signInWithSdk(new MemoryOAuthProvider({ redirectUrl: REDIRECT, clientMetadataUrl: host.clientId }));
    expect(host.fetches).toBe(1);
  });

  test('a metadata document marked no-store is fetched again for each authorization', async () => {
    const fresh = await startMetadataHost([REDIRECT], 'Uncached Client');
    fresh.cacheControl = 'no-store';
    try {
      for (let i = 0; i < 2; i++) await signInWithSdk(new MemoryOAuthProvider({ redirectUrl: REDIRECT, clientMetadataUrl: fresh.clientId }));
      expect(fresh.fetches).toBe(2);
    } finally {
      await fresh.close();
    }
  });
});
