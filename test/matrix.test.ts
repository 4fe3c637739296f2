import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CATALOGUE } from '../src/mcp/tools/index.js';
import { ALL_SCOPES } from '../src/access/scopes.js';
import { revokeToken } from '../src/auth/tokens.js';
import type { SeedResult } from '../src/fixtures/seed.js';
import { startServer, type TestServer } from './support/server.js';
import { call, connect, rpc } from './support/client.js';
import { ROLES, SUBSCRIPTIONS, matrixWorld, teamKey, userEmail, type Role, type SubscriptionCase } from './support/world.js';

/*
 * The authorization matrix: every tool × {right, wrong scope} × {member, non-member} × 4 roles ×
 * 5 subscription states × {verified, unverified} × {valid, expired, revoked token}.
 * Cases come from the catalogue; the expected outcome comes from DESIGN §3 and §5 as written out
 * below — independently of the catalogue — so changing a tool's scope or permission fails this test.
 */

/** DESIGN §5, copied by hand on purpose. */
const DESIGN_TOOLS: Record<string, { scope: string | null; permission: string | null }> = {
  whoami: { scope: null, permission: null },
  list_teams: { scope: 'teams:read', permission: null },
  get_team: { scope: 'teams:read', permission: 'team:view' },
  update_team_monitoring_defaults: { scope: 'teams:write', permission: 'team:update-defaults' },
  list_sites: { scope: 'sites:read', permission: 'site:view' },
  get_site: { scope: 'sites:read', permission: 'site:view' },
  create_site: { scope: 'sites:write', permission: 'site:create' },
  update_site: { scope: 'sites:write', permission: 'site:update' },
  delete_site: { scope: 'sites:delete', permission: 'site:delete' },
  list_check_runs: { scope: 'checks:read', permission: 'check:view' },
  get_check_run: { scope: 'checks:read', permission: 'check:view' },
  run_check: { scope: 'checks:run', permission: 'check:run' },
  delete_check_run: { scope: 'checks:delete', permission: 'check:delete' },
  get_issues: { scope: 'issues:read', permission: 'issue:view' },
  get_issue: { scope: 'issues:read', permission: 'issue:view' },
};

/** DESIGN §3 roles → permissions, copied by hand on purpose. */
const DESIGN_ROLES: Record<string, Role[]> = {
  'team:view': ['owner', 'admin', 'editor', 'viewer'],
  'team:update-defaults': ['owner', 'admin'],
  'site:view': ['owner', 'admin', 'editor', 'viewer'],
  'site:create': ['owner', 'admin', 'editor'],
  'site:update': ['owner', 'admin', 'editor'],
  'site:delete': ['owner', 'admin'],
  'check:view': ['owner', 'admin', 'editor', 'viewer'],
  'check:run': ['owner', 'admin', 'editor'],
  'check:delete': ['owner', 'admin'],
  'issue:view': ['owner', 'admin', 'editor', 'viewer'],
};

const PLAN_ACCESS: Record<SubscriptionCase, boolean> = { active: true, trialing: true, grace: true, lapsed: false, none: false };
const TOKEN_STATES = ['valid', 'expired', 'revoked'] as const;
type TokenState = (typeof TOKEN_STATES)[number];

interface Case {
  tool: string;
  rightScope: boolean;
  member: boolean;
  role: Role;
  sub: SubscriptionCase;
  verified: boolean;
  tokenState: TokenState;
}

type Outcome = { layer: 'http'; status: number; code: string } | { layer: 'tool'; status: number; code: string } | { layer: 'ok' };

function expected(c: Case): Outcome {
  const design = DESIGN_TOOLS[c.tool]!;
  if (c.tokenState !== 'valid') return { layer: 'http', status: 401, code: 'invalid_token' };
  if (!c.verified) return { layer: 'http', status: 403, code: 'email_unverified' };
  if (design.scope && !c.rightScope) return { layer: 'http', status: 403, code: 'insufficient_scope' };
  if (!design.permission) return { layer: 'ok' };
  if (!c.member) return { layer: 'tool', status: 404, code: 'not_found' };
  if (!PLAN_ACCESS[c.sub]) return { layer: 'tool', status: 402, code: 'subscription_required' };
  if (!DESIGN_ROLES[design.permission]!.includes(c.role)) return { layer: 'tool', status: 403, code: 'forbidden' };
  return { layer: 'ok' };
}

function* cases(tool: string): Generator<Case> {
  for (const rightScope of [true, false])
    for (const member of [true, false])
      for (const role of ROLES)
        for (const sub of SUBSCRIPTIONS)
          for (const verified of [true, false])
            for (const tokenState of TOKEN_STATES) yield { tool, rightScope, member, role, sub, verified, tokenState };
}

let server: TestServer;
let ids: SeedResult;
/** Token per (user, scope set, state). Scope sets: all scopes, or all but one. */
const tokens = new Map<string, string>();
const clients = new Map<string, Client>();
const tokenKey = (role: Role, verified: boolean, without: string | null, state: TokenState) => `${role}|${verified}|${without}|${state}`;

beforeAll(async () => {
  server = await startServer();
  ids = await server.seed(matrixWorld());
  const past = new Date(Date.now() - 30 * 86_400_000);
  for (const role of ROLES)
    for (const verified of [true, false])
      for (const without of [null, ...ALL_SCOPES])
        for (const state of TOKEN_STATES) {
          const scopes = ALL_SCOPES.filter((s) => s !== without);
          const userId = ids.users[userEmail(role, verified)]!;
          const token =
            state === 'expired'
              ? await server.token(userId, scopes, { now: past, expiresAt: new Date(Date.now() - 60_000) })
              : await server.token(userId, scopes);
          if (state === 'revoked') await revokeToken(server.database.db, { secret: token });
          tokens.set(tokenKey(role, verified, without, state), token);
        }
});
afterAll(async () => {
  for (const c of clients.values()) await c.close();
  await server?.close();
});

/** Arguments for a case: the tool's own example with its ids pointed at the case's team. */
async function argsFor(tool: (typeof CATALOGUE)[number], c: Case): Promise<Record<string, unknown>> {
  const key = teamKey(c.sub, c.member);
  const teamId = ids.teams[key]!;
  const args: Record<string, unknown> = { ...tool.example };
  const db = server.database.db;
  // Tools that change things get a target of their own, so one case's success cannot change another's.
  const mutates = !tool.listing.annotations?.readOnlyHint;
  if ('team_id' in args) args.team_id = teamId;
  if ('site_id' in args) {
    args.site_id = mutates
      ? (await db.insertInto('sites').values({ team_id: teamId, name: 'Fresh', url: 'https://fresh.matrix.test' }).returning('id').executeTakeFirstOrThrow()).id
      : ids.sites[`${key}/site`];
  }
  if ('check_run_id' in args) {
    args.check_run_id = mutates
      ? (
          await db
            .insertInto('check_runs')
            .values({ team_id: teamId, site_id: ids.sites[`${key}/site`]!, check_type: 'uptime', trigger: 'manual', status: 'succeeded' })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id
      : ids.check_runs[`${key}/site/0`];
  }
  if ('issue_id' in args) args.issue_id = ids.issues[`${key}/site/0`];
  return args;
}

async function observe(tool: (typeof CATALOGUE)[number], c: Case): Promise<Outcome> {
  const design = DESIGN_TOOLS[tool.name]!;
  const without = c.rightScope ? null : (design.scope ?? 'teams:read');
  const key = tokenKey(c.role, c.verified, without, c.tokenState);
  const token = tokens.get(key)!;
  const args = await argsFor(tool, c);
  const exp = expected(c);
  if (exp.layer === 'http') {
    const res = await rpc(server.mcpUrl, call(tool.name, args), { authorization: `Bearer ${token}` });
    if (res.status === 200) return { layer: 'ok' };
    const challenge = res.headers.get('www-authenticate') ?? '';
    const code = res.json?.error?.data?.code;
    // 401 and insufficient_scope must also say so in the challenge a client reads.
    if (code !== 'email_unverified' && !challenge.includes(`error="${code}"`)) return { layer: 'http', status: res.status, code: `${code} (no challenge)` };
    return { layer: 'http', status: res.status, code };
  }
  let client = clients.get(key);
  if (!client) clients.set(key, (client = await connect(server.mcpUrl, token)));
  const result = await client.callTool({ name: tool.name, arguments: args });
  if (!result.isError) return { layer: 'ok' };
  const error = (result.structuredContent as { error: { status: number; code: string; message: string } }).error;
  if (error.code === 'subscription_required' && error.message !== 'An active team subscription is required.') {
    return { layer: 'tool', status: 402, code: `wrong 402 message: ${error.message}` };
  }
  return { layer: 'tool', status: error.status, code: error.code };
}

describe('authorization matrix', () => {
  test('the catalogue holds exactly the tools of DESIGN §5', () => {
    expect(CATALOGUE.map((t) => t.name).sort()).toEqual(Object.keys(DESIGN_TOOLS).sort());
  });

  test.each(CATALOGUE.map((t) => [t.name, t] as const))('%s: every case answers as DESIGN §3 predicts', async (_name, tool) => {
    const mismatches: string[] = [];
    let count = 0;
    for (const c of cases(tool.name)) {
      count++;
      const want = expected(c);
      const got = await observe(tool, c);
      if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${JSON.stringify(c)} → ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    }
    expect(count).toBe(2 * 2 * 4 * 5 * 2 * 3);
    expect(mismatches.slice(0, 10)).toEqual([]);
  });
});
