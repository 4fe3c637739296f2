import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import type { EscalationStep } from '../db/schema.js';

/**
 * Escalation records, on an issue's timeline, each step of the team's policy as it falls due (`after_minutes`
 * after the issue opened) while the issue stays open and unacknowledged. Delivering the email, Slack
 * message, webhook or SMS is another system's job; this server records the step and its target.
 */

export interface EscalatingIssue {
  id: number;
  opened_at: Date;
  escalation_level: number;
}

/** Records the steps due by `now` that are not recorded yet, and moves the issue's level past them. */
export async function recordDueSteps(db: Db, issue: EscalatingIssue, steps: EscalationStep[], now: Date): Promise<number> {
  const opened = new Date(issue.opened_at).getTime();
  const events = [];
  let level = issue.escalation_level;
  for (let step = steps[level]; step && opened + step.after_minutes * 60_000 <= now.getTime(); step = steps[level]) {
    level += 1;
    events.push({
      issue_id: issue.id,
      at: now,
      kind: 'escalated',
      message: `Escalation step ${level}: notify ${step.channel} ${step.target} (${step.after_minutes} min after opening).`,
      data: JSON.stringify({ step: level, after_minutes: step.after_minutes, channel: step.channel, target: step.target }),
    });
  }
  if (events.length === 0) return 0;
  await db.insertInto('issue_events').values(events).execute();
  await db.updateTable('issues').set({ escalation_level: level }).where('id', '=', issue.id).execute();
  return events.length;
}

/**
 * The runner's periodic tick: open issues whose next step is due. Rows are claimed with SKIP LOCKED so that
 * several runners ticking at once record each step once.
 */
export async function escalateDueIssues(db: Db, now: Date, batch = 100): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const due = await tx
      .selectFrom('issues as i')
      .innerJoin('team_monitoring_defaults as d', 'd.team_id', 'i.team_id')
      .select(['i.id', 'i.opened_at', 'i.escalation_level', 'd.escalation'])
      .where('i.status', '=', 'open')
      .where(sql<boolean>`i.escalation_level < jsonb_array_length(d.escalation)`)
      .where(sql<boolean>`i.opened_at + (d.escalation -> i.escalation_level ->> 'after_minutes')::int * interval '1 minute' <= ${now}`)
      .orderBy('i.opened_at')
      .limit(batch)
      .forUpdate('i')
      .skipLocked()
      .execute();
    let recorded = 0;
    for (const issue of due) recorded += await recordDueSteps(tx, issue, issue.escalation, now);
    return recorded;
  });
}
