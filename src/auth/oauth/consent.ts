import type { Db } from '../../db/index.js';
import { digest, randomHandle } from '../secrets.js';
import { createGrant } from './grants.js';
import { redirectWith } from './authorizationRequest.js';

/** Codes are single-use and live five minutes (OAuth 2.1 asks for at most ten). */
const CODE_TTL_MS = 5 * 60 * 1000;
export const HANDLE_RE = /^[A-Za-z0-9_-]{43}$/;

export interface PendingAuthorization {
  clientId: string;
  clientName: string;
  clientKind: 'dcr' | 'cimd';
  redirectUri: string;
  state: string | null;
  scopes: string[];
}

/** The pending request behind a handle, if it belongs to this browser session and is still open. */
export async function findPending(db: Db, handle: string, sessionId: number, now: Date): Promise<PendingAuthorization | null> {
  if (!HANDLE_RE.test(handle)) return null;
  const row = await db
    .selectFrom('oauth_pending_authorizations as p')
    .innerJoin('oauth_clients as c', 'c.client_id', 'p.client_id')
    .select(['p.client_id', 'c.client_name', 'c.kind', 'p.redirect_uri', 'p.state', 'p.scopes'])
    .where('p.handle_hash', '=', digest(handle))
    .where('p.session_id', '=', sessionId)
    .where('p.consumed_at', 'is', null)
    .where('p.expires_at', '>', now)
    .executeTakeFirst();
  if (!row) return null;
  return { clientId: row.client_id, clientName: row.client_name, clientKind: row.kind, redirectUri: row.redirect_uri, state: row.state, scopes: row.scopes };
}

export type Decision = { allow: false } | { allow: true; userId: number; scopes: string[] };

/**
 * Consumes the pending request exactly once and answers the client: `error=access_denied`, or a code bound
 * (through the request) to the client, redirect URI, PKCE challenge and resource, and (through its grant)
 * to the scopes the person left ticked.
 * Null when the request was already answered, expired, or is another session's.
 */
export async function decide(db: Db, handle: string, sessionId: number, decision: Decision, issuer: string, now: Date): Promise<string | null> {
  if (!HANDLE_RE.test(handle)) return null;
  return db.transaction().execute(async (tx) => {
    const pending = await tx
      .updateTable('oauth_pending_authorizations')
      .set({ consumed_at: now })
      .where('handle_hash', '=', digest(handle))
      .where('session_id', '=', sessionId)
      .where('consumed_at', 'is', null)
      .where('expires_at', '>', now)
      .returning(['handle_hash', 'client_id', 'redirect_uri', 'state', 'resource'])
      .executeTakeFirst();
    if (!pending) return null;
    if (!decision.allow) {
      return redirectWith(pending.redirect_uri, { error: 'access_denied', error_description: 'The user declined the request.', state: pending.state, iss: issuer });
    }
    const grantId = await createGrant(tx, { userId: decision.userId, clientId: pending.client_id, scopes: decision.scopes, resource: pending.resource }, now);
    const code = randomHandle();
    await tx
      .insertInto('oauth_codes')
      .values({ code_hash: digest(code), grant_id: grantId, authorization_hash: pending.handle_hash, expires_at: new Date(now.getTime() + CODE_TTL_MS) })
      .execute();
    return redirectWith(pending.redirect_uri, { code, state: pending.state, iss: issuer });
  });
}
