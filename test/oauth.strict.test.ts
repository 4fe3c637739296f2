import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type * as oauth from 'oauth4webapi';
import type { TestServer } from './support/server.js';
import { onPostgres } from './support/db.js';
import { call, rpc } from './support/client.js';
import { OLIVE } from './support/oauthFixture.js';
import { authorize, exchange, oauthError, refresh, register, startOAuthServer } from './support/strictClient.js';

let server: TestServer;
let as: oauth.AuthorizationServer;
let client: oauth.Client;
const REDIRECT = 'http://127.0.0.1:48123/cb';
const READ = 'teams:read sites:read';

beforeAll(async () => {
  ({ server, as, client } = await startOAuthServer(REDIRECT));
});
afterAll(() => server.close());

const signIn = (override?: Record<string, string | null>, scope = READ) =>
  authorize(as, client, { redirectUri: REDIRECT, resource: server.mcpUrl, scope, consent: OLIVE, override });
const works = async (accessToken: string) => (await rpc(server.mcpUrl, call('whoami'), { authorization: `Bearer ${accessToken}` })).status;
const db = () => server.database.db;

describe('oauth4webapi as a strict client', () => {
  test('discovery: one issuer everywhere, S256 only, metadata documents, registration and revocation', async () => {
    expect(as.issuer).toBe(server.url);
    expect(as.code_challenge_methods_supported).toEqual(['S256']);
    expect(as.client_id_metadata_document_supported).toBe(true);
    expect(as.registration_endpoint).toBe(`${server.url}/register`);
    expect(as.revocation_endpoint).toBe(`${server.url}/revoke`);
    expect(as.scopes_supported).toContain('checks:run');
    const prm = await (await fetch(`${server.url}/.well-known/oauth-protected-resource/mcp`)).json();
    expect(prm.resource).toBe(server.mcpUrl);
    expect(prm.authorization_servers).toEqual([as.issuer]);
  });

  test('code flow, tool call, refresh rotation; a rotated refresh token reused later revokes the grant', async () => {
    const a = await signIn();
    const tokens = await exchange(as, client, a, { redirectUri: REDIRECT, resource: server.mcpUrl });
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.expires_in).toBe(3600);
    expect(tokens.scope).toBe(READ);
    expect(await works(tokens.access_token)).toBe(200);

    const rotated = await refresh(as, client, tokens.refresh_token!, { resource: server.mcpUrl });
    expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
    expect(await works(rotated.access_token)).toBe(200);

    // Two requests racing with one refresh token both succeed (the grace window)...
    const raced = await refresh(as, client, tokens.refresh_token!);
    expect(raced.access_token).not.toBe(rotated.access_token);
    // ...but once the old token is well past its rotation, a reuse is treated as theft.
    await db().updateTable('tokens').set({ replaced_at: new Date(Date.now() - 60_000) }).where('replaced_at', 'is not', null).execute();
    expect(await oauthError(refresh(as, client, tokens.refresh_token!))).toBe('invalid_grant');
    expect(await works(rotated.access_token)).toBe(401);
    expect(await oauthError(refresh(as, client, rotated.refresh_token!))).toBe('invalid_grant');
  });

  // PGlite is one connection, so requests cannot truly race there; PostgreSQL runs this one.
  test.skipIf(!onPostgres)('two refreshes racing with one token both get tokens; two exchanges of one code get one', async () => {
    const tokens = await exchange(as, client, await signIn(), { redirectUri: REDIRECT, resource: server.mcpUrl });
    const both = await Promise.all([refresh(as, client, tokens.refresh_token!), refresh(as, client, tokens.refresh_token!)]);
    expect(new Set(both.map((t) => t.refresh_token)).size).toBe(2);
    const a = await signIn();
    const raced = await Promise.allSettled([0, 1].map(() => exchange(as, client, a, { redirectUri: REDIRECT, resource: server.mcpUrl })));
    expect(raced.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  test('a refresh may narrow the scopes but never add one', async () => {
    const tokens = await exchange(as, client, await signIn(), { redirectUri: REDIRECT, resource: server.mcpUrl });
    expect(await oauthError(refresh(as, client, tokens.refresh_token!, { scope: 'teams:read sites:read sites:write' }))).toBe('invalid_scope');
    const narrower = await refresh(as, client, tokens.refresh_token!, { scope: 'sites:read' });
    expect(narrower.scope).toBe('sites:read');
    // The grant keeps its scopes: the next refresh may ask for all of them again.
    expect((await refresh(as, client, narrower.refresh_token!)).scope).toBe(READ);
  });

  test('offline_access, which some clients add, is accepted and changes nothing', async () => {
    const tokens = await exchange(as, client, await signIn(undefined, `${READ} offline_access`), { redirectUri: REDIRECT, resource: server.mcpUrl });
    expect(tokens.scope).toBe(READ);
    expect(tokens.refresh_token).toBeTruthy();
    expect((await refresh(as, client, tokens.refresh_token!, { scope: 'sites:read offline_access' })).scope).toBe('sites:read');
    expect((await signIn(undefined, `${READ} admin`)).location.searchParams.get('error')).toBe('invalid_scope');
  });

  test('plain PKCE, or no method at all, is refused at /authorize', async () => {
    for (const method of ['plain', null]) {
      const a = await signIn({ code_challenge_method: method });
      expect(a.location.searchParams.get('error')).toBe('invalid_request');
      expect(a.location.searchParams.get('state')).toBe(a.state);
      expect(a.location.searchParams.has('code')).toBe(false);
    }
  });

  test('a wrong code_verifier is invalid_grant', async () => {
    const a = await signIn();
    const other = await signIn();
    expect(await oauthError(exchange(as, client, a, { redirectUri: REDIRECT, resource: server.mcpUrl, verifier: other.verifier }))).toBe('invalid_grant');
  });

  test('a wrong or missing resource is invalid_target, at /authorize and at /token', async () => {
    for (const resource of ['https://elsewhere.example/mcp', `${server.url}/mcp/`, null]) {
      const a = await signIn({ resource });
      expect(a.location.searchParams.get('error')).toBe('invalid_target');
    }
    const a = await signIn({ resource: server.mcpUrl.replace('http://', 'HTTP://') });
    expect(await oauthError(exchange(as, client, a, { redirectUri: REDIRECT, resource: 'https://elsewhere.example/mcp' }))).toBe('invalid_target');
  });

  test('a redirect_uri that differs from the authorization request is invalid_grant', async () => {
    const a = await signIn({ redirect_uri: 'http://127.0.0.1:50000/cb' });
    expect(a.location.port).toBe('50000'); // loopback: any port of a registered URI (RFC 8252)
    expect(await oauthError(exchange(as, client, a, { redirectUri: REDIRECT, resource: server.mcpUrl }))).toBe('invalid_grant');
  });

  test('a replayed code is refused and revokes the tokens it produced', async () => {
    const a = await signIn();
    const tokens = await exchange(as, client, a, { redirectUri: REDIRECT, resource: server.mcpUrl });
    expect(await oauthError(exchange(as, client, a, { redirectUri: REDIRECT, resource: server.mcpUrl }))).toBe('invalid_grant');
    expect(await works(tokens.access_token)).toBe(401);
    expect(await oauthError(refresh(as, client, tokens.refresh_token!))).toBe('invalid_grant');
  });

  test('an expired code is invalid_grant', async () => {
    const a = await signIn();
    await db().updateTable('oauth_codes').set({ expires_at: new Date(Date.now() - 1000) }).where('consumed_at', 'is', null).execute();
    expect(await oauthError(exchange(as, client, a, { redirectUri: REDIRECT, resource: server.mcpUrl }))).toBe('invalid_grant');
  });

  test("another client can use neither a client's code nor its refresh token", async () => {
    const foreign = await register(as, REDIRECT, 'Foreign client');
    expect(foreign.client_id).not.toBe(client.client_id);
    const a = await signIn();
    expect(await oauthError(exchange(as, client, a, { redirectUri: REDIRECT, resource: server.mcpUrl, presentedBy: foreign }))).toBe('invalid_grant');
    const tokens = await exchange(as, client, await signIn(), { redirectUri: REDIRECT, resource: server.mcpUrl });
    expect(await oauthError(refresh(as, foreign, tokens.refresh_token!))).toBe('invalid_grant');
    // The rightful client's refresh token still works: a foreign attempt does not burn it.
    expect((await refresh(as, client, tokens.refresh_token!)).access_token).toMatch(/^spa_/);
  });
});

describe('the token endpoint answers bad input with OAuth errors, never a 500', () => {
  const post = (body: string, type = 'application/x-www-form-urlencoded') =>
    fetch(`${server.url}/token`, { method: 'POST', headers: { 'content-type': type }, body }).then(async (r) => ({ status: r.status, json: await r.json() }));

  test.each([
    ['an empty body', '', 'invalid_request'],
    ['an unknown grant type', 'grant_type=password&username=a&password=b', 'unsupported_grant_type'],
    ['a repeated parameter', `grant_type=authorization_code&client_id=x&code=a&code=b&redirect_uri=${REDIRECT}&code_verifier=${'v'.repeat(43)}`, 'invalid_request'],
    ['an unknown client', `grant_type=refresh_token&client_id=nobody&refresh_token=spr_x`, 'invalid_client'],
    ['a malformed body', '%%%zz=', 'invalid_request'],
  ])('%s', async (_name, body, error) => {
    const res = await post(body);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.json.error).toBe(error);
  });

  test('JSON instead of a form', async () => {
    const res = await post('{"grant_type": "authorization_code"', 'application/json');
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_request');
  });
});
