import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import * as oauth from 'oauth4webapi';
import { startServer, type TestServer } from './support/server.js';
import { call, rpc } from './support/client.js';
import { OLIVE, oauthFixture } from './support/oauthFixture.js';
import { discover, insecure, register } from './support/strictClient.js';

/** Debian's chromium (`apt-get install chromium`), driven by playwright-core: a real browser on the loopback. */
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;

let server: TestServer;
let browser: Browser;
let page: Page;
let callback: Server;
let redirectUri: string;
let as: oauth.AuthorizationServer;
let client: oauth.Client;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  server = await startServer();
  await server.seed(oauthFixture);
  // The client's redirect target: a page on the loopback that only says the browser arrived.
  callback = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('back at the client'));
  await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
  redirectUri = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`;
  as = await discover(server);
  client = await register(as, redirectUri, 'Browser Test Client');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
  callback?.closeAllConnections();
  await new Promise((resolve) => callback?.close(resolve));
  await server?.close();
});

async function startAuthorization(scope: string) {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    response_type: 'code', client_id: client.client_id, redirect_uri: redirectUri, scope, state, resource: server.mcpUrl,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  }).toString();
  await page.goto(url.href);
  return { verifier, state };
}

const landedOnClient = () => page.waitForURL((u) => u.href.startsWith(redirectUri));

test('sign in with the keyboard, narrow the scopes on consent, land on the redirect with a code', async () => {
  const { verifier, state } = await startAuthorization('teams:read sites:read checks:read');
  await page.getByLabel('Email').fill(OLIVE.email);
  await page.getByLabel('Password').fill(OLIVE.password);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Allow' }).waitFor();
  expect(await page.locator('input[type=checkbox][name=scope]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).toEqual(['teams:read', 'sites:read', 'checks:read']);
  await page.getByLabel('Read check runs and results').uncheck();
  await page.screenshot({ path: `${ARTIFACTS}consent.png`, fullPage: true });
  await page.getByRole('button', { name: 'Allow' }).click();
  await landedOnClient();
  expect(await page.textContent('body')).toContain('back at the client');

  const params = oauth.validateAuthResponse(as, client, new URL(page.url()), state);
  const res = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, verifier, { ...insecure, additionalParameters: { resource: server.mcpUrl } });
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, res);
  expect(tokens.scope).toBe('teams:read sites:read');
  expect((await rpc(server.mcpUrl, call('list_sites', {}), { authorization: `Bearer ${tokens.access_token}` })).status).toBe(200);
  expect((await rpc(server.mcpUrl, call('list_check_runs', {}), { authorization: `Bearer ${tokens.access_token}` })).status).toBe(403);
});

test('Deny returns access_denied to the client', async () => {
  const { state } = await startAuthorization('sites:read');
  await page.getByRole('button', { name: 'Deny' }).click();
  await landedOnClient();
  const back = new URL(page.url());
  expect(back.searchParams.get('error')).toBe('access_denied');
  expect(back.searchParams.get('state')).toBe(state);
  expect(back.searchParams.has('code')).toBe(false);
});

test('Settings → MCP creates a token that works at /mcp, lists the connected app, and revokes the token', async () => {
  await page.goto(`${server.url}/settings/mcp`);
  expect(await page.getByRole('button', { name: 'Disconnect Browser Test Client' }).count()).toBe(1);
  await page.getByLabel('Name').fill('Laptop agent');
  await page.getByLabel('Read sites and site monitoring data').check();
  await page.getByRole('button', { name: 'Create token' }).click();
  const secret = await page.getByLabel('New token').inputValue();
  expect(secret).toMatch(/^spm_[\w-]{43}$/);
  await page.screenshot({ path: `${ARTIFACTS}settings.png`, fullPage: true });

  const used = await rpc(server.mcpUrl, call('list_sites', {}), { authorization: `Bearer ${secret}` });
  expect(used.status).toBe(200);
  await page.goto(`${server.url}/settings/mcp`);
  expect(await page.locator('tr', { hasText: 'Laptop agent' }).textContent()).toContain('sites:read');
  await page.getByRole('button', { name: 'Revoke Laptop agent' }).click();
  await page.waitForURL(`${server.url}/settings/mcp`);
  expect(await page.locator('tr', { hasText: 'Laptop agent' }).count()).toBe(0);
  expect((await rpc(server.mcpUrl, call('list_sites', {}), { authorization: `Bearer ${secret}` })).status).toBe(401);
});
