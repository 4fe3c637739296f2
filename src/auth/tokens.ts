import type { Db } from '../db/index.js';
import { prepared } from '../db/prepared.js';
import { parseScopes, type Scope } from '../access/scopes.js';
import type { Authentication } from '../access/principal.js';
import { AppError } from '../domain/errors.js';
import { membershipsOf, toMemberships } from '../domain/teams.js';
import { iso } from '../domain/time.js';
import { digest, kindOf, looksLikeSecret, newSecret, sameDigest } from './secrets.js';

/** MCP fallback tokens live at most six calendar months, and that is also their default lifetime. */
export function maxExpiry(createdAt: Date): Date {
  const d = new Date(createdAt);
  d.setUTCMonth(d.getUTCMonth() + 6);
  return d;
}

export interface NewMcpToken {
  userId: number;
  name: string;
  scopes: Iterable<string>;
  expiresAt?: Date | undefined;
  now?: Date;
}

/** Creates a Settings → MCP token. The plaintext is returned once and never stored. */
export async function createMcpToken(db: Db, t: NewMcpToken) {
  const now = t.now ?? new Date();
  const name = t.name.trim();
  if (!name || name.length > 100) {
    throw new AppError('validation_failed', 'Give the token a name of 1 to 100 characters, such as "CI agent".', { fields: { name: 'required, at most 100 characters' } });
  }
  const { scopes, unknown } = parseScopes(t.scopes);
  if (unknown.length) {
    throw new AppError('validation_failed', `Unknown scope(s): ${unknown.join(', ')}.`, { fields: { scopes: `unknown: ${unknown.join(', ')}` } });
  }
  if (!scopes.length) throw new AppError('validation_failed', 'Choose at least one scope.', { fields: { scopes: 'required' } });
  const limit = maxExpiry(now);
  const expiresAt = t.expiresAt ?? limit;
  if (!(expiresAt > now) || expiresAt > limit) {
    throw new AppError('validation_failed', `The expiry must be in the future and no later than ${limit.toISOString()} (six months).`, {
      fields: { expires_at: `between now and ${limit.toISOString()}` },
    });
  }
  const secret = newSecret('mcp');
  const row = await db
    .insertInto('tokens')
    .values({ kind: 'mcp', user_id: t.userId, name, token_hash: digest(secret), scopes, expires_at: expiresAt, created_at: now })
    .returning(['id', 'name', 'scopes', 'created_at', 'expires_at'])
    .executeTakeFirstOrThrow();
  return { secret, token: { ...row, created_at: iso(row.created_at), expires_at: iso(row.expires_at) } };
}

/** The user's Settings → MCP tokens (OAuth tokens belong to their grants, listed as connected apps). */
export async function listTokens(db: Db, userId: number) {
  const rows = await db
    .selectFrom('tokens')
    .select(['id', 'kind', 'name', 'scopes', 'created_at', 'expires_at', 'revoked_at', 'last_used_at'])
    .where('user_id', '=', userId)
    .where('kind', '=', 'mcp')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    ...r,
    created_at: iso(r.created_at),
    expires_at: iso(r.expires_at),
    revoked_at: iso(r.revoked_at),
    last_used_at: iso(r.last_used_at),
  }));
}

/** Revokes by id (optionally only one of `userId`'s) or by plaintext; true when a live token was revoked. */
export async function revokeToken(db: Db, by: { id: number; userId?: number } | { secret: string }): Promise<boolean> {
  let q = db.updateTable('tokens').set({ revoked_at: new Date() }).where('revoked_at', 'is', null);
  if ('secret' in by) q = q.where('token_hash', '=', digest(by.secret));
  else {
    q = q.where('id', '=', by.id);
    if (by.userId !== undefined) q = q.where('user_id', '=', by.userId);
  }
  const res = await q.executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** The token, its user and every membership with plan and subscription: one round trip per request. */
const principalByHash = prepared((db: Db, hash: Buffer) =>
  db
    .selectFrom('tokens')
    .innerJoin('users', 'users.id', 'tokens.user_id')
    .select((eb) => [
      'tokens.id',
      'tokens.kind',
      'tokens.name',
      'tokens.token_hash',
      'tokens.scopes',
      'tokens.resource',
      'tokens.expires_at',
      'tokens.revoked_at',
      'tokens.last_used_at',
      'users.id as user_id',
      'users.email',
      'users.name as user_name',
      'users.email_verified_at',
      membershipsOf(eb),
    ])
    .where('tokens.token_hash', '=', hash),
);

/** last_used_at is kept to the minute: a write per request would cost more than it tells. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Step 1 of the gate: the bearer credential from the Authorization header, looked up by its SHA-256 in one
 * round trip that also brings the user and every membership with plan and subscription.
 * `resource` is this server's /mcp: OAuth access tokens issued for another resource are refused.
 */
export async function authenticate(
  db: Db,
  authorization: string | undefined,
  resource: string,
  now: Date,
  onTouchError: (err: unknown) => void,
): Promise<Authentication> {
  if (!authorization) return { ok: false, reason: 'missing' };
  const match = /^Bearer +(\S+) *$/i.exec(authorization);
  if (!match) return { ok: false, reason: 'malformed' };
  const secret = match[1]!;
  if (!looksLikeSecret(secret)) return { ok: false, reason: 'unknown' };
  const kind = kindOf(secret);
  if (kind !== 'mcp' && kind !== 'oauth_access') return { ok: false, reason: 'wrong_audience' };
  const hash = digest(secret);
  const row = await principalByHash(db, hash);
  if (!row || !sameDigest(row.token_hash, hash)) return { ok: false, reason: 'unknown' };
  if (row.kind !== kind || (row.kind === 'oauth_access' && row.resource !== resource)) return { ok: false, reason: 'wrong_audience' };
  if (row.revoked_at) return { ok: false, reason: 'revoked' };
  if (row.expires_at <= now) return { ok: false, reason: 'expired' };
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > TOUCH_EVERY_MS) {
    db.updateTable('tokens').set({ last_used_at: now }).where('id', '=', row.id).execute().catch(onTouchError);
  }
  return {
    ok: true,
    principal: {
      user: { id: row.user_id, email: row.email, name: row.user_name, email_verified: row.email_verified_at !== null },
      token: { id: row.id, kind, name: row.name, scopes: new Set(row.scopes as Scope[]), expires_at: row.expires_at },
      memberships: toMemberships(row.memberships, now),
    },
  };
}
