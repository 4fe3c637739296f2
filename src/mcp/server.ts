import { randomUUID } from 'node:crypto';
import {
  ErrorCode,
  type CallToolResult,
  type InitializeResult,
  type JSONRPCMessage,
  type JSONRPCNotification,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Principal } from '../access/principal.js';
import type { Scope } from '../access/scopes.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../log.js';
import { errorResult, type ToolContext } from './catalogue.js';
import { CATALOGUE, TOOLS_BY_NAME } from './tools/index.js';

/**
 * The MCP methods a stateless server answers — initialize, ping, tools/list, tools/call — dispatched straight
 * onto the catalogue. The SDK's Server would do the same through a new server and HTTP transport per request
 * (or id-remapping to share one) and validate every message and result several times over; measured in
 * `npm run bench`, that machinery cost more than the tool call itself. Types and error codes are the SDK's.
 */

export const SERVER_INFO = { name: 'sitepulse', title: 'SitePulse', version: '0.1.0' };
export const PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18'];

const INSTRUCTIONS =
  'SitePulse monitors websites for teams. Start with whoami or list_teams to find team ids, list_sites and get_site for status, ' +
  'get_issues for incidents, and run_check to check a site now. Ids are integers; lists page with limit and next_cursor.';

/** tools/list per scope set, computed once per distinct set (at most 2^9) rather than per request. */
const listings = new Map<string, Tool[]>();
export function toolsFor(scopes: ReadonlySet<Scope>): Tool[] {
  const key = [...scopes].sort().join(' ');
  let tools = listings.get(key);
  if (!tools) {
    tools = CATALOGUE.filter((t) => t.scope === null || scopes.has(t.scope)).map((t) => t.listing);
    listings.set(key, tools);
  }
  return tools;
}

const id = z.union([z.string(), z.number().int()]);
const meta = z.looseObject({ progressToken: z.union([z.string(), z.number()]).optional() }).optional();
/** The JSON-RPC 2.0 envelope: a request (with id), a notification (without), or a response (ignored). */
export const MessageSchema = z.union([
  z.object({ jsonrpc: z.literal('2.0'), id: id.optional(), method: z.string().min(1), params: z.looseObject({ _meta: meta }).optional() }),
  z
    .object({ jsonrpc: z.literal('2.0'), id: id.nullable(), result: z.unknown(), error: z.unknown() })
    .refine((m) => m.result !== undefined || m.error !== undefined, 'a response has a result or an error'),
]);

const InitializeParams = z.looseObject({ protocolVersion: z.string(), capabilities: z.looseObject({}), clientInfo: z.looseObject({ name: z.string() }) });
const CallParams = z.looseObject({ name: z.string(), arguments: z.record(z.string(), z.unknown()).optional(), _meta: meta });

class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Exchange {
  db: Db;
  log: Logger;
  principal: Principal;
  /** Aborted when the client hangs up. */
  signal: AbortSignal;
  /** Where notifications for this request go (an SSE stream), when the client asked for progress. */
  notify?: ((notification: JSONRPCNotification) => void) | undefined;
}

type Request = { jsonrpc: '2.0'; id: string | number; method: string; params?: Record<string, unknown> };

/** Answers one request; every failure is a JSON-RPC error or, inside a tool, an error result. */
export async function respond(request: Request, ex: Exchange): Promise<JSONRPCMessage> {
  try {
    return { jsonrpc: '2.0', id: request.id, result: await dispatch(request, ex) };
  } catch (err) {
    if (err instanceof RpcError) return { jsonrpc: '2.0', id: request.id, error: { code: err.code, message: err.message } };
    const eventId = randomUUID();
    ex.log.error({ err, eventId, method: request.method }, 'request failed');
    return { jsonrpc: '2.0', id: request.id, error: { code: ErrorCode.InternalError, message: `Internal error (event ${eventId}).` } };
  }
}

function parse<T>(schema: z.ZodType<T>, params: unknown, method: string): T {
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw new RpcError(ErrorCode.InvalidParams, `Invalid ${method} params: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

async function dispatch(request: Request, ex: Exchange): Promise<Record<string, unknown>> {
  switch (request.method) {
    case 'initialize': {
      const { protocolVersion } = parse(InitializeParams, request.params, 'initialize');
      const result: InitializeResult = {
        // The spec's negotiation: the client's revision if we speak it, else our newest.
        protocolVersion: PROTOCOL_VERSIONS.includes(protocolVersion) ? protocolVersion : PROTOCOL_VERSIONS[0]!,
        capabilities: { tools: { listChanged: false } },
        serverInfo: SERVER_INFO,
        instructions: INSTRUCTIONS,
      };
      return result;
    }
    case 'ping':
      return {};
    case 'tools/list':
      return { tools: toolsFor(ex.principal.token.scopes) };
    case 'tools/call':
      return callTool(parse(CallParams, request.params, 'tools/call'), ex);
    default:
      throw new RpcError(ErrorCode.MethodNotFound, `Method not found: ${request.method}.`);
  }
}

async function callTool(params: z.infer<typeof CallParams>, ex: Exchange): Promise<CallToolResult> {
  const { principal } = ex;
  const tool = TOOLS_BY_NAME.get(params.name);
  // The HTTP layer already answered a missing scope with 403; a tool the token cannot see is simply unknown here.
  if (!tool || (tool.scope && !principal.token.scopes.has(tool.scope))) {
    throw new RpcError(ErrorCode.InvalidParams, `Unknown tool "${params.name}". Call tools/list to see the tools this token can use.`);
  }
  const progressToken = params._meta?.progressToken;
  const ctx: ToolContext = {
    db: ex.db,
    principal,
    now: new Date(),
    signal: ex.signal,
    progress: async (progress, total, message) => {
      if (progressToken === undefined || !ex.notify) return;
      ex.notify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken, progress, total, message } });
    },
  };
  try {
    return await tool.call(ctx, params.arguments);
  } catch (err) {
    const eventId = randomUUID();
    ex.log.error({ err, eventId, tool: tool.name, userId: principal.user.id }, 'tool failed');
    return errorResult({
      status: 500,
      code: 'internal',
      message: `Something went wrong on our side (event ${eventId}). Try again; if it keeps happening, quote the event id to SitePulse support.`,
    });
  }
}
