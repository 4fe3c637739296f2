import CachePolicy from 'http-cache-semantics';
import { z } from 'zod';
import { FetchRefused, fetchPublic } from '../../net/publicFetch.js';
import { OAuthError } from './errors.js';
import { redirectUriProblem } from './redirectUris.js';

/**
 * Client ID metadata documents (draft-ietf-oauth-client-id-metadata-document): the client_id is an https URL
 * whose JSON document describes the client. Fetched with SSRF protection, validated, and kept for as long as
 * its HTTP cache headers allow (at most a day).
 */
const MAX_BYTES = 64 * 1024;
const TIMEOUT_MS = 5_000;
const MAX_TTL_S = 24 * 60 * 60;

/** A client_id in URL form: https, a path, no fragment, credentials or dot segments (draft §3). */
export function isMetadataDocumentUrl(clientId: string): boolean {
  if (!clientId.startsWith('https://')) return false;
  try {
    const url = new URL(clientId);
    return url.href === clientId && url.pathname !== '/' && !url.hash && !url.username && !url.password && !/\/\.\.?(\/|$)/.test(url.pathname);
  } catch {
    return false;
  }
}

const DocumentSchema = z.object({
  client_id: z.string(),
  client_name: z.string().trim().min(1).max(100).optional(),
  client_uri: z.url({ protocol: /^https$/ }).max(2000).optional(),
  redirect_uris: z.array(z.string().max(2000)).min(1).max(20),
  token_endpoint_auth_method: z.literal('none').default('none'),
  grant_types: z.array(z.enum(['authorization_code', 'refresh_token'])).optional(),
  response_types: z.array(z.literal('code')).optional(),
  // A document is public: a shared secret in it would be no secret (draft §4.1).
  client_secret: z.undefined({ error: 'a metadata document must not contain client_secret' }),
});

export interface FetchedClient {
  clientName: string;
  clientUri: string | null;
  redirectUris: string[];
  /** Seconds the document may be reused before it is fetched again. */
  ttlSeconds: number;
}

const refuse = (clientId: string, why: string) =>
  new OAuthError('invalid_client', `The client metadata document at ${clientId} could not be used: ${why}`);

export async function fetchClientMetadataDocument(
  clientId: string,
  opts: { allowPrivateTargets: boolean; redirectSchemes: ReadonlySet<string> },
): Promise<FetchedClient> {
  const headers = { accept: 'application/json' };
  let res;
  try {
    res = await fetchPublic(new URL(clientId), { allowPrivate: opts.allowPrivateTargets, timeoutMs: TIMEOUT_MS, maxBytes: MAX_BYTES, headers });
  } catch (err) {
    const why = err instanceof FetchRefused ? err.message : 'it could not be fetched in time.';
    throw refuse(clientId, why);
  }
  if (res.status !== 200) throw refuse(clientId, `fetching it answered HTTP ${res.status}.`);
  let json: unknown;
  try {
    json = JSON.parse(res.body.toString('utf8'));
  } catch {
    throw refuse(clientId, 'it is not valid JSON.');
  }
  const parsed = DocumentSchema.safeParse(json);
  if (!parsed.success) {
    throw refuse(clientId, parsed.error.issues.map((i) => `${i.path.join('.') || 'document'}: ${i.message}`).join('; '));
  }
  const doc = parsed.data;
  if (doc.client_id !== clientId) throw refuse(clientId, `its client_id (${doc.client_id}) is not the document's URL.`);
  const problems = doc.redirect_uris.map((u) => redirectUriProblem(u, opts.redirectSchemes)).filter((p) => p !== null);
  if (problems.length) throw refuse(clientId, problems.join(' '));
  const policy = new CachePolicy({ url: clientId, method: 'GET', headers }, { status: res.status, headers: res.headers }, { shared: true });
  const ttlSeconds = policy.storable() ? Math.min(Math.floor(policy.timeToLive() / 1000), MAX_TTL_S) : 0;
  return { clientName: doc.client_name ?? new URL(clientId).host, clientUri: doc.client_uri ?? null, redirectUris: doc.redirect_uris, ttlSeconds };
}
