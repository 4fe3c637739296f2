import * as oauth from 'oauth4webapi';
import { FormBrowser, authorizeInBrowser, type Consent } from './browserless.js';
import { startServer, type TestServer } from './server.js';
import { oauthFixture } from './oauthFixture.js';
import type { SeedResult } from '../../src/fixtures/seed.js';

/** oauth4webapi as a strict client of the test server (http only because the loopback has no TLS here). */
export const insecure = { [oauth.allowInsecureRequests]: true } as const;

export async function discover(server: TestServer): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(server.url);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...insecure, algorithm: 'oauth2' }));
}

export async function register(as: oauth.AuthorizationServer, redirectUri: string, name = 'Strict client'): Promise<oauth.Client> {
  const res = await oauth.dynamicClientRegistrationRequest(as, { redirect_uris: [redirectUri], client_name: name, token_endpoint_auth_method: 'none' }, insecure);
  const registered = await oauth.processDynamicClientRegistrationResponse(res);
  return { client_id: registered.client_id, token_endpoint_auth_method: 'none' };
}

export interface Authorization {
  verifier: string;
  state: string;
  /** Where the browser was finally sent: the redirect URI with a code or an error. */
  location: URL;
  consentHtml: string;
}

/**
 * Builds an authorization request the way a spec-following client does (PKCE S256, state, resource),
 * lets `override` change or drop (null) any parameter, and plays the person through sign-in and consent.
 */
export async function authorize(
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  o: { redirectUri: string; resource: string; scope: string; consent: Consent; override?: Record<string, string | null>; browser?: FormBrowser },
): Promise<Authorization> {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint!);
  const params: Record<string, string | null> = {
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: o.redirectUri,
    scope: o.scope,
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    resource: o.resource,
    ...o.override,
  };
  for (const [k, v] of Object.entries(params)) if (v !== null) url.searchParams.set(k, v);
  const { location, consentHtml } = await authorizeInBrowser(o.browser ?? new FormBrowser(), url, o.consent);
  return { verifier, state, location: new URL(location), consentHtml };
}

export async function exchange(
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  a: Authorization,
  o: { redirectUri: string; resource?: string; verifier?: string; presentedBy?: oauth.Client },
) {
  const params = oauth.validateAuthResponse(as, client, a.location, a.state);
  const additionalParameters: Record<string, string> = o.resource === undefined ? {} : { resource: o.resource };
  const by = o.presentedBy ?? client;
  const res = await oauth.authorizationCodeGrantRequest(as, by, oauth.None(), params, o.redirectUri, o.verifier ?? a.verifier, { ...insecure, additionalParameters });
  return oauth.processAuthorizationCodeResponse(as, by, res);
}

export async function refresh(as: oauth.AuthorizationServer, client: oauth.Client, refreshToken: string, extra: Record<string, string> = {}) {
  const res = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshToken, { ...insecure, additionalParameters: extra });
  return oauth.processRefreshTokenResponse(as, client, res);
}

/** The OAuth error code a rejected promise carries (oauth4webapi's ResponseBodyError or AuthorizationResponseError). */
export async function oauthError(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    if (err instanceof oauth.ResponseBodyError || err instanceof oauth.AuthorizationResponseError) return err.error;
    throw err;
  }
  throw new Error('expected an OAuth error');
}

/** A seeded server, its discovered metadata, and one registered client redirecting to `redirectUri`. */
export async function startOAuthServer(redirectUri: string): Promise<{ server: TestServer; ids: SeedResult; as: oauth.AuthorizationServer; client: oauth.Client }> {
  const server = await startServer();
  const ids = await server.seed(oauthFixture);
  const as = await discover(server);
  return { server, ids, as, client: await register(as, redirectUri) };
}
