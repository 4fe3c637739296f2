import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { sql } from 'kysely';
import type { Database } from '../src/db/index.js';
import { sweepExpired } from '../src/auth/sweep.js';
import { seed } from '../src/fixtures/seed.js';
import { freshDatabase } from './support/db.js';

let database: Database;
const now = new Date('2026-11-27T12:00:00Z');
const at = (hours: number) => new Date(now.getTime() + hours * 3_600_000);
const bytes = () => randomBytes(32);

beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database?.close());

test('the sweep deletes what can no longer be used and keeps the rest', async () => {
  const db = database.db;
  const { users } = await seed(db, { users: [{ email: 'sweep@one.test', name: 'Sweep' }], teams: [] });
  const userId = users['sweep@one.test']!;
  await db.insertInto('oauth_clients').values({ client_id: 'c1', kind: 'dcr', client_name: 'C', redirect_uris: ['http://127.0.0.1/cb'], expires_at: at(24 * 30) }).execute();
  const [oldSession, liveSession] = await Promise.all(
    [at(-1), at(1)].map(async (expires_at) =>
      (await db.insertInto('browser_sessions').values({ secret_hash: bytes(), expires_at }).returning('id').executeTakeFirstOrThrow()).id,
    ),
  );
  const pending = (expires_at: Date) => ({
    handle_hash: bytes(), session_id: liveSession!, client_id: 'c1', redirect_uri: 'http://127.0.0.1/cb', state: null,
    code_challenge: 'x', resource: 'http://127.0.0.1/mcp', scopes: ['sites:read'], expires_at,
  });
  await db.insertInto('oauth_pending_authorizations').values([pending(at(-25)), pending(at(-1))]).execute();
  const grant = await db.insertInto('oauth_grants').values({ user_id: userId, client_id: 'c1', scopes: ['sites:read'], resource: 'r' }).returning('id').executeTakeFirstOrThrow();
  const token = (kind: 'mcp' | 'oauth_access', expires_at: Date) => ({
    kind, user_id: userId, name: 't', token_hash: bytes(), scopes: ['sites:read'], expires_at, grant_id: kind === 'mcp' ? null : grant.id,
  });
  await db.insertInto('tokens').values([token('oauth_access', at(-25)), token('oauth_access', at(-1)), token('mcp', at(-24 * 60))]).execute();
  await db.insertInto('auth_rate_limits').values([{ bucket: 'ip:1', window_start: at(-25), hits: 3 }, { bucket: 'ip:1', window_start: at(0), hits: 1 }]).execute();

  expect(await sweepExpired(db, now)).toEqual({ browser_sessions: 1, oauth_pending_authorizations: 1, tokens: 1, auth_rate_limits: 1 });

  const left = await sql<Record<string, number>>`select
      (select count(*)::int from browser_sessions) as sessions,
      (select count(*)::int from oauth_pending_authorizations) as pending,
      (select count(*)::int from tokens where kind = 'oauth_access') as access,
      (select count(*)::int from tokens where kind = 'mcp') as mcp,
      (select count(*)::int from auth_rate_limits) as windows`.execute(db);
  expect(left.rows[0]).toEqual({ sessions: 1, pending: 1, access: 1, mcp: 1, windows: 1 });
  expect(await db.selectFrom('browser_sessions').select('id').where('id', '=', oldSession!).executeTakeFirst()).toBeUndefined();
  expect(await sweepExpired(db, now)).toEqual({ browser_sessions: 0, oauth_pending_authorizations: 0, tokens: 0, auth_rate_limits: 0 });
});
