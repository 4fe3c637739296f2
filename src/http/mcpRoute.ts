import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { z } from 'zod';
import { admit } from '../access/gate.js';
import type { Principal } from '../access/principal.js';
import { DEFAULT_CHALLENGE_SCOPES, type Scope } from '../access/scopes.js';
import { authenticate } from '../auth/tokens.js';
import { looksLikeSecret } from '../auth/secrets.js';
import type { Config } from '../config.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../log.js';
import { MessageSchema, PROTOCOL_VERSIONS } from '../mcp/server.js';
import { answer } from './mcpExchange.js';
import { TOOLS_BY_NAME } from '../mcp/tools/index.js';
import { bearerChallenge } from './challenge.js';
import { RPC, sendRpcError } from './rpcError.js';

export const MAX_BODY = '256kb';

const REJECTION_TEXT = {
  missing: 'Sign in to SitePulse: send "Authorization: Bearer <token>" (an OAuth access token or a Settings → MCP token).',
  malformed: 'The Authorization header must be "Bearer <token>".',
  unknown: 'This token is not valid. Create a new one under Settings → MCP, or sign in again.',
  expired: 'This token has expired. Create a new one under Settings → MCP, or sign in again.',
  revoked: 'This token was revoked. Create a new one under Settings → MCP, or sign in again.',
  wrong_audience: 'This token was not issued for this MCP server. Use a Settings → MCP token or sign in to this server.',
} as const;

type Message = z.infer<typeof MessageSchema>;

const Messages = MessageSchema.array().min(1);

/** The body's JSON-RPC messages, or undefined when any part is not one. */
function messagesOf(body: unknown): Message[] | undefined {
  const parsed = Messages.safeParse(Array.isArray(body) ? body : [body]);
  return parsed.success ? parsed.data : undefined;
}

const paramsOf = (m: Message) => ('params' in m ? m.params : undefined);
const rpcId = (m: Message) => ('id' in m && m.id !== undefined ? m.id : null);

/** Each tools/call of a known tool in the body, with the scope that tool needs. */
function* scopedCalls(messages: Message[]): Generator<{ scope: Scope; message: Message }> {
  for (const m of messages) {
    const name = paramsOf(m)?.name;
    if (!('method' in m) || m.method !== 'tools/call' || typeof name !== 'string') continue;
    const scope = TOOLS_BY_NAME.get(name)?.scope;
    if (scope) yield { scope, message: m };
  }
}

/** Progress notifications need an SSE stream; everything else is answered as plain JSON, which is cheaper. */
function wantsProgress(messages: Message[]): boolean {
  return messages.some((m) => 'method' in m && m.method === 'tools/call' && paramsOf(m)?._meta?.progressToken !== undefined);
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
    const accept = req.get('accept') ?? '';
    if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
      return sendRpcError(res, 406, RPC.invalidRequest, 'not_acceptable', 'Send "Accept: application/json, text/event-stream", as MCP clients must.');
    }
    if (!req.is('application/json')) {
      return sendRpcError(res, 415, RPC.invalidRequest, 'unsupported_media_type', 'Send the JSON-RPC message with "Content-Type: application/json".');
    }
    const messages = messagesOf(req.body);
    if (!messages) return sendRpcError(res, 400, RPC.parseError, 'invalid_message', 'The body is not a JSON-RPC message (or a non-empty batch of them).');
    // Every call of a batch is checked: the first one short of a scope answers for the request.
    for (const call of scopedCalls(messages)) {
      const admission = admit({ ok: true, principal }, call.scope);
      if (!admission.ok && admission.status === 403 && admission.code === 'insufficient_scope') {
        const scope = new Set([...admission.granted, admission.missing]);
        res.set('WWW-Authenticate', bearerChallenge(config, { error: 'insufficient_scope', description: admission.message, scope }));
        return sendRpcError(res, 403, RPC.accessDenied, 'insufficient_scope', admission.message, rpcId(call.message));
      }
    }
    await answer({ db, log, principal }, { list: messages, batch: Array.isArray(req.body), stream: wantsProgress(messages) }, res);
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
