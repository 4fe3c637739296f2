import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServer, type TestServer } from './support/server.js';
import { FormBrowser } from './support/browserless.js';
import { startMetadataHost, type MetadataHost } from './support/metadataHost.js';
import { isPublicAddress } from '../src/net/addresses.js';

let server: TestServer;
let host: MetadataHost;
const REDIRECT = 'http://127.0.0.1:48125/cb';

beforeAll(async () => {
  server = await startServer();
  host = await startMetadataHost([REDIRECT]);
});
afterAll(async () => {
  await host.close();
  await server.close();
});

const registerRaw = (body: unknown, ip?: string) =>
  fetch(`${server.url}/register`, { method: 'POST', headers: { 'content-type': 'application/json', ...(ip && { 'x-forwarded-for': ip }) }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, json: await r.json() }));

function authorizeUrl(clientId: string, redirectUri = REDIRECT) {
  const url = new URL(`${server.url}/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope: 'sites:read', state: 's',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGcSjdFXQ4', code_challenge_method: 'S256', resource: server.mcpUrl,
  }).toString();
  return url;
}

describe('dynamic client registration (RFC 7591)', () => {
  test('registers public clients only, and identical registrations reuse one client', async () => {
    const body = { client_name: 'Editor', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'client_secret_basic' };
    const first = await registerRaw(body);
    expect(first.status).toBe(201);
    expect(first.json.token_endpoint_auth_method).toBe('none');
    expect(first.json.client_secret).toBeUndefined();
    expect(first.json.grant_types).toEqual(['authorization_code', 'refresh_token']);
    const second = await registerRaw(body);
    expect(second.json.client_id).toBe(first.json.client_id);
    const other = await registerRaw({ ...body, client_name: 'Other editor' });
    expect(other.json.client_id).not.toBe(first.json.client_id);
  });

  test.each([
    ['https', 'https://app.example.com/callback', 201],
    ['loopback http', 'http://localhost:7777/cb', 201],
    ['IPv6 loopback', 'http://[::1]/cb', 201],
    ['an allow-listed scheme', 'cursor://anysphere.cursor-retrieval/oauth/callback', 201],
    ['vscode', 'vscode://vscode.github-authentication/did-authenticate', 201],
    ['http to a remote host', 'http://app.example.com/cb', 400],
    ['an unknown scheme', 'evilapp://cb', 400],
    ['a fragment', 'https://app.example.com/cb#x', 400],
    ['javascript:', 'javascript:alert(1)', 400],
  ])('redirect URI with %s → %i', async (_name, uri, status) => {
    const res = await registerRaw({ client_name: `c ${uri}`, redirect_uris: [uri] });
    expect(res.status).toBe(status);
    if (status === 400) expect(res.json.error).toBe('invalid_redirect_uri');
  });

  test('bad metadata is invalid_client_metadata, never a 500', async () => {
    for (const body of [{}, { redirect_uris: 'https://x.example/cb' }, { redirect_uris: [REDIRECT], grant_types: ['client_credentials'] }, { redirect_uris: [REDIRECT], response_types: ['token'] }]) {
      const res = await registerRaw(body);
      expect(res.status).toBe(400);
      expect(res.json.error).toBe('invalid_client_metadata');
    }
    const broken = await fetch(`${server.url}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"redirect_uris": [' });
    expect(broken.status).toBe(400);
    expect((await broken.json()).error).toBe('invalid_request');
  });

  test('new registrations are limited per IP; unused clients expire', async () => {
    // Requests arrive through a proxy on the loopback, which is trusted to name the client's address.
    const ip = '198.51.100.7';
    const results = [];
    for (let i = 0; i < 21; i++) results.push((await registerRaw({ client_name: `Burst ${i}`, redirect_uris: [REDIRECT] }, ip)).status);
    expect(results.slice(0, 20).every((s) => s === 201)).toBe(true);
    expect(results[20]).toBe(429);
    expect((await registerRaw({ client_name: 'Elsewhere', redirect_uris: [REDIRECT] }, '198.51.100.8')).status).toBe(201);

    const stale = await registerRaw({ client_name: 'Never used', redirect_uris: [REDIRECT] });
    await server.database.db.updateTable('oauth_clients').set({ expires_at: new Date(Date.now() - 1000) }).where('client_id', '=', stale.json.client_id).execute();
    expect((await new FormBrowser().get(authorizeUrl(stale.json.client_id))).status).toBe(400);
    // The next registration sweeps expired clients away.
    await registerRaw({ client_name: 'Sweeper', redirect_uris: [REDIRECT] });
    const left = await server.database.db.selectFrom('oauth_clients').select('client_id').where('client_id', '=', stale.json.client_id).execute();
    expect(left).toEqual([]);
  });
});

describe('client ID metadata documents', () => {
  test('a valid document leads to sign-in; its redirect URIs bind the request', async () => {
    const ok = await new FormBrowser().get(authorizeUrl(host.clientId));
    expect(ok.status).toBe(303);
    expect(ok.location).toMatch(/^\/authorize\/consent\?request=/);
    const wrongRedirect = await new FormBrowser().get(authorizeUrl(host.clientId, 'http://127.0.0.1:48125/other'));
    expect(wrongRedirect.status).toBe(400);
  });

  test.each([
    ['a client_id that is not the URL', (h: MetadataHost) => ({ ...h.document, client_id: 'https://other.example/client.json' }), 'is not the document'],
    ['a client secret', (h: MetadataHost) => ({ ...h.document, client_secret: 'shh' }), 'client_secret'],
    ['no redirect_uris', (h: MetadataHost) => ({ ...h.document, redirect_uris: [] }), 'redirect_uris'],
    ['an http redirect to a remote host', (h: MetadataHost) => ({ ...h.document, redirect_uris: ['http://evil.example/cb'] }), 'plain http'],
  ])('a document with %s is refused', async (_name, doc, message) => {
    const bad = await startMetadataHost([REDIRECT]);
    bad.document = doc(bad);
    try {
      const res = await new FormBrowser().get(authorizeUrl(bad.clientId));
      expect(res.status).toBe(400);
      expect(res.html).toContain(message);
    } finally {
      await bad.close();
    }
  });

  test('without ALLOW_PRIVATE_TARGETS a metadata URL on a private address is never fetched', async () => {
    const strict = await startServer({ ALLOW_PRIVATE_TARGETS: '0' });
    const guarded = await startMetadataHost([REDIRECT]);
    try {
      const url = authorizeUrl(guarded.clientId);
      const res = await new FormBrowser().get(url.href.replace(server.url, strict.url));
      expect(res.status).toBe(400);
      expect(res.html).toContain('not a public address');
      expect(guarded.fetches).toBe(0);
    } finally {
      await guarded.close();
      await strict.close();
    }
  });

  test.each([
    ['127.0.0.1', false], ['10.1.2.3', false], ['192.168.0.1', false], ['169.254.169.254', false], ['100.64.0.1', false],
    ['::1', false], ['fe80::1', false], ['fd00::1', false], ['::ffff:127.0.0.1', false], ['0.0.0.0', false],
    ['93.184.215.14', true], ['2606:4700::6810:84e5', true],
  ])('%s is public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});

test('fetches of metadata documents are limited per address; cached ones do not count', async () => {
  const from = { 'x-forwarded-for': '198.51.100.7' };
  const visit = (clientId: string) => fetch(authorizeUrl(clientId), { headers: from, redirect: 'manual' });
  const origin = new URL(host.clientId).origin;
  for (let i = 0; i < 20; i++) expect((await visit(`${origin}/oauth/unknown-${i}.json`)).status).toBe(400);
  const fresh = await startMetadataHost([REDIRECT]);
  try {
    const refused = await visit(fresh.clientId);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Too many new applications from your network');
    expect(fresh.fetches).toBe(0);
    // Another address is not held back by this one.
    expect((await fetch(authorizeUrl(fresh.clientId), { headers: { 'x-forwarded-for': '198.51.100.8' }, redirect: 'manual' })).status).toBe(303);
    expect(fresh.fetches).toBe(1);
  } finally {
    await fresh.close();
  }
});
