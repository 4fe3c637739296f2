import { sql, type ExpressionBuilder } from 'kysely';
import type { DB, Db } from '../db/index.js';
import type { CheckType, RunTrigger } from '../db/schema.js';

/**
 * The run queue is the check_runs table. A runner claims queued runs with FOR UPDATE SKIP LOCKED (so two
 * runners never take the same run) and holds each under a lease; runs whose lease lapsed (the runner died)
 * are requeued, or errored once they have used their attempts. Times are the database's, so runners on
 * machines with skewed clocks agree on when a lease ends.
 */

export interface ClaimedRun {
  id: number;
  site_id: number;
  team_id: number;
  check_type: CheckType;
  trigger: RunTrigger;
  /** Which attempt this claim is; finishing is fenced on it, so a late, superseded runner changes nothing. */
  attempts: number;
}

const leaseEnd = (leaseMs: number) => sql<Date>`now() + ${leaseMs} * interval '1 millisecond'`;

/**
 * Claims up to `limit` queued runs for `runnerId`, manual ones first, then oldest first. The candidates are
 * picked in a CTE, which runs once: as an `IN (subquery)` PostgreSQL may re-run the subquery per row, and
 * each re-run skips the rows this very statement just updated, claiming far more than `limit`.
 */
export async function claimRuns(db: Db, opts: { runnerId: string; leaseMs: number; limit: number }): Promise<ClaimedRun[]> {
  if (opts.limit <= 0) return [];
  return db
    .with('claimable', (qb) =>
      qb
        .selectFrom('check_runs')
        .select('id')
        .where('status', '=', 'queued')
        .orderBy(sql`trigger = 'scheduled'`)
        .orderBy('queued_at')
        .orderBy('id')
        .limit(opts.limit)
        .forUpdate()
        .skipLocked(),
    )
    .updateTable('check_runs')
    .from('claimable')
    .set({
      status: 'running',
      started_at: sql`now()`,
      attempts: sql`check_runs.attempts + 1`,
      locked_by: opts.runnerId,
      locked_until: leaseEnd(opts.leaseMs),
    })
    .whereRef('check_runs.id', '=', 'claimable.id')
    .returning(['check_runs.id', 'check_runs.site_id', 'check_runs.team_id', 'check_runs.check_type', 'check_runs.trigger', 'check_runs.attempts'])
    .execute();
}

/** The run as `runnerId` claimed it, unless its lease lapsed and another runner took it over since. */
export const heldBy = (runnerId: string, run: Pick<ClaimedRun, 'id' | 'attempts'>) => (eb: ExpressionBuilder<DB, 'check_runs'>) =>
  eb.and({ id: run.id, status: 'running', locked_by: runnerId, attempts: run.attempts });

/** Puts a run this runner will not finish (it is shutting down) back in the queue, without using an attempt. */
export async function releaseRun(db: Db, runnerId: string, run: Pick<ClaimedRun, 'id' | 'attempts'>): Promise<void> {
  await db
    .updateTable('check_runs')
    .set({ status: 'queued', started_at: null, attempts: sql`attempts - 1`, locked_by: null, locked_until: null })
    .where(heldBy(runnerId, run))
    .execute();
}

/**
 * Runs whose lease has lapsed: back to the queue while attempts remain, else `errored`. Safe to call from
 * every runner at once: each UPDATE re-checks its condition on rows another runner just changed.
 * (A running run without a lease predates leases or was loaded by hand; it counts as lapsed.)
 */
export async function recoverLapsedRuns(db: Db, maxAttempts: number): Promise<{ requeued: number; errored: number }> {
  const lapsed = (attempts: '<' | '>=') =>
    db
      .updateTable('check_runs')
      .where('status', '=', 'running')
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', sql<Date>`now()`)]))
      .where('attempts', attempts, maxAttempts);
  const requeued = await lapsed('<')
    .set({ status: 'queued', started_at: null, locked_by: null, locked_until: null })
    .executeTakeFirst();
  const errored = await lapsed('>=')
    .set({
      status: 'errored',
      finished_at: sql`now()`,
      locked_by: null,
      locked_until: null,
      summary: 'Not checked: the check runner stopped before finishing this run.',
      error: sql`'The check runner stopped before finishing this run, ' || attempts || ' times; it will not be retried.'`,
    })
    .executeTakeFirst();
  return { requeued: Number(requeued.numUpdatedRows), errored: Number(errored.numUpdatedRows) };
}
