import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { ALL_SCOPES } from '../access/scopes.js';
import { registerClient } from '../auth/oauth/clients.js';
import { OAuthError } from '../auth/oauth/errors.js';
import { handleTokenRequest, revokeOAuthToken } from '../auth/oauth/tokenEndpoint.js';
import type { Config } from '../config.js';
import type { Db } from '../db/index.js';
import { formBody } from './forms.js';

/** RFC 8414 metadata. `issuer` is PUBLIC_URL exactly as in the protected-resource metadata and in `iss`. */
export function authorizationServerMetadata(config: Config) {
  const at = (path: string) => `${config.publicUrl}${path}`;
  return {
    issuer: config.publicUrl,
    authorization_endpoint: at('/authorize'),
    token_endpoint: at('/token'),
    registration_endpoint: at('/register'),
    revocation_endpoint: at('/revoke'),
    scopes_supported: ALL_SCOPES,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['none'],
    revocation_endpoint_auth_methods_supported: ['none'],
    code_challenge_methods_supported: ['S256'],
    client_id_metadata_document_supported: true,
    authorization_response_iss_parameter_supported: true,
    service_documentation: at('/'),
  };
}

function sendOAuthError(res: Response, err: OAuthError) {
  res.status(err.status).set('Cache-Control', 'no-store').json(err.toJSON());
}

/**
 * These endpoints carry no cookies and every answer depends only on the request, so any origin may call
 * them (browser-based MCP clients need that).
 */
function openCors(req: Request, res: Response, next: NextFunction) {
  res.set({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'Content-Type, Authorization, MCP-Protocol-Version' });
  if (req.method === 'OPTIONS') return void res.set('Access-Control-Allow-Methods', 'GET, POST').status(204).end();
  next();
}

/** A body that cannot be read is an OAuth invalid_request, not a JSON-RPC error or a 500. */
function badBody(err: Error & { status?: number }, _req: Request, res: Response, next: NextFunction) {
  if (err.status && err.status >= 400 && err.status < 500) return sendOAuthError(res, new OAuthError('invalid_request', 'The request body could not be read.'));
  next(err);
}

export function oauthRoutes(config: Config, db: Db): Router {
  const router = Router();
  const metadata = authorizationServerMetadata(config);
  const ipOf = (req: Request) => req.ip ?? 'unknown';

  router.use(['/.well-known/oauth-authorization-server', '/register', '/token', '/revoke'], openCors);
  router.get('/.well-known/oauth-authorization-server', (_req, res) => void res.set('Cache-Control', 'public, max-age=3600').json(metadata));

  router.post('/register', express.json({ limit: '16kb' }), async (req, res) => {
    try {
      res.status(201).set('Cache-Control', 'no-store').json(await registerClient(db, config, req.body, ipOf(req), new Date()));
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      sendOAuthError(res, err);
    }
  });

  router.post('/token', formBody, async (req, res) => {
    const outcome = await handleTokenRequest({ db, resource: config.resource, now: new Date() }, req.body);
    if (!outcome.ok) return sendOAuthError(res, outcome.error);
    res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json(outcome.tokens);
  });

  router.post('/revoke', formBody, async (req, res) => {
    const error = await revokeOAuthToken(db, req.body, new Date());
    if (error) return sendOAuthError(res, error);
    res.status(200).set('Cache-Control', 'no-store').end();
  });

  router.use(['/register', '/token', '/revoke'], badBody);
  return router;
}
