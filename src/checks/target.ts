import { jsonObjectFrom } from 'kysely/helpers/postgres';
import type { Db } from '../db/index.js';
import type { EscalationStep, MonitoringSettings } from '../db/schema.js';
import { DEFAULT_MONITORING, SETTING_KEYS, effectiveSettings } from '../domain/monitoring.js';

/** What a runner needs to check a site and judge the result: its address, name and effective settings. */
export interface CheckTarget {
  site_id: number;
  team_id: number;
  name: string;
  url: string;
  settings: MonitoringSettings;
  escalation: EscalationStep[];
}

/**
 * Sites with everything their effective settings depend on (overrides, the team's defaults, the plan's
 * floor) and the team's subscription, in one round trip; callers add their own conditions.
 */
export function sitesWithSettings(db: Db) {
  return db
    .selectFrom('sites as s')
    .innerJoin('teams as t', 't.id', 's.team_id')
    .innerJoin('plans as p', 'p.code', 't.plan_code')
    .leftJoin('subscriptions as sub', 'sub.team_id', 's.team_id')
    .selectAll('s')
    .select(['p.min_interval_s', 'sub.status as subscription_status', 'sub.trial_ends_at', 'sub.ends_at'])
    .select((eb) =>
      jsonObjectFrom(
        eb.selectFrom('team_monitoring_defaults as d').select([...SETTING_KEYS.map((k) => `d.${k}` as const), 'd.escalation']).whereRef('d.team_id', '=', 's.team_id'),
      ).as('defaults'),
    );
}

type SiteWithSettings = Awaited<ReturnType<ReturnType<typeof sitesWithSettings>['executeTakeFirstOrThrow']>>;

export function toCheckTarget(row: SiteWithSettings): CheckTarget {
  return {
    site_id: row.id,
    team_id: row.team_id,
    name: row.name,
    url: row.url,
    settings: effectiveSettings(row, row.defaults ?? DEFAULT_MONITORING, row.min_interval_s),
    escalation: row.defaults?.escalation ?? [],
  };
}

/** The site as the runner sees it now; undefined once the site is gone. */
export async function loadCheckTarget(db: Db, siteId: number): Promise<CheckTarget | undefined> {
  const row = await sitesWithSettings(db).where('s.id', '=', siteId).executeTakeFirst();
  return row && toCheckTarget(row);
}
