import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import type { CheckType } from '../db/schema.js';
import { hasPlanAccess } from '../domain/subscriptions.js';
import { sitesWithSettings, toCheckTarget } from './target.js';

/** The checks a site gets on schedule: uptime always, the certificate when it is served over https. */
const checksFor = (url: string): CheckType[] => (url.startsWith('https:') ? ['uptime', 'certificate'] : ['uptime']);

/**
 * Queues scheduled runs for unpaused sites that are due, and moves each one's next_check_at on by its
 * effective interval (site override, else team default, never below the plan minimum). Due sites are
 * claimed with SKIP LOCKED, so several runners scheduling at once queue each site's checks once.
 * Teams without plan access are not checked (their sites still move on, to be looked at again later).
 * Returns the number of runs queued.
 */
export async function scheduleDueChecks(db: Db, now: Date, batch = 200): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const due = await sitesWithSettings(tx)
      .where('s.paused', '=', false)
      .where('s.next_check_at', '<=', sql<Date>`now()`)
      .orderBy('s.next_check_at')
      .limit(batch)
      .forUpdate('s')
      .skipLocked()
      .execute();
    if (due.length === 0) return 0;

    const next = due.map((row) => sql`(${row.id}::int, ${toCheckTarget(row).settings.interval_s}::int)`);
    await sql`UPDATE sites AS s SET next_check_at = now() + v.secs * interval '1 second'
              FROM (VALUES ${sql.join(next)}) AS v(id, secs) WHERE s.id = v.id`.execute(tx);

    const active = due.filter((row) =>
      hasPlanAccess(row.subscription_status && { status: row.subscription_status, trial_ends_at: row.trial_ends_at, ends_at: row.ends_at }, now),
    );
    if (active.length === 0) return 0;
    // A check whose last scheduled run is still waiting is not queued again: a backlog must not grow.
    const waiting = await tx
      .selectFrom('check_runs')
      .select(['site_id', 'check_type'])
      .where('site_id', 'in', active.map((r) => r.id))
      .where('status', '=', 'queued')
      .where('trigger', '=', 'scheduled')
      .execute();
    const isWaiting = new Set(waiting.map((w) => `${w.site_id}/${w.check_type}`));
    const runs = active.flatMap((row) =>
      checksFor(row.url)
        .filter((check_type) => !isWaiting.has(`${row.id}/${check_type}`))
        .map((check_type) => ({ team_id: row.team_id, site_id: row.id, check_type, trigger: 'scheduled' as const, status: 'queued' as const })),
    );
    if (runs.length) await tx.insertInto('check_runs').values(runs).execute();
    return runs.length;
  });
}
