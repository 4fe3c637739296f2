import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { authorize, type Target } from '../access/gate.js';
import type { Principal } from '../access/principal.js';
import type { Permission } from '../access/roles.js';
import type { Scope } from '../access/scopes.js';
import type { Db } from '../db/index.js';
import { AppError } from '../domain/errors.js';
import type { Membership } from '../domain/teams.js';

/**
 * A tool is a row: what it is called and does, which scope and permission it needs, what it acts on,
 * its input and output schemas, hints, and a handler that never checks access itself. `defineTool` turns a
 * row into the one call pipeline every tool shares: validate → gate → run → render.
 */

export interface ToolContext {
  db: Db;
  principal: Principal;
  now: Date;
  signal: AbortSignal;
  /** Sends an MCP progress notification when the client asked for them; otherwise does nothing. */
  progress: (progress: number, total: number | undefined, message: string) => Promise<void>;
}

export interface Annotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

type Obj<S extends z.ZodRawShape> = z.ZodObject<S>;

interface Common<I extends z.ZodRawShape, O extends z.ZodRawShape> {
  name: string;
  title: string;
  /** What it does, when to use it, what the arguments mean, and an example. */
  description: string;
  input: I;
  output: O;
  annotations: Annotations;
  /** Valid arguments, shown in the description; the tests call every tool with them. */
  example: z.input<Obj<I>>;
  text: (result: z.output<Obj<O>>) => string;
}

interface TeamToolRow<I extends z.ZodRawShape, O extends z.ZodRawShape> extends Common<I, O> {
  scope: Scope;
  permission: Permission;
  target: (args: z.output<Obj<I>>) => Target;
  run: (ctx: ToolContext & { team: Membership }, args: z.output<Obj<I>>) => Promise<z.output<Obj<O>>>;
}

interface AccountToolRow<I extends z.ZodRawShape, O extends z.ZodRawShape> extends Common<I, O> {
  /** null: any valid token may call it. */
  scope: Scope | null;
  run: (ctx: ToolContext, args: z.output<Obj<I>>) => Promise<z.output<Obj<O>>>;
}

/** What the server needs of a tool: its listing (built once) and its call pipeline. */
export interface CatalogueTool {
  name: string;
  scope: Scope | null;
  /** null for tools about the caller's own account, which name no team. */
  permission: Permission | null;
  example: Record<string, unknown>;
  listing: Tool;
  call: (ctx: ToolContext, args: unknown) => Promise<CallToolResult>;
}

const ErrorShape = {
  error: z.object({
    status: z.number().int(),
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
};

/** The listing, computed once per process: JSON Schemas are never rebuilt per request. */
function listing<I extends z.ZodRawShape, O extends z.ZodRawShape>(row: Common<I, O>): Tool {
  const inputSchema = z.toJSONSchema(z.object(row.input).strict(), { target: 'draft-7', io: 'input' });
  const success = z.toJSONSchema(z.object(row.output), { target: 'draft-7', io: 'output' });
  const failure = z.toJSONSchema(z.object(ErrorShape), { target: 'draft-7', io: 'output' });
  // Errors come back as structuredContent too, so the output schema admits either shape.
  const outputSchema = {
    type: 'object' as const,
    properties: { ...success.properties, ...failure.properties } as Record<string, object>,
    anyOf: [{ required: success.required ?? [] }, { required: ['error'] }],
  };
  delete inputSchema.$schema;
  return {
    name: row.name,
    title: row.title,
    description: `${row.description}\nExample arguments: ${JSON.stringify(row.example)}`,
    inputSchema: inputSchema as Tool['inputSchema'],
    outputSchema,
    annotations: { title: row.title, ...row.annotations },
  };
}

export function errorResult(error: AppError | { status: number; code: string; message: string }): CallToolResult {
  const body = error instanceof AppError ? error.toJSON() : error;
  return { isError: true, content: [{ type: 'text', text: body.message }], structuredContent: { error: body } };
}

function invalidArguments(error: z.ZodError): AppError {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) fields[issue.path.join('.') || '(arguments)'] = issue.message;
  const list = Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('; ');
  return new AppError('validation_failed', `Invalid arguments: ${list}.`, { fields });
}

function build<I extends z.ZodRawShape, O extends z.ZodRawShape>(
  row: Common<I, O>,
  scope: Scope | null,
  permission: Permission | null,
  execute: (ctx: ToolContext, args: z.output<Obj<I>>) => Promise<z.output<Obj<O>>>,
): CatalogueTool {
  const input = z.object(row.input).strict();
  return {
    name: row.name,
    scope,
    permission,
    example: row.example as Record<string, unknown>,
    listing: listing(row),
    async call(ctx, rawArgs) {
      // Arguments are checked before the gate only because the gate needs the ids in them.
      const parsed = input.safeParse(rawArgs ?? {});
      if (!parsed.success) return errorResult(invalidArguments(parsed.error));
      try {
        const result = await execute(ctx, parsed.data);
        return { content: [{ type: 'text', text: row.text(result) }], structuredContent: result as Record<string, unknown> };
      } catch (err) {
        if (err instanceof AppError) return errorResult(err);
        throw err;
      }
    },
  };
}

/** A tool that acts within one team: the gate resolves the target to a membership first. */
export function teamTool<I extends z.ZodRawShape, O extends z.ZodRawShape>(row: TeamToolRow<I, O>): CatalogueTool {
  return build(row, row.scope, row.permission, async (ctx, args) => {
    const team = await authorize(ctx.db, ctx.principal, row.permission, row.target(args));
    return row.run({ ...ctx, team }, args);
  });
}

/** A tool about the caller's own account (whoami, list_teams): no team, so no membership, plan or role check. */
export function accountTool<I extends z.ZodRawShape, O extends z.ZodRawShape>(row: AccountToolRow<I, O>): CatalogueTool {
  return build(row, row.scope, null, row.run);
}
