import { z } from 'zod';
import type { Db } from '../../db/index.js';
import { requestedScopes } from './scopes.js';
import { digest, kindOf } from '../secrets.js';
import { knownClient } from './clients.js';
import { OAuthError } from './errors.js';
import { issueTokens, revokeGrant, type TokenResponse } from './grants.js';
import { verifierMatches } from './pkce.js';
import { isThisResource } from './resource.js';

/** Two requests racing with one refresh token both get tokens; a reuse later than this is a theft signal. */
export const REFRESH_REUSE_GRACE_MS = 10_000;

const param = z.string().min(1).max(4096);
const TokenRequest = z.discriminatedUnion('grant_type', [
  z.object({ grant_type: z.literal('authorization_code'), client_id: param, code: param, redirect_uri: param, code_verifier: param, resource: param.optional() }),
  z.object({ grant_type: z.literal('refresh_token'), client_id: param, refresh_token: param, scope: param.optional(), resource: param.optional() }),
]);

export interface TokenContext {
  db: Db;
  resource: string;
  now: Date;
}

type Outcome = { ok: true; tokens: TokenResponse } | { ok: false; error: OAuthError };
const failure = (code: OAuthError['code'], description: string): Outcome => ({ ok: false, error: new OAuthError(code, description) });

/** The token endpoint (OAuth 2.1 §3.2) for public clients: authorization_code with PKCE, and refresh_token. */
export async function handleTokenRequest(ctx: TokenContext, body: unknown): Promise<Outcome> {
  const grantType = (body as { grant_type?: unknown } | undefined)?.grant_type;
  if (typeof grantType === 'string' && grantType !== 'authorization_code' && grantType !== 'refresh_token') {
    return failure('unsupported_grant_type', `grant_type ${grantType} is not supported (authorization_code, refresh_token).`);
  }
  const parsed = TokenRequest.safeParse(body);
  if (!parsed.success) {
    return failure('invalid_request', `Missing or repeated parameter(s): ${parsed.error.issues.map((i) => i.path.join('.') || 'grant_type').join(', ')}.`);
  }
  const req = parsed.data;
  const client = await knownClient(ctx.db, req.client_id, ctx.now);
  if (!client) return { ok: false, error: new OAuthError('invalid_client', 'Unknown client_id (its registration may have expired); register again.') };
  if (req.resource !== undefined && !isThisResource(req.resource, ctx.resource)) {
    return failure('invalid_target', `This server only issues tokens for ${ctx.resource}.`);
  }
  return req.grant_type === 'authorization_code'
    ? exchangeCode(ctx, { ...req, clientName: client.name })
    : refresh(ctx, { ...req, clientName: client.name });
}

async function exchangeCode(
  { db, now }: TokenContext,
  req: { client_id: string; clientName: string; code: string; redirect_uri: string; code_verifier: string },
): Promise<Outcome> {
  return db.transaction().execute(async (tx) => {
    const code = await tx
      .selectFrom('oauth_codes as c')
      .innerJoin('oauth_grants as g', 'g.id', 'c.grant_id')
      .innerJoin('oauth_pending_authorizations as p', 'p.handle_hash', 'c.authorization_hash')
      .select(['c.code_hash', 'c.grant_id', 'c.expires_at', 'c.consumed_at', 'p.redirect_uri', 'p.code_challenge', 'g.client_id', 'g.user_id', 'g.scopes', 'g.resource', 'g.revoked_at'])
      .where('c.code_hash', '=', digest(req.code))
      .forUpdate('c')
      .executeTakeFirst();
    const invalid = failure('invalid_grant', 'The authorization code is invalid, expired or already used.');
    if (!code) return invalid;
    if (code.consumed_at) {
      // A replayed code means someone else may hold it: withdraw whatever it produced (OAuth 2.1 §4.1.3).
      await revokeGrant(tx, code.grant_id, now);
      return failure('invalid_grant', 'The authorization code was already used; the tokens issued for it are revoked.');
    }
    if (code.expires_at <= now || code.revoked_at) return invalid;
    if (code.client_id !== req.client_id) return failure('invalid_grant', 'The authorization code was issued to another client.');
    if (code.redirect_uri !== req.redirect_uri) return failure('invalid_grant', 'redirect_uri differs from the one in the authorization request.');
    if (!verifierMatches(req.code_verifier, code.code_challenge)) return failure('invalid_grant', 'code_verifier does not match the code_challenge (PKCE S256).');
    await tx.updateTable('oauth_codes').set({ consumed_at: now }).where('code_hash', '=', code.code_hash).execute();
    const grant = { id: code.grant_id, userId: code.user_id, clientId: code.client_id, clientName: req.clientName, scopes: code.scopes, resource: code.resource };
    return { ok: true, tokens: await issueTokens(tx, grant, code.scopes, now) };
  });
}

async function refresh(
  { db, now }: TokenContext,
  req: { client_id: string; clientName: string; refresh_token: string; scope?: string | undefined },
): Promise<Outcome> {
  if (kindOf(req.refresh_token) !== 'oauth_refresh') return failure('invalid_grant', 'This is not a refresh token.');
  return db.transaction().execute(async (tx) => {
    const token = await tx
      .selectFrom('tokens as t')
      .innerJoin('oauth_grants as g', 'g.id', 't.grant_id')
      .select(['t.id', 't.expires_at', 't.revoked_at', 't.replaced_at', 'g.id as grant_id', 'g.user_id', 'g.client_id', 'g.scopes', 'g.resource', 'g.revoked_at as grant_revoked_at'])
      .where('t.token_hash', '=', digest(req.refresh_token))
      .where('t.kind', '=', 'oauth_refresh')
      .forUpdate('t')
      .executeTakeFirst();
    const invalid = failure('invalid_grant', 'The refresh token is invalid, expired or revoked; sign in again.');
    if (!token || token.client_id !== req.client_id) return invalid;
    if (token.revoked_at || token.grant_revoked_at || token.expires_at <= now) return invalid;
    if (token.replaced_at && now.getTime() - token.replaced_at.getTime() > REFRESH_REUSE_GRACE_MS) {
      // A rotated refresh token came back: either the client or a thief has a copy. End the whole grant.
      await revokeGrant(tx, token.grant_id, now);
      return failure('invalid_grant', 'This refresh token was already used; the grant is revoked. Sign in again.');
    }
    let scopes = token.scopes;
    if (req.scope !== undefined) {
      const { scopes: known, unknown } = requestedScopes(req.scope);
      const beyond = [...unknown, ...known.filter((s) => !token.scopes.includes(s))];
      if (beyond.length) return failure('invalid_scope', `A refresh cannot add scopes that were not granted: ${beyond.join(', ')}.`);
      if (known.length) scopes = known;
    }
    if (!token.replaced_at) await tx.updateTable('tokens').set({ replaced_at: now }).where('id', '=', token.id).execute();
    const grant = { id: token.grant_id, userId: token.user_id, clientId: token.client_id, clientName: req.clientName, scopes: token.scopes, resource: token.resource };
    return { ok: true, tokens: await issueTokens(tx, grant, scopes, now) };
  });
}

/**
 * RFC 7009 revocation for public clients: a token of another client, or an unknown one, is silently
 * ignored. A refresh token ends its whole grant; an access token ends itself.
 */
export async function revokeOAuthToken(db: Db, body: unknown, now: Date): Promise<OAuthError | null> {
  const parsed = z.object({ token: param, client_id: param, token_type_hint: param.optional() }).safeParse(body);
  if (!parsed.success) return new OAuthError('invalid_request', 'token and client_id are required.');
  const { token, client_id } = parsed.data;
  if (!(await knownClient(db, client_id, now))) return new OAuthError('invalid_client', 'Unknown client_id.');
  const row = await db
    .selectFrom('tokens as t')
    .innerJoin('oauth_grants as g', 'g.id', 't.grant_id')
    .select(['t.id', 't.kind', 't.grant_id', 'g.client_id'])
    .where('t.token_hash', '=', digest(token))
    .executeTakeFirst();
  if (!row || row.client_id !== client_id) return null;
  if (row.kind === 'oauth_refresh') await revokeGrant(db, row.grant_id!, now);
  else await db.updateTable('tokens').set({ revoked_at: now }).where('id', '=', row.id).where('revoked_at', 'is', null).execute();
  return null;
}
