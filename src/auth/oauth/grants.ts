import type { Db } from '../../db/index.js';
import { iso } from '../../domain/time.js';
import { digest, newSecret } from '../secrets.js';
import { keepClient } from './clients.js';

/** Access tokens are short-lived; refresh tokens rotate on every use and each lives 30 days. */
export const ACCESS_TTL_S = 60 * 60;
export const REFRESH_TTL_S = 30 * 24 * 60 * 60;

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

/** A grant is one consent: the family its code, access tokens and refresh tokens belong to. */
export async function createGrant(db: Db, g: { userId: number; clientId: string; scopes: string[]; resource: string }, now: Date): Promise<number> {
  const { id } = await db
    .insertInto('oauth_grants')
    .values({ user_id: g.userId, client_id: g.clientId, scopes: g.scopes, resource: g.resource, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Issues an access token (with `scopes`, possibly narrower than the grant's) and a new refresh token. */
export async function issueTokens(
  db: Db,
  grant: { id: number; userId: number; clientId: string; clientName: string; scopes: string[]; resource: string },
  scopes: string[],
  now: Date,
): Promise<TokenResponse> {
  const access = newSecret('oauth_access');
  const refresh = newSecret('oauth_refresh');
  const common = { user_id: grant.userId, grant_id: grant.id, name: grant.clientName, resource: grant.resource, created_at: now };
  await db
    .insertInto('tokens')
    .values([
      { ...common, kind: 'oauth_access', token_hash: digest(access), scopes, expires_at: new Date(now.getTime() + ACCESS_TTL_S * 1000) },
      { ...common, kind: 'oauth_refresh', token_hash: digest(refresh), scopes: grant.scopes, expires_at: new Date(now.getTime() + REFRESH_TTL_S * 1000) },
    ])
    .execute();
  await keepClient(db, grant.clientId, now);
  return { access_token: access, token_type: 'Bearer', expires_in: ACCESS_TTL_S, refresh_token: refresh, scope: scopes.join(' ') };
}

/** Ends a grant and every token it produced. */
export async function revokeGrant(db: Db, grantId: number, now: Date): Promise<void> {
  await db.updateTable('oauth_grants').set({ revoked_at: now }).where('id', '=', grantId).where('revoked_at', 'is', null).execute();
  await db.updateTable('tokens').set({ revoked_at: now }).where('grant_id', '=', grantId).where('revoked_at', 'is', null).execute();
}

/** The OAuth apps a user has connected: live grants per client, with their scopes and last use. */
export async function connectedApps(db: Db, userId: number, now: Date) {
  const grants = await db
    .selectFrom('oauth_grants as g')
    .innerJoin('oauth_clients as c', 'c.client_id', 'g.client_id')
    .select((eb) => [
      'g.client_id',
      'c.client_name',
      'g.scopes',
      'g.created_at',
      eb.selectFrom('tokens as t').select((t) => t.fn.max('t.last_used_at').as('u')).whereRef('t.grant_id', '=', 'g.id').as('last_used_at'),
    ])
    .where('g.user_id', '=', userId)
    .where('g.revoked_at', 'is', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('tokens as r')
          .select('r.id')
          .whereRef('r.grant_id', '=', 'g.id')
          .where('r.kind', '=', 'oauth_refresh')
          .where('r.revoked_at', 'is', null)
          .where('r.expires_at', '>', now),
      ),
    )
    .orderBy('g.id')
    .execute();
  const apps = new Map<string, { client_id: string; client_name: string; scopes: Set<string>; connected_at: Date; last_used_at: Date | null }>();
  for (const g of grants) {
    const app = apps.get(g.client_id) ?? { client_id: g.client_id, client_name: g.client_name, scopes: new Set(), connected_at: g.created_at, last_used_at: null };
    for (const s of g.scopes) app.scopes.add(s);
    const used = g.last_used_at === null ? null : new Date(g.last_used_at);
    if (used && (!app.last_used_at || used > app.last_used_at)) app.last_used_at = used;
    apps.set(g.client_id, app);
  }
  return [...apps.values()].map((a) => ({ ...a, scopes: [...a.scopes], connected_at: iso(a.connected_at), last_used_at: iso(a.last_used_at) }));
}

/** Disconnects a client: every grant the user gave it. True when something was revoked. */
export async function disconnectApp(db: Db, userId: number, clientId: string, now: Date): Promise<boolean> {
  const grants = await db
    .selectFrom('oauth_grants')
    .select('id')
    .where('user_id', '=', userId)
    .where('client_id', '=', clientId)
    .where('revoked_at', 'is', null)
    .execute();
  for (const g of grants) await revokeGrant(db, g.id, now);
  return grants.length > 0;
}
