import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../db/index.js';
import { hit } from '../rateLimit.js';
import { randomHandle } from '../secrets.js';
import { fetchClientMetadataDocument, isMetadataDocumentUrl } from './clientMetadataDocument.js';
import { OAuthError } from './errors.js';
import { redirectUriProblem } from './redirectUris.js';

export interface Client {
  clientId: string;
  kind: 'dcr' | 'cimd';
  name: string;
  clientUri: string | null;
  redirectUris: string[];
}

export interface ClientPolicy {
  allowPrivateTargets: boolean;
  redirectSchemes: ReadonlySet<string>;
}

/** A registered client that never gets a grant is gone after a day; each grant or refresh keeps it 30 days. */
const UNUSED_CLIENT_TTL_MS = 24 * 60 * 60 * 1000;
/** Cached documents do not count: only fetches of documents we have no fresh copy of. */
const METADATA_FETCHES_PER_IP_PER_10_MIN = 20;
export const USED_CLIENT_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const REGISTRATIONS_PER_IP_PER_HOUR = 20;

/** RFC 7591 §2 metadata this server reads; anything else a client sends is ignored. */
const RegistrationSchema = z.object({
  redirect_uris: z.array(z.string().max(2000)).min(1).max(20),
  client_name: z.string().trim().min(1).max(100).optional(),
  client_uri: z.url({ protocol: /^https$/ }).max(2000).optional(),
  token_endpoint_auth_method: z.string().optional(),
  grant_types: z.array(z.string()).optional(),
  response_types: z.array(z.string()).optional(),
});

const GRANT_TYPES = ['authorization_code', 'refresh_token'];

function invalidMetadata(message: string, code: 'invalid_client_metadata' | 'invalid_redirect_uri' = 'invalid_client_metadata') {
  return new OAuthError(code, message);
}

/**
 * Dynamic client registration for public clients. Every client is public (`none`): a confidential method
 * asked for is answered with what was registered instead, as RFC 7591 §3.2.1 allows. Identical metadata
 * reuses one client; new clients are limited per IP.
 */
export async function registerClient(db: Db, policy: ClientPolicy, body: unknown, ip: string, now: Date) {
  const parsed = RegistrationSchema.safeParse(body);
  if (!parsed.success) {
    throw invalidMetadata(parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  }
  const m = parsed.data;
  const unsupportedGrant = m.grant_types?.find((g) => !GRANT_TYPES.includes(g));
  if (unsupportedGrant) throw invalidMetadata(`grant_types: ${unsupportedGrant} is not supported (only authorization_code and refresh_token).`);
  if (m.response_types?.some((r) => r !== 'code')) throw invalidMetadata('response_types: only "code" is supported.');
  const redirectUris = [...new Set(m.redirect_uris)];
  const problems = redirectUris.map((u) => redirectUriProblem(u, policy.redirectSchemes)).filter((p) => p !== null);
  if (problems.length) throw invalidMetadata(problems.join(' '), 'invalid_redirect_uri');

  const registered = { client_name: m.client_name ?? 'Unnamed MCP client', client_uri: m.client_uri ?? null, redirect_uris: redirectUris };
  const metadataHash = createHash('sha256').update(JSON.stringify(registered)).digest();
  await db.deleteFrom('oauth_clients').where('kind', '=', 'dcr').where('expires_at', '<=', now).execute();
  let row = await db
    .selectFrom('oauth_clients')
    .select(['client_id', 'created_at'])
    .where('kind', '=', 'dcr')
    .where('metadata_hash', '=', metadataHash)
    .executeTakeFirst();
  if (!row) {
    const verdict = await hit(db, { bucket: `register-ip:${ip}`, max: REGISTRATIONS_PER_IP_PER_HOUR, windowSeconds: 3600 }, now);
    if (!verdict.ok) {
      throw new OAuthError('temporarily_unavailable', `Too many client registrations from this address; try again in ${verdict.retryAfterSeconds} s.`, 429);
    }
    row = await db
      .insertInto('oauth_clients')
      .values({
        client_id: `spc_${randomHandle()}`,
        kind: 'dcr',
        client_name: registered.client_name,
        client_uri: registered.client_uri,
        redirect_uris: redirectUris,
        metadata_hash: metadataHash,
        registered_ip: ip,
        created_at: now,
        expires_at: new Date(now.getTime() + UNUSED_CLIENT_TTL_MS),
      })
      // Two identical registrations racing: the second gets the first one's client. The partial index's
      // predicate is a literal: a parameter would not prove it to PostgreSQL in a prepared statement.
      .onConflict((oc) => oc.column('metadata_hash').where('kind', '=', sql.lit('dcr')).doUpdateSet({ client_name: sql`excluded.client_name` }))
      .returning(['client_id', 'created_at'])
      .executeTakeFirstOrThrow();
  }
  return {
    client_id: row.client_id,
    client_id_issued_at: Math.floor(row.created_at.getTime() / 1000),
    client_name: registered.client_name,
    ...(m.client_uri && { client_uri: m.client_uri }),
    redirect_uris: redirectUris,
    grant_types: GRANT_TYPES,
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  };
}

const toClient = (r: { client_id: string; kind: 'dcr' | 'cimd'; client_name: string; client_uri: string | null; redirect_uris: string[] }): Client => ({
  clientId: r.client_id,
  kind: r.kind,
  name: r.client_name,
  clientUri: r.client_uri,
  redirectUris: r.redirect_uris,
});

async function storedClient(db: Db, clientId: string) {
  return db
    .selectFrom('oauth_clients')
    .select(['client_id', 'kind', 'client_name', 'client_uri', 'redirect_uris', 'expires_at'])
    .where('client_id', '=', clientId)
    .executeTakeFirst();
}

/**
 * The client an authorization request names: a registered client that has not expired, or a metadata
 * document, fetched again once its cache lifetime is over. Null when there is no such client.
 */
export async function resolveClient(db: Db, policy: ClientPolicy, clientId: string, ip: string, now: Date): Promise<Client | null> {
  const row = await storedClient(db, clientId);
  if (row && row.expires_at > now) return toClient(row);
  if (!isMetadataDocumentUrl(clientId)) return null;
  // Anyone can make us fetch a URL here, before signing in: a few documents per address, then wait.
  const verdict = await hit(db, { bucket: `metadata-fetch-ip:${ip}`, max: METADATA_FETCHES_PER_IP_PER_10_MIN, windowSeconds: 600 }, now);
  if (!verdict.ok) {
    throw new OAuthError('temporarily_unavailable', `Too many new applications from your network; try again in ${verdict.retryAfterSeconds} seconds.`);
  }
  const doc = await fetchClientMetadataDocument(clientId, policy);
  const values = {
    client_name: doc.clientName,
    client_uri: doc.clientUri,
    redirect_uris: doc.redirectUris,
    expires_at: new Date(now.getTime() + doc.ttlSeconds * 1000),
  };
  await db
    .insertInto('oauth_clients')
    .values({ client_id: clientId, kind: 'cimd', created_at: now, ...values })
    .onConflict((oc) => oc.column('client_id').doUpdateSet(values))
    .execute();
  return { clientId, kind: 'cimd', name: doc.clientName, clientUri: doc.clientUri, redirectUris: doc.redirectUris };
}

/**
 * The client presenting a code or refresh token. A metadata document's cached copy is enough here even when
 * stale: the code or grant already binds everything that was checked at authorization.
 */
export async function knownClient(db: Db, clientId: string, now: Date): Promise<Client | null> {
  const row = await storedClient(db, clientId);
  return row && (row.kind === 'cimd' || row.expires_at > now) ? toClient(row) : null;
}

/** A registered client in use stays registered as long as one of its refresh tokens can live. */
export async function keepClient(db: Db, clientId: string, now: Date): Promise<void> {
  await db
    .updateTable('oauth_clients')
    .set({ expires_at: new Date(now.getTime() + USED_CLIENT_TTL_MS) })
    .where('client_id', '=', clientId)
    .where('kind', '=', 'dcr')
    .execute();
}
