import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import type { CheckRunRow, CheckType, RunStatus, RunTrigger } from '../db/schema.js';
import { AppError, notFound } from './errors.js';
import { decodeCursor, toPage, DEFAULT_LIMIT, type Page } from './pagination.js';
import type { Membership } from './teams.js';
import { iso } from './time.js';

/** The columns a run's view needs; queries name them instead of `*` (lease columns stay the runner's). */
export const RUN_COLUMNS = [
  'id', 'site_id', 'team_id', 'check_type', 'trigger', 'status', 'requested_by', 'queued_at', 'started_at',
  'finished_at', 'http_status', 'response_time_ms', 'summary', 'result', 'error',
] as const satisfies readonly (keyof CheckRunRow)[];

export function runView(r: Pick<CheckRunRow, (typeof RUN_COLUMNS)[number]>) {
  return {
    id: r.id,
    site_id: r.site_id,
    team_id: r.team_id,
    check_type: r.check_type,
    trigger: r.trigger,
    status: r.status,
    requested_by: r.requested_by,
    queued_at: iso(r.queued_at),
    started_at: iso(r.started_at),
    finished_at: iso(r.finished_at),
    http_status: r.http_status,
    response_time_ms: r.response_time_ms,
    summary: r.summary,
    result: r.result,
    error: r.error,
  };
}

export interface RunFilter extends Page {
  site_id?: number | undefined;
  check_type?: CheckType | undefined;
  status?: RunStatus | undefined;
  trigger?: RunTrigger | undefined;
  since?: string | undefined;
  until?: string | undefined;
}

/** Newest first; `since`/`until` bound the time the run was queued. */
export async function listCheckRuns(db: Db, teamId: number, f: RunFilter) {
  const limit = f.limit ?? DEFAULT_LIMIT;
  const before = decodeCursor(f.cursor);
  let q = db.selectFrom('check_runs').select(RUN_COLUMNS).where('team_id', '=', teamId);
  if (f.site_id !== undefined) q = q.where('site_id', '=', f.site_id);
  if (before !== undefined) q = q.where('id', '<', before);
  if (f.check_type) q = q.where('check_type', '=', f.check_type);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.trigger) q = q.where('trigger', '=', f.trigger);
  if (f.since) q = q.where('queued_at', '>=', new Date(f.since));
  if (f.until) q = q.where('queued_at', '<', new Date(f.until));
  const page = toPage(await q.orderBy('id', 'desc').limit(limit + 1).execute(), limit);
  return { check_runs: page.items.map(runView), next_cursor: page.next_cursor };
}

export async function getCheckRun(db: Db, teamId: number, runId: number) {
  const row = await db.selectFrom('check_runs').select(RUN_COLUMNS).where('id', '=', runId).where('team_id', '=', teamId).executeTakeFirst();
  if (!row) throw notFound('Check run', runId);
  return runView(row);
}

/**
 * Queues a manual run, within the plan's manual runs per hour. The team row is locked while counting so
 * that concurrent requests cannot overshoot the limit.
 */
export async function queueManualRun(
  db: Db,
  team: Membership,
  req: { site_id: number; check_type: CheckType; requested_by: number; now: Date },
) {
  return db.transaction().execute(async (tx) => {
    await tx.selectFrom('teams').select('id').where('id', '=', team.team_id).forUpdate().execute();
    const site = await tx.selectFrom('sites').select(['id', 'url']).where('id', '=', req.site_id).where('team_id', '=', team.team_id).executeTakeFirst();
    if (!site) throw notFound('Site', req.site_id);
    if (req.check_type === 'certificate' && !site.url.startsWith('https:')) {
      throw new AppError('validation_failed', `Site ${req.site_id} is served over http://, so it has no certificate to check; use check_type uptime.`, {
        fields: { check_type: 'certificate needs an https:// site' },
      });
    }
    const windowStart = new Date(req.now.getTime() - 3_600_000);
    const { n, oldest } = await tx
      .selectFrom('check_runs')
      .select([sql<number>`count(*)::int`.as('n'), sql<Date | null>`min(queued_at)`.as('oldest')])
      .where('team_id', '=', team.team_id)
      .where('trigger', '=', 'manual')
      .where('queued_at', '>', windowStart)
      .executeTakeFirstOrThrow();
    const limit = team.plan.manual_runs_per_hour;
    if (n >= limit) {
      const freesAt = new Date(oldest ?? req.now).getTime() + 3_600_000;
      const retryAfter = Math.max(1, Math.ceil((freesAt - req.now.getTime()) / 1000));
      throw new AppError(
        'rate_limited',
        `The ${team.plan.name} plan allows ${limit} manual check runs per hour and this team has used them. Try again in ${retryAfter} seconds.`,
        { limit: 'manual_runs_per_hour', manual_runs_per_hour: limit, retry_after: retryAfter },
      );
    }
    const row = await tx
      .insertInto('check_runs')
      .values({
        team_id: team.team_id,
        site_id: req.site_id,
        check_type: req.check_type,
        trigger: 'manual',
        requested_by: req.requested_by,
        status: 'queued',
        queued_at: req.now,
      })
      .returning(RUN_COLUMNS)
      .executeTakeFirstOrThrow();
    return runView(row);
  });
}

/** Only finished or queued manual runs may go: scheduled history is the site's record, running ones are busy. */
export async function deleteCheckRun(db: Db, teamId: number, runId: number) {
  return db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('check_runs').select(RUN_COLUMNS).where('id', '=', runId).where('team_id', '=', teamId).forUpdate().executeTakeFirst();
    if (!row) throw notFound('Check run', runId);
    if (row.trigger === 'scheduled') {
      throw new AppError('conflict', `Check run ${runId} is a scheduled run; only manual runs can be deleted.`, { trigger: row.trigger });
    }
    if (row.status === 'running') {
      throw new AppError('conflict', `Check run ${runId} is running; delete it once it has finished.`, { status: row.status });
    }
    await tx.deleteFrom('check_runs').where('id', '=', runId).execute();
    return runView(row);
  });
}
