import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/index.js';
import { digest, randomHandle } from './secrets.js';

/**
 * Browser sessions for the login, consent and Settings pages. The cookie carries a random secret; the
 * database keeps only its SHA-256. A session starts anonymous (for the login form's CSRF token) and gets a
 * new secret when someone signs in, so a secret planted before sign-in is worthless after it.
 */
const ANONYMOUS_TTL_MS = 60 * 60 * 1000;
export const SIGNED_IN_TTL_MS = 12 * 60 * 60 * 1000;

export interface SessionUser {
  id: number;
  email: string;
  name: string;
  verified: boolean;
}

export interface BrowserSession {
  id: number;
  secret: string;
  expiresAt: Date;
  user: SessionUser | null;
}

export async function startSession(db: Db, now: Date): Promise<BrowserSession> {
  const secret = randomHandle();
  const expiresAt = new Date(now.getTime() + ANONYMOUS_TTL_MS);
  const { id } = await db
    .insertInto('browser_sessions')
    .values({ secret_hash: digest(secret), expires_at: expiresAt, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id, secret, expiresAt, user: null };
}

export async function findSession(db: Db, secret: string, now: Date): Promise<BrowserSession | null> {
  const row = await db
    .selectFrom('browser_sessions as s')
    .leftJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id', 's.expires_at', 'u.id as user_id', 'u.email', 'u.name', 'u.email_verified_at'])
    .where('s.secret_hash', '=', digest(secret))
    .where('s.expires_at', '>', now)
    .executeTakeFirst();
  if (!row) return null;
  const user = row.user_id === null ? null : { id: row.user_id, email: row.email!, name: row.name!, verified: row.email_verified_at !== null };
  return { id: row.id, secret, expiresAt: row.expires_at, user };
}

/** Binds the session to the user under a fresh secret; pending authorizations stay with the session id. */
export async function signIn(db: Db, sessionId: number, userId: number, now: Date): Promise<{ secret: string; expiresAt: Date }> {
  const secret = randomHandle();
  const expiresAt = new Date(now.getTime() + SIGNED_IN_TTL_MS);
  await db
    .updateTable('browser_sessions')
    .set({ secret_hash: digest(secret), user_id: userId, expires_at: expiresAt })
    .where('id', '=', sessionId)
    .execute();
  return { secret, expiresAt };
}

export async function endSession(db: Db, sessionId: number): Promise<void> {
  await db.deleteFrom('browser_sessions').where('id', '=', sessionId).execute();
}

/**
 * The CSRF token of a session: an HMAC of a fixed label keyed by the session secret (OWASP's synchronizer
 * token, derived rather than stored). A cross-site page can neither read the HttpOnly cookie nor the token.
 */
export function csrfToken(sessionSecret: string): string {
  return createHmac('sha256', sessionSecret).update('sitepulse csrf v1').digest('base64url');
}

export function csrfMatches(sessionSecret: string, presented: unknown): boolean {
  if (typeof presented !== 'string') return false;
  const expected = Buffer.from(csrfToken(sessionSecret));
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
