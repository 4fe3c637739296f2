import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { startServer, type TestServer } from './support/server.js';
import { call, rpc } from './support/client.js';
import { createMcpToken, maxExpiry } from '../src/auth/tokens.js';
import { digest } from '../src/auth/secrets.js';
import { hashPassword, verifyPassword } from '../src/auth/passwords.js';
import { hasPlanAccess } from '../src/domain/subscriptions.js';
import { AppError } from '../src/domain/errors.js';

let server: TestServer;
let userId: number;

beforeAll(async () => {
  server = await startServer();
  const ids = await server.seed({
    users: [{ email: 'tok@one.test', name: 'Tok' }],
    teams: [{ key: 'one', name: 'One', plan: 'pro', members: [{ email: 'tok@one.test', role: 'owner' }] }],
  });
  userId = ids.users['tok@one.test']!;
});
afterAll(() => server?.close());

describe('MCP tokens', () => {
  test('only the SHA-256 is stored; the plaintext is nowhere in the database', async () => {
    const { secret, token } = await createMcpToken(server.database.db, { userId, name: 'CI', scopes: ['sites:read'] });
    expect(secret).toMatch(/^spm_[A-Za-z0-9_-]{43}$/);
    const row = await server.database.db.selectFrom('tokens').selectAll().where('id', '=', token.id).executeTakeFirstOrThrow();
    expect(Buffer.from(row.token_hash).equals(digest(secret))).toBe(true);
    const dump = await sql<{ t: string }>`select (select json_agg(t)::text from tokens t) as t`.execute(server.database.db);
    expect(dump.rows[0]!.t).not.toContain(secret.slice(4));
  });

  test('expiry defaults to six months, may be shorter, never longer or past', async () => {
    const now = new Date('2026-11-27T12:00:00Z');
    const make = (expiresAt?: Date) => createMcpToken(server.database.db, { userId, name: 'x', scopes: ['sites:read'], expiresAt, now });
    expect((await make()).token.expires_at).toBe('2027-05-27T12:00:00.000Z');
    expect((await make(new Date('2026-12-01T00:00:00Z'))).token.expires_at).toBe('2026-12-01T00:00:00.000Z');
    await expect(make(new Date(maxExpiry(now).getTime() + 1000))).rejects.toThrow(/six months/);
    await expect(make(new Date('2026-11-01T00:00:00Z'))).rejects.toThrow(AppError);
  });

  test('unknown or missing scopes, and blank names, are refused', async () => {
    const make = (scopes: string[], name = 'x') => createMcpToken(server.database.db, { userId, name, scopes });
    await expect(make(['sites:read', 'admin'])).rejects.toThrow('Unknown scope(s): admin');
    await expect(make(['*'])).rejects.toThrow('Unknown scope(s): *');
    await expect(make([])).rejects.toThrow('at least one scope');
    await expect(make(['sites:read'], '   ')).rejects.toThrow('name');
  });

  test('last_used_at is recorded when the token is used', async () => {
    const { secret, token } = await createMcpToken(server.database.db, { userId, name: 'used', scopes: ['sites:read'] });
    expect((await rpc(server.mcpUrl, call('whoami'), { authorization: `Bearer ${secret}` })).status).toBe(200);
    await expect
      .poll(async () => (await server.database.db.selectFrom('tokens').select('last_used_at').where('id', '=', token.id).executeTakeFirstOrThrow()).last_used_at)
      .not.toBeNull();
  });
});

test('passwords: scrypt, salted, verified in constant time', async () => {
  const a = await hashPassword('correct horse');
  const b = await hashPassword('correct horse');
  expect(a).not.toBe(b);
  expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
  expect(await verifyPassword('correct horse', a)).toBe(true);
  expect(await verifyPassword('wrong horse', a)).toBe(false);
  expect(await verifyPassword('anything', null)).toBe(false);
});

test('active plan access follows DESIGN §2', () => {
  const now = new Date('2026-11-27T00:00:00Z');
  const later = new Date('2026-12-01T00:00:00Z');
  const earlier = new Date('2026-11-01T00:00:00Z');
  const sub = (status: 'trialing' | 'active' | 'past_due' | 'canceled', trial_ends_at: Date | null = null, ends_at: Date | null = null) => ({ status, trial_ends_at, ends_at });
  expect(hasPlanAccess(sub('active'), now)).toBe(true);
  expect(hasPlanAccess(sub('trialing', later), now)).toBe(true);
  expect(hasPlanAccess(sub('trialing', earlier), now)).toBe(false);
  expect(hasPlanAccess(sub('trialing'), now)).toBe(false);
  expect(hasPlanAccess(sub('canceled', null, later), now)).toBe(true);
  expect(hasPlanAccess(sub('canceled', null, earlier), now)).toBe(false);
  expect(hasPlanAccess(sub('past_due', later, later), now)).toBe(false);
  expect(hasPlanAccess(null, now)).toBe(false);
});
