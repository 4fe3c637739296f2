import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { startServer, type TestServer } from './support/server.js';
import { call, connect, rpc } from './support/client.js';
import type { SeedResult } from '../src/fixtures/seed.js';

/** Bad input at the HTTP and JSON-RPC level: each gets its documented answer, never a 500, and changes nothing. */

let server: TestServer;
let ids: SeedResult;
let token: string;
let readOnly: string;
const auth = () => ({ authorization: `Bearer ${token}` });

async function counts() {
  const r = await sql<{ sites: number; runs: number; tokens: number }>`
    select (select count(*)::int from sites) as sites, (select count(*)::int from check_runs) as runs,
           (select count(*)::int from tokens) as tokens`.execute(server.database.db);
  return r.rows[0];
}

beforeAll(async () => {
  server = await startServer();
  ids = await server.seed({
    users: [
      { email: 'ann@one.test', name: 'Ann' },
      { email: 'unverified@one.test', name: 'Una', email_verified: false },
    ],
    teams: [
      {
        key: 'one',
        name: 'One',
        plan: 'pro',
        members: [{ email: 'ann@one.test', role: 'owner' }, { email: 'unverified@one.test', role: 'owner' }],
        sites: [{ key: 'a', name: 'A', url: 'https://a.test' }],
      },
    ],
  });
  token = await server.token(ids.users['ann@one.test']!, ['teams:read', 'sites:read', 'sites:write', 'checks:run']);
  readOnly = await server.token(ids.users['ann@one.test']!, ['sites:read']);
});
afterAll(() => server?.close());

describe('authentication at /mcp', () => {
  test('no token: 401 with a challenge that points at the resource metadata', async () => {
    const res = await rpc(server.mcpUrl, call('list_sites'));
    expect(res.status).toBe(401);
    const challenge = res.headers.get('www-authenticate')!;
    expect(challenge).toMatch(/^Bearer error="invalid_token"/);
    expect(challenge).toContain(`resource_metadata="${server.url}/.well-known/oauth-protected-resource/mcp"`);
    expect(challenge).toContain('scope="teams:read sites:read checks:read issues:read"');
    expect(res.json.error.message).toMatch(/Authorization: Bearer/);
  });

  test.each([
    ['a made-up token', `Bearer spm_${'x'.repeat(43)}`],
    ['garbage', 'Bearer not-a-token'],
    ['another scheme', `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['a refresh-token prefix', `Bearer spr_${'x'.repeat(43)}`],
  ])('%s: 401', async (_what, header) => {
    const res = await rpc(server.mcpUrl, call('list_sites'), { authorization: header });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  test('an unverified email: 403 with the documented message', async () => {
    const t = await server.token(ids.users['unverified@one.test']!, ['sites:read']);
    const res = await rpc(server.mcpUrl, call('list_sites'), { authorization: `Bearer ${t}` });
    expect(res.status).toBe(403);
    expect(res.json.error.message).toMatch(/^Your email address is not verified\./);
    expect(res.json.error.data.code).toBe('email_unverified');
  });

  test('a missing scope: 403 insufficient_scope naming granted ∪ required, with the JSON-RPC id', async () => {
    const res = await rpc(server.mcpUrl, call('create_site', { name: 'x', url: 'https://x.test' }, 7), { authorization: `Bearer ${readOnly}` });
    expect(res.status).toBe(403);
    const challenge = res.headers.get('www-authenticate')!;
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge).toContain('scope="sites:read sites:write"');
    expect(challenge).toContain('resource_metadata=');
    expect(challenge).toMatch(/error_description="[^"]*sites:write/);
    expect(res.json.id).toBe(7);
    expect(res.json.error.message).toContain('sites:write');
  });

  test('in a batch, a later call short of a scope still gets the 403 challenge', async () => {
    const res = await rpc(server.mcpUrl, [call('list_sites', {}, 1), call('delete_site', { site_id: 1 }, 2)], { authorization: `Bearer ${readOnly}` });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('scope="sites:read sites:delete"');
    expect(res.json.id).toBe(2);
  });

  test('a token in the query string is refused, even alongside a valid header', async () => {
    for (const query of [`?access_token=${token}`, `?x=${token}`, '?token=abc']) {
      const res = await rpc(server.mcpUrl + query, call('list_sites'), auth());
      expect(res.status).toBe(400);
      expect(res.json.error.data.code).toBe('token_in_query');
    }
  });

  test('tools/list shows only the tools the token has scopes for', async () => {
    const client = await connect(server.mcpUrl, readOnly);
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['whoami', 'list_sites', 'get_site']);
    await client.close();
  });
});

describe('transport rules', () => {
  test('GET and DELETE answer 405 with Allow: POST', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(server.mcpUrl, { method, headers: auth() });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
    }
  });

  test('a foreign Origin is refused; our own origin is allowed', async () => {
    const bad = await rpc(server.mcpUrl, call('whoami'), { ...auth(), origin: 'https://evil.example' });
    expect(bad.status).toBe(403);
    expect(bad.json.error.data.code).toBe('origin_not_allowed');
    const good = await rpc(server.mcpUrl, call('whoami'), { ...auth(), origin: server.url });
    expect(good.status).toBe(200);
  });

  test('an unsupported MCP-Protocol-Version is a 400; the supported ones work', async () => {
    const bad = await rpc(server.mcpUrl, call('whoami'), { ...auth(), 'mcp-protocol-version': '1999-01-01' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain('2025-11-25');
    for (const v of ['2025-11-25', '2025-06-18']) {
      expect((await rpc(server.mcpUrl, call('whoami'), { ...auth(), 'mcp-protocol-version': v })).status).toBe(200);
    }
  });

  test('initialize asking for an unknown revision is offered ours', async () => {
    const res = await rpc(
      server.mcpUrl,
      { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2099-01-01', capabilities: {}, clientInfo: { name: 't', version: '1' } } },
      auth(),
    );
    expect(res.status).toBe(200);
    expect(res.json.result.protocolVersion).toBe('2025-11-25');
  });
});

describe('bad input never reaches a 500 and changes nothing', () => {
  test.each([
    ['malformed JSON', '{"jsonrpc": "2.0", "id": 1, "method": ', 400, -32700],
    ['not JSON-RPC', '{"hello": "world"}', 400, undefined],
    ['an empty body', '', 400, -32700],
    ['a request with a null id', '{"jsonrpc": "2.0", "id": null, "method": "tools/list"}', 400, -32700],
    ['an empty batch', '[]', 400, -32700],
  ])('%s', async (_what, body, status, rpcCode) => {
    const before = await counts();
    const res = await rpc(server.mcpUrl, body, auth());
    expect(res.status).toBe(status);
    expect(res.json?.error).toBeDefined();
    if (rpcCode !== undefined) expect(res.json.error.code).toBe(rpcCode);
    expect(await counts()).toEqual(before);
  });

  test('an oversized body is a 413', async () => {
    const before = await counts();
    const res = await rpc(server.mcpUrl, call('create_site', { name: 'x'.repeat(400_000), url: 'https://x.test' }), auth());
    expect(res.status).toBe(413);
    expect(res.json.error.message).toMatch(/larger than/);
    expect(await counts()).toEqual(before);
  });

  test('an unknown tool is JSON-RPC -32602', async () => {
    const res = await rpc(server.mcpUrl, call('drop_database'), auth());
    expect(res.status).toBe(200);
    expect(res.json.error.code).toBe(-32602);
    expect(res.json.error.message).toContain('tools/list');
  });

  test.each([
    ['a string id', 'get_site', { site_id: 'one' }, 'site_id'],
    ['a negative id', 'get_site', { site_id: -4 }, 'site_id'],
    ['an id beyond int4', 'get_site', { site_id: 2 ** 40 }, 'site_id'],
    ['limit 0', 'list_sites', { limit: 0 }, 'limit'],
    ['limit 101', 'list_sites', { limit: 101 }, 'limit'],
    ['an unknown argument', 'list_sites', { colour: 'red' }, '(arguments)'],
    ['a bogus cursor', 'list_sites', { cursor: 'bm9wZQ' }, 'cursor'],
    ['an ftp url', 'create_site', { name: 'x', url: 'ftp://x.test' }, 'url'],
    ['a url with a password', 'create_site', { name: 'x', url: 'https://u:p@x.test' }, 'url'],
    ['an empty name', 'create_site', { name: '  ', url: 'https://x.test' }, 'name'],
    ['a bad status filter', 'list_sites', { status: 'on fire' }, 'status'],
  ])('%s: 422 validation_failed naming the field', async (_what, tool, args, field) => {
    const before = await counts();
    const client = await connect(server.mcpUrl, token);
    const res = await client.callTool({ name: tool, arguments: args });
    await client.close();
    expect(res.isError).toBe(true);
    const error = (res.structuredContent as any).error;
    expect(error).toMatchObject({ status: 422, code: 'validation_failed' });
    expect(Object.keys(error.details.fields).join(' ')).toContain(field);
    expect(await counts()).toEqual(before);
  });
});

test('protected-resource metadata names this server and its scopes', async () => {
  for (const path of ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']) {
    const res = await fetch(server.url + path);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.resource).toBe(server.mcpUrl);
    expect(body.scopes_supported).toHaveLength(9);
    expect(body.bearer_methods_supported).toEqual(['header']);
  }
});

test('a non-JSON content type is a 415 and a client that cannot take JSON and SSE a 406', async () => {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
  const text = await fetch(server.mcpUrl, { method: 'POST', body, headers: { ...auth(), 'content-type': 'text/plain', accept: 'application/json, text/event-stream' } });
  expect(text.status).toBe(415);
  const accept = await fetch(server.mcpUrl, { method: 'POST', body, headers: { ...auth(), 'content-type': 'application/json', accept: 'application/json' } });
  expect(accept.status).toBe(406);
});
