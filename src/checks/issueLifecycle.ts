import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import type { CheckType, Severity } from '../db/schema.js';
import { recordDueSteps } from './escalation.js';
import { latestResults } from './history.js';
import type { JudgedStatus } from './outcome.js';
import type { CheckTarget } from './target.js';

/**
 * Issues follow results: `failure_threshold` consecutive unsuccessful runs (failed or warning, manual and
 * scheduled alike) open one; a later failure raises a warning to critical; `recovery_threshold`
 * consecutive successes resolve it. Callers hold the site's row lock, so results are judged one at a time;
 * the unique index on unresolved issues backs that up.
 */

export interface JudgedRun {
  id: number;
  check_type: CheckType;
  status: JudgedStatus;
  summary: string;
}

const TITLES: Record<CheckType, Record<Severity, (name: string) => string>> = {
  uptime: { critical: (n) => `${n} is down`, warning: (n) => `${n} is slow` },
  certificate: { critical: (n) => `${n} has an invalid certificate`, warning: (n) => `${n}'s certificate expires soon` },
};

const severityOf = (status: JudgedStatus): Severity => (status === 'failed' ? 'critical' : 'warning');

/** How many of the newest results in a row satisfy `test`. */
function streak(results: JudgedStatus[], test: (s: JudgedStatus) => boolean): number {
  const broken = results.findIndex((s) => !test(s));
  return broken === -1 ? results.length : broken;
}

export async function applyIssueLifecycle(db: Db, site: CheckTarget, run: JudgedRun, now: Date): Promise<void> {
  const { failure_threshold, recovery_threshold } = site.settings;
  const recent = await latestResults(db, site.site_id, run.check_type, Math.max(failure_threshold, recovery_threshold));
  const current = await db
    .selectFrom('issues')
    .selectAll()
    .where('site_id', '=', site.site_id)
    .where('check_type', '=', run.check_type)
    .where('status', '<>', 'resolved')
    .executeTakeFirst();

  if (!current) {
    const failing = streak(recent, (s) => s !== 'succeeded');
    if (run.status !== 'succeeded' && failing >= failure_threshold) await openIssue(db, site, run, failing, now);
    return;
  }
  const event = (kind: string, message: string) =>
    db.insertInto('issue_events').values({ issue_id: current.id, at: now, kind, message, data: JSON.stringify({ check_run_id: run.id }) }).execute();

  if (run.status === 'failed' && current.severity === 'warning') {
    await db.updateTable('issues').set({ severity: 'critical', title: TITLES[run.check_type].critical(site.name) }).where('id', '=', current.id).execute();
    await event('severity_raised', `Raised to critical: ${run.summary}`);
  } else if (run.status === 'succeeded' && streak(recent, (s) => s === 'succeeded') >= recovery_threshold) {
    await db
      .updateTable('issues')
      .set({ status: 'resolved', resolved_at: now, resolved_by_run_id: run.id })
      .where('id', '=', current.id)
      .execute();
    await event('resolved', `Resolved after ${recovery_threshold} successful ${run.check_type} check${recovery_threshold === 1 ? '' : 's'} in a row: ${run.summary}`);
  }
}

async function openIssue(db: Db, site: CheckTarget, run: JudgedRun, failing: number, now: Date): Promise<void> {
  const severity = severityOf(run.status);
  const issue = await db
    .insertInto('issues')
    .values({
      team_id: site.team_id,
      site_id: site.site_id,
      check_type: run.check_type,
      severity,
      status: 'open',
      title: TITLES[run.check_type][severity](site.name),
      summary: run.summary,
      opened_at: now,
      opened_by_run_id: run.id,
    })
    .onConflict((oc) => oc.columns(['site_id', 'check_type']).where('status', '<>', sql.lit('resolved')).doNothing())
    .returning(['id', 'opened_at', 'escalation_level'])
    .executeTakeFirst();
  if (!issue) return;
  await db
    .insertInto('issue_events')
    .values({
      issue_id: issue.id,
      at: now,
      kind: 'opened',
      message: `Opened after ${failing} unsuccessful ${run.check_type} check${failing === 1 ? '' : 's'} in a row: ${run.summary}`,
      data: JSON.stringify({ check_run_id: run.id, severity }),
    })
    .execute();
  // Steps due at once (after_minutes 0) are recorded with the opening, not a tick later.
  await recordDueSteps(db, issue, site.escalation, now);
}
