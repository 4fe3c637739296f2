import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type * as oauth from 'oauth4webapi';
import { startServer, type TestServer } from './support/server.js';
import { call, rpc } from './support/client.js';
import { FormBrowser, hiddenFields, offeredScopes } from './support/browserless.js';
import { BOB, OLIVE, UNA } from './support/oauthFixture.js';
import { authorize, exchange, startOAuthServer } from './support/strictClient.js';

let server: TestServer;
let as: oauth.AuthorizationServer;
let client: oauth.Client;
const REDIRECT = 'http://127.0.0.1:48124/cb';

beforeAll(async () => {
  ({ server, as, client } = await startOAuthServer(REDIRECT));
});
afterAll(() => server.close());

/** An /authorize URL as a client would build it (PKCE values need not verify: these tests stop at the code). */
function authorizeUrl(scope = 'teams:read sites:read', state = 'st-1') {
  const url = new URL(`${server.url}/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code', client_id: client.client_id, redirect_uri: REDIRECT, scope, state,
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGcSjdFXQ4', code_challenge_method: 'S256', resource: server.mcpUrl,
  }).toString();
  return url;
}

/** Opens the authorization URL and signs in; returns the browser and the consent page's HTML. */
async function reachConsent(user: { email: string; password: string }, scope?: string) {
  const browser = new FormBrowser();
  const start = await browser.get(authorizeUrl(scope));
  const login = await browser.get(new URL(start.location!, server.url));
  const signedIn = await browser.post(`${server.url}/login`, { ...hiddenFields(login.html, '/login'), ...user });
  const consent = await browser.get(new URL(signedIn.location!, server.url));
  return { browser, consent };
}

describe('sign-in and consent pages', () => {
  test('consent names the client, the redirect host with a localhost warning, and offers each scope in words', async () => {
    const { consent } = await reachConsent(OLIVE);
    expect(consent.status).toBe(200);
    expect(consent.html).toContain('Strict client');
    expect(consent.html).toContain('127.0.0.1:48124');
    expect(consent.html).toContain('class="warning"');
    expect(offeredScopes(consent.html)).toEqual(['teams:read', 'sites:read']);
    expect(consent.html).toContain('Read sites and site monitoring data');
    expect(consent.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(consent.headers.get('x-frame-options')).toBe('DENY');
    expect(consent.headers.get('cache-control')).toBe('no-store');
  });

  test('session cookies are HttpOnly and SameSite=Lax, and __Host- with Secure over https', async () => {
    const plain = await new FormBrowser().get(`${server.url}/login`);
    expect(plain.headers.get('set-cookie')).toMatch(/^sitepulse_session=[\w-]{43}; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    const tls = await startServer({ PUBLIC_URL: 'https://mcp.sitepulse.test' });
    try {
      const secure = await new FormBrowser().get(`${tls.url.replace('https://mcp.sitepulse.test', `http://127.0.0.1:${tls.config.port}`)}/login`);
      expect(secure.headers.get('set-cookie')).toMatch(/^__Host-sitepulse_session=[\w-]{43}; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$/);
    } finally {
      await tls.close();
    }
  });

  test('Settings → MCP needs a signed-in session, and its forms need the CSRF token', async () => {
    const anonymous = await new FormBrowser().get(`${server.url}/settings/mcp`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.location).toBe('/login');
    const { browser } = await reachConsent(OLIVE);
    const settings = await browser.get(`${server.url}/settings/mcp`);
    expect(settings.status).toBe(200);
    const forged = await browser.post(`${server.url}/settings/mcp/tokens`, { name: 'forged', scope: 'sites:read', expires_on: '2030-01-01' });
    expect(forged.status).toBe(403);
    const tooLong = await browser.post(`${server.url}/settings/mcp/tokens`, { ...hiddenFields(settings.html, '/settings/mcp/tokens'), name: 'far', scope: 'sites:read', expires_on: '2099-01-01' });
    expect(tooLong.status).toBe(422);
    expect(tooLong.html).toContain('six months');
  });

  test('Deny sends the client error=access_denied with its state, and no code', async () => {
    const a = await authorize(as, client, { redirectUri: REDIRECT, resource: server.mcpUrl, scope: 'sites:read', consent: { ...OLIVE, decision: 'deny' } });
    expect(a.location.searchParams.get('error')).toBe('access_denied');
    expect(a.location.searchParams.get('state')).toBe(a.state);
    expect(a.location.searchParams.get('iss')).toBe(server.url);
    expect(a.location.searchParams.has('code')).toBe(false);
  });

  test('an unverified user is told to verify the email and gets no code', async () => {
    const { browser, consent } = await reachConsent(UNA);
    expect(consent.status).toBe(403);
    expect(consent.html).toContain('is not verified');
    expect(offeredScopes(consent.html)).toEqual([]);
    const fields = hiddenFields(consent.html, '/authorize/decision');
    const allow = await browser.post(`${server.url}/authorize/decision`, { ...fields, decision: 'allow', scope: 'sites:read' });
    expect(allow.status).toBe(403);
    expect(allow.location).toBeNull();
    const back = await browser.post(`${server.url}/authorize/decision`, { ...fields, decision: 'deny' });
    expect(new URL(back.location!).searchParams.get('error')).toBe('access_denied');
  });

  test('the decision needs the CSRF token, and a request answers only once', async () => {
    const { browser, consent } = await reachConsent(OLIVE);
    const fields = hiddenFields(consent.html, '/authorize/decision');
    const forged = await browser.post(`${server.url}/authorize/decision`, { request: fields.request!, decision: 'allow', scope: 'sites:read' });
    expect(forged.status).toBe(403);
    const allowed = await browser.post(`${server.url}/authorize/decision`, { ...fields, decision: 'allow', scope: 'sites:read' });
    expect(new URL(allowed.location!).searchParams.get('code')).toMatch(/^[\w-]{43}$/);
    expect(new URL(allowed.location!).searchParams.get('state')).toBe('st-1');
    const again = await browser.post(`${server.url}/authorize/decision`, { ...fields, decision: 'allow', scope: 'sites:read' });
    expect(again.status).toBe(400);
    expect(again.location).toBeNull();
  });

  test("a pending request cannot be answered from another person's session", async () => {
    const { consent } = await reachConsent(OLIVE);
    const handle = hiddenFields(consent.html, '/authorize/decision').request!;
    const bob = await reachConsent(BOB);
    const stolen = await bob.browser.get(`${server.url}/authorize/consent?request=${handle}`);
    expect(stolen.status).toBe(400);
    const post = await bob.browser.post(`${server.url}/authorize/decision`, { ...hiddenFields(bob.consent.html, '/authorize/decision'), request: handle, decision: 'allow', scope: 'sites:read' });
    expect(post.status).toBe(400);
  });

  test('scopes can be narrowed but not widened on the consent page', async () => {
    const { browser, consent } = await reachConsent(OLIVE);
    const fields = hiddenFields(consent.html, '/authorize/decision');
    const widened = await browser.post(`${server.url}/authorize/decision`, [...Object.entries(fields), ['decision', 'allow'], ['scope', 'sites:read'], ['scope', 'sites:delete']]);
    expect(widened.status).toBe(400);
    const none = await browser.post(`${server.url}/authorize/decision`, { ...fields, decision: 'allow' });
    expect(none.status).toBe(400);
    expect(none.html).toContain('Tick at least one');
  });

  test('an unknown client or unregistered redirect URI is shown to the person, never redirected', async () => {
    const browser = new FormBrowser();
    const unknown = authorizeUrl();
    unknown.searchParams.set('client_id', 'spc_nobody');
    expect((await browser.get(unknown)).status).toBe(400);
    const evil = authorizeUrl();
    evil.searchParams.set('redirect_uri', 'https://evil.example/cb');
    const res = await browser.get(evil);
    expect(res.status).toBe(400);
    expect(res.location).toBeNull();
    expect(res.html).toContain('redirect_uri');
  });

  test('sign-in is throttled per account after five failures, even with the right password', async () => {
    const browser = new FormBrowser();
    const page = await browser.get(`${server.url}/login`);
    const csrf = hiddenFields(page.html, '/login').csrf!;
    for (let i = 0; i < 5; i++) {
      const wrong = await browser.post(`${server.url}/login`, { csrf, email: BOB.email, password: 'guess' });
      expect(wrong.status).toBe(401);
    }
    const right = await browser.post(`${server.url}/login`, { csrf, ...BOB });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another account from the same address is unaffected.
    expect((await browser.post(`${server.url}/login`, { csrf, ...OLIVE })).status).toBe(303);
  });

  test('step-up: the 403 names granted ∪ required, and consent then offers that union', async () => {
    const a = await authorize(as, client, { redirectUri: REDIRECT, resource: server.mcpUrl, scope: 'sites:read', consent: OLIVE });
    const tokens = await exchange(as, client, a, { redirectUri: REDIRECT, resource: server.mcpUrl });
    const res = await rpc(server.mcpUrl, call('create_site', { name: 'New', url: 'https://new.acme.test' }), { authorization: `Bearer ${tokens.access_token}` });
    expect(res.status).toBe(403);
    const scope = /scope="([^"]+)"/.exec(res.headers.get('www-authenticate')!)![1]!;
    expect(scope.split(' ').sort()).toEqual(['sites:read', 'sites:write']);
    const { consent } = await reachConsent(OLIVE, scope);
    expect(offeredScopes(consent.html).sort()).toEqual(['sites:read', 'sites:write']);
  });
});
