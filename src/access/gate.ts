import type { Db } from '../db/index.js';
import { AppError, notFound } from '../domain/errors.js';
import { SUBSCRIPTION_REQUIRED_MESSAGE } from '../domain/subscriptions.js';
import type { Membership } from '../domain/teams.js';
import type { Authentication, Principal, TokenRejection } from './principal.js';
import { roleAllows, type Permission } from './roles.js';
import type { Scope } from './scopes.js';

/**
 * The access gate, DESIGN §3, in its order; the first failure wins.
 *   1 token valid · 2 email verified · 3 scope     → `admit` (answered at the HTTP level, before MCP)
 *   4 membership  · 5 plan access   · 6 role       → `authorize` (answered as a tool result)
 * Step 7 (arguments and plan limits) belongs to the domain functions the tools call.
 */

export type Admission =
  | { ok: true; principal: Principal }
  | { ok: false; status: 401; reason: TokenRejection }
  | { ok: false; status: 403; code: 'email_unverified'; message: string }
  | { ok: false; status: 403; code: 'insufficient_scope'; message: string; missing: Scope; granted: Scope[] };

export const EMAIL_UNVERIFIED_MESSAGE = 'Your email address is not verified.';

/** Steps 1–3. `scope` is null for requests that need none (initialize, tools/list, whoami). */
export function admit(auth: Authentication, scope: Scope | null): Admission {
  if (!auth.ok) return { ok: false, status: 401, reason: auth.reason };
  const { principal } = auth;
  if (!principal.user.email_verified) {
    return {
      ok: false,
      status: 403,
      code: 'email_unverified',
      message: `${EMAIL_UNVERIFIED_MESSAGE} Verify it from the link SitePulse emailed you, then try again.`,
    };
  }
  if (scope && !principal.token.scopes.has(scope)) {
    return {
      ok: false,
      status: 403,
      code: 'insufficient_scope',
      missing: scope,
      granted: [...principal.token.scopes],
      message: `This token lacks the ${scope} scope. Re-authorize (or create a token) with ${scope} to use this tool.`,
    };
  }
  return { ok: true, principal };
}

/**
 * What a tool acts on, from its arguments: a team directly, or a site / check run / issue that implies one.
 * `within` is a team_id the caller named beside a site_id: a site outside that team is not found.
 */
export type Target =
  | { team: number | undefined }
  | { site: number; within?: number | undefined }
  | { check_run: number }
  | { issue: number };

const OWNED = {
  site: { table: 'sites', noun: 'Site' },
  check_run: { table: 'check_runs', noun: 'Check run' },
  issue: { table: 'issues', noun: 'Issue' },
} as const;

/** Steps 4–6. Returns the membership the tool then acts within. */
export async function authorize(db: Db, principal: Principal, permission: Permission, target: Target): Promise<Membership> {
  const membership = await resolveMembership(db, principal, target);
  if (!membership.plan_access) throw new AppError('subscription_required', SUBSCRIPTION_REQUIRED_MESSAGE);
  if (!roleAllows(membership.role, permission)) {
    throw new AppError(
      'forbidden',
      `Your role in ${membership.team_name} (${membership.role}) does not allow this: it needs the ${permission} permission. Ask a team owner or admin.`,
      { role: membership.role, permission },
    );
  }
  return membership;
}

async function resolveMembership(db: Db, principal: Principal, target: Target): Promise<Membership> {
  const mine = (teamId: number) => principal.memberships.find((m) => m.team_id === teamId);
  if ('team' in target) {
    if (target.team === undefined) return onlyTeam(principal);
    const m = mine(target.team);
    if (!m) throw notFound('Team', target.team);
    return m;
  }
  const kind = 'site' in target ? 'site' : 'check_run' in target ? 'check_run' : 'issue';
  const id = (target as Record<typeof kind, number>)[kind];
  const { table, noun } = OWNED[kind];
  const row = await db.selectFrom(table).select('team_id').where('id', '=', id).executeTakeFirst();
  // A missing id, another tenant's id and a site outside the named team take the same path to the same error.
  const elsewhere = 'within' in target && target.within !== undefined && target.within !== row?.team_id;
  const m = row && !elsewhere && mine(row.team_id);
  if (!m) throw notFound(noun, id);
  return m;
}

/** `team_id` may be left out by someone in exactly one team; otherwise say which teams there are. */
function onlyTeam(principal: Principal): Membership {
  const [first, ...rest] = principal.memberships;
  if (first && rest.length === 0) return first;
  const teams = principal.memberships.map((m) => ({ id: m.team_id, name: m.team_name }));
  const message = teams.length
    ? `You belong to ${teams.length} teams; pass team_id, one of: ${teams.map((t) => `${t.id} (${t.name})`).join(', ')}.`
    : 'You do not belong to any team yet, so there is nothing to show. Ask a team owner to invite you.';
  throw new AppError('validation_failed', message, { fields: { team_id: 'required' }, teams });
}
