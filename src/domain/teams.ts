import { sql, type ExpressionBuilder } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Db, DB } from '../db/index.js';
import type { EscalationStep, MonitoringSettings, Role, SubscriptionStatus } from '../db/schema.js';
import { DEFAULT_MONITORING, SETTING_KEYS, assertCadenceAllowed, type TeamDefaults } from './monitoring.js';
import { hasPlanAccess, type SubscriptionState } from './subscriptions.js';
import { iso } from './time.js';

export interface Plan {
  code: string;
  name: string;
  max_sites: number;
  min_interval_s: number;
  manual_runs_per_hour: number;
}

/** A user's place in one team, as the access gate and the tools need it. */
export interface Membership {
  team_id: number;
  team_name: string;
  role: Role;
  plan: Plan;
  subscription: SubscriptionState | null;
  plan_access: boolean;
}

/**
 * The user's memberships as a JSON array subquery, so that whoever loads the user (the token check)
 * gets teams, roles, plans and subscriptions in the same round trip.
 */
export function membershipsOf(eb: ExpressionBuilder<DB, 'users'>) {
  return jsonArrayFrom(
    eb
      .selectFrom('team_members as m')
      .innerJoin('teams as t', 't.id', 'm.team_id')
      .innerJoin('plans as p', 'p.code', 't.plan_code')
      .leftJoin('subscriptions as s', 's.team_id', 't.id')
      .select([
        'm.team_id',
        't.name as team_name',
        'm.role',
        'p.code',
        'p.name',
        'p.max_sites',
        'p.min_interval_s',
        'p.manual_runs_per_hour',
        's.status',
        's.trial_ends_at',
        's.ends_at',
      ])
      .whereRef('m.user_id', '=', 'users.id')
      .orderBy('m.team_id'),
  ).as('memberships');
}

type RawMembership = {
  team_id: number;
  team_name: string;
  role: Role;
  code: string;
  name: string;
  max_sites: number;
  min_interval_s: number;
  manual_runs_per_hour: number;
  status: SubscriptionStatus | null;
  trial_ends_at: Date | string | null;
  ends_at: Date | string | null;
};

export function toMemberships(raw: RawMembership[], now: Date): Membership[] {
  return raw.map((r) => {
    const subscription: SubscriptionState | null = r.status && {
      status: r.status,
      trial_ends_at: r.trial_ends_at === null ? null : new Date(r.trial_ends_at),
      ends_at: r.ends_at === null ? null : new Date(r.ends_at),
    };
    return {
      team_id: r.team_id,
      team_name: r.team_name,
      role: r.role,
      plan: { code: r.code, name: r.name, max_sites: r.max_sites, min_interval_s: r.min_interval_s, manual_runs_per_hour: r.manual_runs_per_hour },
      subscription,
      plan_access: hasPlanAccess(subscription, now),
    };
  });
}

export function teamSummary(m: Membership) {
  return {
    id: m.team_id,
    name: m.team_name,
    role: m.role,
    plan: m.plan,
    subscription: m.subscription && {
      status: m.subscription.status,
      trial_ends_at: iso(m.subscription.trial_ends_at),
      ends_at: iso(m.subscription.ends_at),
    },
    plan_access: m.plan_access,
  };
}

const DEFAULTS_COLUMNS = [...SETTING_KEYS, 'escalation'] as const;

export async function monitoringDefaults(db: Db, teamId: number): Promise<TeamDefaults> {
  const row = await db
    .selectFrom('team_monitoring_defaults')
    .select(DEFAULTS_COLUMNS)
    .where('team_id', '=', teamId)
    .executeTakeFirst();
  return row ?? { ...DEFAULT_MONITORING, escalation: [] };
}

/** One team with its plan's limits, what it uses of them, and its monitoring defaults. */
export async function getTeam(db: Db, m: Membership, now: Date) {
  const [usage, defaults] = await Promise.all([
    db
      .selectNoFrom((eb) => [
        eb.selectFrom('sites').select(sql<number>`count(*)::int`.as('n')).where('team_id', '=', m.team_id).as('sites'),
        eb
          .selectFrom('check_runs')
          .select(sql<number>`count(*)::int`.as('n'))
          .where('team_id', '=', m.team_id)
          .where('trigger', '=', 'manual')
          .where('queued_at', '>', new Date(now.getTime() - 3_600_000))
          .as('manual_runs_last_hour'),
      ])
      .executeTakeFirstOrThrow(),
    monitoringDefaults(db, m.team_id),
  ]);
  return {
    ...teamSummary(m),
    usage: { sites: usage.sites ?? 0, manual_runs_last_hour: usage.manual_runs_last_hour ?? 0 },
    monitoring_defaults: defaults,
  };
}

export interface DefaultsPatch extends Partial<MonitoringSettings> {
  escalation?: EscalationStep[] | undefined;
}

/** Merges `patch` into the team's defaults under a row lock, so concurrent changes cannot undo each other. */
export async function updateMonitoringDefaults(db: Db, m: Membership, patch: DefaultsPatch): Promise<TeamDefaults> {
  assertCadenceAllowed(patch.interval_s, m.plan.min_interval_s, m.plan.name);
  return db.transaction().execute(async (tx) => {
    await tx
      .insertInto('team_monitoring_defaults')
      .values({ team_id: m.team_id, ...DEFAULT_MONITORING, escalation: '[]' })
      .onConflict((oc) => oc.column('team_id').doNothing())
      .execute();
    const current = await tx
      .selectFrom('team_monitoring_defaults')
      .select(DEFAULTS_COLUMNS)
      .where('team_id', '=', m.team_id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const next: TeamDefaults = { ...current };
    for (const [key, value] of Object.entries(patch)) if (value !== undefined) Object.assign(next, { [key]: value });
    // A team still on the defaults gets a cadence the plan allows.
    next.interval_s = Math.max(next.interval_s, m.plan.min_interval_s);
    await tx
      .updateTable('team_monitoring_defaults')
      .set({ ...next, escalation: JSON.stringify(next.escalation), updated_at: sql`now()` })
      .where('team_id', '=', m.team_id)
      .execute();
    // Sites that inherit the cadence must not wait out a longer interval they were scheduled with.
    await tx
      .updateTable('sites')
      .set({ next_check_at: sql<Date>`least(next_check_at, now() + ${next.interval_s} * interval '1 second')` })
      .where('team_id', '=', m.team_id)
      .where('interval_s', 'is', null)
      .execute();
    return next;
  });
}
