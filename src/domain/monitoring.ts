import type { EscalationStep, MonitoringSettings, SiteOverrides } from '../db/schema.js';
import { AppError } from './errors.js';

/** What a team without its own row uses (DESIGN §2). */
export const DEFAULT_MONITORING: MonitoringSettings = {
  interval_s: 300,
  timeout_ms: 10_000,
  failure_threshold: 2,
  recovery_threshold: 2,
  slow_response_ms: 3_000,
  cert_expiry_warn_days: 14,
};

export const SETTING_KEYS = Object.keys(DEFAULT_MONITORING) as (keyof MonitoringSettings)[];

export interface TeamDefaults extends MonitoringSettings {
  escalation: EscalationStep[];
}

/** A site's settings: its own where set, else the team's, and never a cadence under the plan minimum. */
export function effectiveSettings(
  site: SiteOverrides,
  team: MonitoringSettings,
  minIntervalS: number,
): MonitoringSettings {
  const out = {} as MonitoringSettings;
  for (const key of SETTING_KEYS) out[key] = site[key] ?? team[key];
  out.interval_s = Math.max(out.interval_s, minIntervalS);
  return out;
}

export function assertCadenceAllowed(intervalS: number | null | undefined, minIntervalS: number, planName: string) {
  if (intervalS != null && intervalS < minIntervalS) {
    throw new AppError(
      'plan_limit_exceeded',
      `The ${planName} plan checks at most every ${minIntervalS} seconds; interval_s ${intervalS} is too short.`,
      { fields: { interval_s: `must be at least ${minIntervalS}` }, limit: 'min_interval_s', min_interval_s: minIntervalS },
    );
  }
}
