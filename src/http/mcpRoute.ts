import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { admit } from '../access/gate.js';
import type { Principal } from '../access/principal.js';
import { DEFAULT_CHALLENGE_SCOPES, type Scope } from '../access/scopes.js';
import { authenticate } from '../auth/tokens.js';
import { looksLikeSecret } from '../auth/secrets.js';
import type { Config } from '../config.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../log.js';
import { createMcpServer } from '../mcp/server.js';
import { TOOLS_BY_NAME } from '../mcp/tools/index.js';
import { bearerChallenge } from './challenge.js';
import { RPC, sendRpcError } from './rpcError.js';

/** The protocol revisions this server speaks; the first is offered to clients asking for another. */
export const PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18'];
export const MAX_BODY = '256kb';

const REJECTION_TEXT = {
  missing: 'Sign in to SitePulse: send "Authorization: Bearer <token>" (an OAuth access token or a Settings → MCP token).',
  malformed: 'The Authorization header must be "Bearer <token>".',
  unknown: 'This token is not valid. Create a new one under Settings → MCP, or sign in again.',
  expired: 'This token has expired. Create a new one under Settings → MCP, or sign in again.',
  revoked: 'This token was revoked. Create a new one under Settings → MCP, or sign in again.',
  wrong_audience: 'This token was not issued for this MCP server. Use a Settings → MCP token or sign in to this server.',
} as const;

type JsonRpcish = {
  method?: unknown;
  id?: unknown;
  params?: { name?: unknown; protocolVersion?: unknown; _meta?: { progressToken?: unknown } };
};

const messagesOf = (body: unknown): JsonRpcish[] =>
  (Array.isArray(body) ? body : [body]).filter((m): m is JsonRpcish => typeof m === 'object' && m !== null);

const rpcId = (m: JsonRpcish | undefined) => (typeof m?.id === 'string' || typeof m?.id === 'number' ? m.id : null);

/** The scope the body needs: a tools/call of a known tool needs that tool's; anything else needs none. */
function requiredScope(messages: JsonRpcish[]): { scope: Scope; message: JsonRpcish } | undefined {
  for (const m of messages) {
    if (m.method !== 'tools/call' || typeof m.params?.name !== 'string') continue;
    const scope = TOOLS_BY_NAME.get(m.params.name)?.scope;
    if (scope) return { scope, message: m };
  }
  return undefined;
}

/** Progress notifications need an SSE stream; everything else is answered as plain JSON, which is cheaper. */
function wantsProgress(messages: JsonRpcish[]): boolean {
  return messages.some((m) => m.method === 'tools/call' && m.params?._meta?.progressToken !== undefined);
}

export function mcpRoutes(config: Config, db: Db, log: Logger): Router {
  const router = Router();
  const onTouchError = (err: unknown) => log.warn({ err }, 'could not record token use');

  /** Transport-level checks the spec asks for, before anything is read or looked up. */
  function guard(req: Request, res: Response, next: NextFunction) {
    const origin = req.get('origin');
    if (origin !== undefined && !config.allowedOrigins.has(origin)) {
      return sendRpcError(res, 403, RPC.invalidRequest, 'origin_not_allowed', `Requests from origin ${origin} are not allowed.`);
    }
    const query = req.url.indexOf('?');
    if (query >= 0) {
      const params = new URLSearchParams(req.url.slice(query + 1));
      const leaked = [...params].some(([k, v]) => /^(access_token|token|api_key)$/i.test(k) || looksLikeSecret(v));
      if (leaked) {
        return sendRpcError(res, 400, RPC.invalidRequest, 'token_in_query',
          'Tokens are not accepted in the URL (URLs end up in logs). Send "Authorization: Bearer <token>" instead, and consider revoking this token.');
      }
    }
    const version = req.get('mcp-protocol-version');
    if (version !== undefined && !PROTOCOL_VERSIONS.includes(version)) {
      return sendRpcError(res, 400, RPC.invalidRequest, 'unsupported_protocol_version',
        `MCP-Protocol-Version ${version} is not supported; this server speaks ${PROTOCOL_VERSIONS.join(' and ')}.`);
    }
    next();
  }

  async function authenticateRequest(req: Request, res: Response, next: NextFunction) {
    const auth = await authenticate(db, req.get('authorization'), config.resource, new Date(), onTouchError);
    const admission = admit(auth, null);
    if (admission.ok) {
      res.locals.principal = admission.principal;
      return next();
    }
    if (admission.status === 401) {
      res.set('WWW-Authenticate', bearerChallenge(config, { error: 'invalid_token', description: REJECTION_TEXT[admission.reason], scope: DEFAULT_CHALLENGE_SCOPES }));
      return sendRpcError(res, 401, RPC.accessDenied, 'invalid_token', REJECTION_TEXT[admission.reason]);
    }
    return sendRpcError(res, 403, RPC.accessDenied, admission.code, admission.message);
  }

  async function handle(req: Request, res: Response) {
    const principal = res.locals.principal as Principal;
    const messages = messagesOf(req.body);
    const needed = requiredScope(messages);
    if (needed) {
      const admission = admit({ ok: true, principal }, needed.scope);
      if (!admission.ok && admission.status === 403 && admission.code === 'insufficient_scope') {
        const scope = new Set([...admission.granted, admission.missing]);
        res.set('WWW-Authenticate', bearerChallenge(config, { error: 'insufficient_scope', description: admission.message, scope }));
        return sendRpcError(res, 403, RPC.accessDenied, 'insufficient_scope', admission.message, rpcId(needed.message));
      }
    }
    // Offer our newest revision to a client that asks for one we do not speak (the spec's negotiation).
    for (const m of messages) {
      if (m.method === 'initialize' && m.params && !PROTOCOL_VERSIONS.includes(String(m.params.protocolVersion))) {
        m.params.protocolVersion = PROTOCOL_VERSIONS[0];
      }
    }
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: !wantsProgress(messages) });
    const server = createMcpServer(db, principal, log);
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  }

  const methodNotAllowed = (_req: Request, res: Response) => {
    res.set('Allow', 'POST');
    sendRpcError(res, 405, RPC.invalidRequest, 'method_not_allowed', 'This MCP endpoint is stateless: send JSON-RPC requests with POST.');
  };

  router.post('/mcp', guard, authenticateRequest, express.json({ limit: MAX_BODY, strict: false }), handle);
  router.get('/mcp', methodNotAllowed);
  router.delete('/mcp', methodNotAllowed);
  return router;
}
