import { z } from 'zod';
import { ALL_SCOPES } from '../access/scopes.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../domain/pagination.js';

/** Shapes shared by the tool rows: argument fragments first, then the results tools return. */

export const id = (what: string) => z.number().int().positive().max(2_147_483_647).describe(`The ${what}'s id.`);

export const teamIdArg = id('team')
  .optional()
  .describe('The team to act in. May be left out when you belong to exactly one team; list_teams shows your teams.');

export const pageArgs = {
  limit: z.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT).describe(`Page size, 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT}).`),
  cursor: z.string().min(1).max(200).optional().describe('next_cursor from the previous page; leave out for the first page.'),
};

const timestamp = z.iso.datetime({ offset: true });
export const timeRangeArgs = (what: string) => ({
  since: timestamp.optional().describe(`Only ${what} at or after this ISO 8601 time, e.g. "2026-11-01T00:00:00Z".`),
  until: timestamp.optional().describe(`Only ${what} before this ISO 8601 time.`),
});

export const checkType = z.enum(['uptime', 'certificate']);
export const runStatus = z.enum(['queued', 'running', 'succeeded', 'warning', 'failed', 'errored']);
export const siteStatus = z.enum(['up', 'down', 'degraded', 'paused', 'unknown']);
export const severity = z.enum(['warning', 'critical']);
export const issueStatus = z.enum(['open', 'acknowledged', 'resolved']);

/** A URL the runner may fetch: http(s) only, no credentials inside it, a sane length. */
export const siteUrl = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .refine((u) => !/^[a-z]+:\/\/[^/]*@/i.test(u), 'must not contain a user name or password')
  .describe('The address to monitor, http:// or https://.');

const bounded = (min: number, max: number, what: string) => z.number().int().min(min).max(max).describe(what);
export const settingArgs = {
  interval_s: bounded(30, 86_400, 'Seconds between scheduled checks; never below the plan minimum.'),
  timeout_ms: bounded(1_000, 60_000, 'Milliseconds before a check gives up.'),
  failure_threshold: bounded(1, 10, 'Consecutive failed runs that open an issue.'),
  recovery_threshold: bounded(1, 10, 'Consecutive successful runs that resolve it.'),
  slow_response_ms: bounded(100, 60_000, 'Responses slower than this are a warning.'),
  cert_expiry_warn_days: bounded(0, 365, 'Warn when the certificate expires within this many days.'),
};
export const settingsSchema = z.object(settingArgs);

const CHANNEL_TARGET: Record<string, [z.ZodType, string]> = {
  email: [z.email(), 'an email address'],
  slack: [z.union([z.url({ protocol: /^https$/ }), z.string().regex(/^#[a-z0-9_-]{1,80}$/)]), 'an https webhook URL or a #channel'],
  webhook: [z.url({ protocol: /^https$/ }), 'an https URL'],
  sms: [z.string().regex(/^\+[1-9]\d{6,14}$/), 'a phone number in E.164 form, e.g. +14155550100'],
};
export const escalationStep = z
  .object({
    after_minutes: z.number().int().min(0).max(10_080),
    channel: z.enum(['email', 'slack', 'webhook', 'sms']),
    target: z.string().min(1).max(500),
  })
  .superRefine((step, ctx) => {
    const [schema, what] = CHANNEL_TARGET[step.channel]!;
    if (!schema.safeParse(step.target).success) ctx.addIssue({ code: 'custom', path: ['target'], message: `a ${step.channel} target must be ${what}` });
  });
export const escalation = z
  .array(escalationStep)
  .max(10)
  .refine((steps) => steps.every((s, i) => i === 0 || s.after_minutes >= steps[i - 1]!.after_minutes), 'steps must be in order of after_minutes')
  .describe('Ordered escalation steps: after how many minutes of an open issue to notify whom. [] turns escalation off.');

/* ---- results ---- */

const ts = z.string();
const nts = z.string().nullable();
const overridesSchema = z.object(
  Object.fromEntries(Object.keys(settingArgs).map((k) => [k, z.number().int().nullable()])) as {
    [K in keyof typeof settingArgs]: z.ZodNullable<z.ZodNumber>;
  },
);

export const PlanSchema = z.object({
  code: z.string(),
  name: z.string(),
  max_sites: z.number().int(),
  min_interval_s: z.number().int(),
  manual_runs_per_hour: z.number().int(),
});

export const TeamSummarySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  role: z.enum(['owner', 'admin', 'editor', 'viewer']),
  plan: PlanSchema,
  subscription: z
    .object({ status: z.enum(['trialing', 'active', 'past_due', 'canceled']), trial_ends_at: nts, ends_at: nts })
    .nullable(),
  plan_access: z.boolean(),
});

export const TeamSchema = TeamSummarySchema.extend({
  usage: z.object({ sites: z.number().int(), manual_runs_last_hour: z.number().int() }),
  monitoring_defaults: settingsSchema.extend({ escalation: z.array(escalationStep) }),
});

export const SiteSchema = z.object({
  id: z.number().int(),
  team_id: z.number().int(),
  name: z.string(),
  url: z.string(),
  paused: z.boolean(),
  status: siteStatus,
  last_checked_at: nts,
  overrides: overridesSchema,
  created_at: ts,
  updated_at: ts,
});

export const CheckRunSchema = z.object({
  id: z.number().int(),
  site_id: z.number().int(),
  team_id: z.number().int(),
  check_type: checkType,
  trigger: z.enum(['scheduled', 'manual']),
  status: runStatus,
  requested_by: z.number().int().nullable(),
  queued_at: ts,
  started_at: nts,
  finished_at: nts,
  http_status: z.number().int().nullable(),
  response_time_ms: z.number().int().nullable(),
  summary: z.string().nullable(),
  result: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
});

export const IssueSchema = z.object({
  id: z.number().int(),
  site_id: z.number().int(),
  team_id: z.number().int(),
  check_type: checkType,
  severity,
  status: issueStatus,
  title: z.string(),
  summary: z.string().nullable(),
  opened_at: ts,
  acknowledged_at: nts,
  resolved_at: nts,
  opened_by_run_id: z.number().int().nullable(),
  resolved_by_run_id: z.number().int().nullable(),
  escalation_level: z.number().int(),
});

export const SiteDetailSchema = SiteSchema.extend({
  effective_settings: settingsSchema,
  checks: z.partialRecord(checkType, z.object({ status: runStatus, finished_at: nts, summary: z.string().nullable(), check_run_id: z.number().int() })),
  recent_runs: z.array(CheckRunSchema),
  open_issues: z.array(IssueSchema),
});

export const IssueDetailSchema = IssueSchema.extend({
  timeline: z.array(z.object({ at: ts, kind: z.string(), message: z.string(), data: z.record(z.string(), z.unknown()).nullable() })),
});

export const nextCursor = z.string().nullable().describe('Pass as cursor to get the next page; null on the last page.');

export const scopeList = z.array(z.enum(ALL_SCOPES as [string, ...string[]]));
