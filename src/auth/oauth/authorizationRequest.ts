import { z } from 'zod';
import type { Db } from '../../db/index.js';
import { DEFAULT_CHALLENGE_SCOPES } from '../../access/scopes.js';
import { requestedScopes } from './scopes.js';
import { digest, randomHandle } from '../secrets.js';
import { resolveClient, type Client, type ClientPolicy } from './clients.js';
import { OAuthError } from './errors.js';
import { S256_CHALLENGE_RE } from './pkce.js';
import { redirectUriAllowed } from './redirectUris.js';
import { isThisResource } from './resource.js';

/** A sign-in and consent has ten minutes to happen. */
const PENDING_TTL_MS = 10 * 60 * 1000;

export interface AuthorizationRequest {
  client: Client;
  redirectUri: string;
  state: string | null;
  codeChallenge: string;
  resource: string;
  scopes: string[];
}

/**
 * Why an /authorize request fails. `redirect` errors go back to the client (its redirect URI is trusted);
 * `show` errors are shown to the person, because without a known client and redirect URI there is nowhere
 * safe to send them (RFC 6749 §4.1.2.1).
 */
export type AuthorizeOutcome =
  | { ok: true; request: AuthorizationRequest }
  | { ok: false; show: OAuthError }
  | { ok: false; redirect: OAuthError; redirectUri: string; state: string | null };

const single = z.string().max(2000);
const Trusted = z.object({ client_id: single.min(1), redirect_uri: single.min(1), state: single.optional() });
const Rest = z.object({
  response_type: single.optional(),
  code_challenge: single.optional(),
  code_challenge_method: single.optional(),
  resource: single.optional(),
  scope: single.optional(),
});

export interface AuthorizeContext {
  db: Db;
  policy: ClientPolicy;
  resource: string;
  /** The browser's address, for the limit on metadata-document fetches. */
  ip: string;
  now: Date;
}

export async function parseAuthorizationRequest(ctx: AuthorizeContext, query: Record<string, unknown>): Promise<AuthorizeOutcome> {
  const trusted = Trusted.safeParse(query);
  if (!trusted.success) {
    return { ok: false, show: new OAuthError('invalid_request', 'The request must carry exactly one client_id and one redirect_uri.') };
  }
  const { client_id: clientId, redirect_uri: redirectUri } = trusted.data;
  let client: Client | null;
  try {
    client = await resolveClient(ctx.db, ctx.policy, clientId, ctx.ip, ctx.now);
  } catch (err) {
    if (err instanceof OAuthError) return { ok: false, show: err };
    throw err;
  }
  if (!client) return { ok: false, show: new OAuthError('invalid_client', 'This application is not registered here (its registration may have expired). Reconnect it from the application.') };
  if (!redirectUriAllowed(client.redirectUris, redirectUri)) {
    return { ok: false, show: new OAuthError('invalid_request', `The redirect_uri is not one ${client.name} registered, so SitePulse will not send you there.`) };
  }
  const state = trusted.data.state ?? null;
  const fail = (code: OAuthError['code'], description: string): AuthorizeOutcome => ({ ok: false, redirect: new OAuthError(code, description), redirectUri, state });

  const rest = Rest.safeParse(query);
  if (!rest.success) return fail('invalid_request', `Each parameter may appear once: ${rest.error.issues.map((i) => i.path.join('.')).join(', ')}.`);
  const q = rest.data;
  if (q.response_type !== 'code') return fail('unsupported_response_type', 'Only response_type=code is supported.');
  if (q.code_challenge_method !== 'S256') return fail('invalid_request', 'PKCE is required with code_challenge_method=S256 (plain is not accepted).');
  if (!q.code_challenge || !S256_CHALLENGE_RE.test(q.code_challenge)) return fail('invalid_request', 'code_challenge must be a base64url SHA-256 (43 characters).');
  if (!q.resource) return fail('invalid_target', `The resource parameter is required: ${ctx.resource}.`);
  if (!isThisResource(q.resource, ctx.resource)) return fail('invalid_target', `This server only issues tokens for ${ctx.resource}.`);
  const { scopes, unknown } = requestedScopes(q.scope);
  if (unknown.length) return fail('invalid_scope', `Unknown scope(s): ${unknown.join(', ')}.`);
  return {
    ok: true,
    request: { client, redirectUri, state, codeChallenge: q.code_challenge, resource: ctx.resource, scopes: scopes.length ? scopes : DEFAULT_CHALLENGE_SCOPES },
  };
}

/** Keeps a validated request for the browser session that made it; the handle names it in later pages. */
export async function savePendingAuthorization(db: Db, sessionId: number, r: AuthorizationRequest, now: Date): Promise<string> {
  const handle = randomHandle();
  await db
    .insertInto('oauth_pending_authorizations')
    .values({
      handle_hash: digest(handle),
      session_id: sessionId,
      client_id: r.client.clientId,
      redirect_uri: r.redirectUri,
      state: r.state,
      code_challenge: r.codeChallenge,
      resource: r.resource,
      scopes: r.scopes,
      created_at: now,
      expires_at: new Date(now.getTime() + PENDING_TTL_MS),
    })
    .execute();
  return handle;
}

/** Adds the response parameters to a redirect URI, keeping its own query (RFC 6749 §3.1.2), with `iss` (RFC 9207). */
export function redirectWith(redirectUri: string, params: Record<string, string | null | undefined>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined) url.searchParams.set(k, v);
  return url.href;
}
