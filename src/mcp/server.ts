import { randomUUID } from 'node:crypto';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Principal } from '../access/principal.js';
import type { Scope } from '../access/scopes.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../log.js';
import { errorResult, type ToolContext } from './catalogue.js';
import { CATALOGUE, TOOLS_BY_NAME } from './tools/index.js';

export const SERVER_INFO = { name: 'sitepulse', title: 'SitePulse', version: '0.1.0' };

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

/** The caller, as the transport attached it to the message (see MultiplexTransport). */
function principalOf(extra: { authInfo?: AuthInfo }): Principal {
  const principal = extra.authInfo?.extra?.principal as Principal | undefined;
  if (!principal) throw new McpError(ErrorCode.InternalError, 'No principal on the request.');
  return principal;
}

/**
 * The process's one MCP server: two handlers over the prebuilt catalogue. It keeps no per-client state
 * (/mcp is stateless); every request carries its principal.
 */
export function createMcpServer(db: Db, log: Logger): Server {
  const server = new Server(SERVER_INFO, { capabilities: { tools: { listChanged: false } }, instructions: INSTRUCTIONS });
  server.setRequestHandler(ListToolsRequestSchema, (_request, extra) => ({ tools: toolsFor(principalOf(extra).token.scopes) }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const principal = principalOf(extra);
    const tool = TOOLS_BY_NAME.get(request.params.name);
    // The HTTP layer already answered a missing scope with 403; a tool the token cannot see is simply unknown here.
    if (!tool || (tool.scope && !principal.token.scopes.has(tool.scope))) {
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool "${request.params.name}". Call tools/list to see the tools this token can use.`);
    }
    const progressToken = request.params._meta?.progressToken;
    const ctx: ToolContext = {
      db,
      principal,
      now: new Date(),
      signal: extra.signal,
      progress: async (progress, total, message) => {
        if (progressToken === undefined) return;
        await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress, total, message } });
      },
    };
    try {
      return await tool.call(ctx, request.params.arguments);
    } catch (err) {
      const eventId = randomUUID();
      log.error({ err, eventId, tool: tool.name, userId: principal.user.id }, 'tool failed');
      return errorResult({
        status: 500,
        code: 'internal',
        message: `Something went wrong on our side (event ${eventId}). Try again; if it keeps happening, quote the event id to SitePulse support.`,
      });
    }
  });
  return server;
}
