import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import { applyIssueLifecycle } from './issueLifecycle.js';
import type { CheckOutcome } from './outcome.js';
import { heldBy, type ClaimedRun } from './queue.js';
import { refreshSiteHealth } from './siteHealth.js';
import type { CheckTarget } from './target.js';

/**
 * Finishes a claimed run with its outcome and, in the same transaction, updates the site's status and its
 * issues. Returns false when the run is no longer this runner's to finish (its lease lapsed and another
 * runner took it over, or the site was deleted): then nothing changes.
 */
export async function recordOutcome(db: Db, runnerId: string, run: ClaimedRun, outcome: CheckOutcome, target: CheckTarget): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    // The site row first, the order delete_site locks in too: one site's results are judged one at a time.
    const site = await tx.selectFrom('sites').select(['id', 'name', 'url']).where('id', '=', run.site_id).forUpdate().executeTakeFirst();
    if (!site) return false;
    const finished = await tx
      .updateTable('check_runs')
      .set({
        status: outcome.status,
        finished_at: sql`now()`,
        http_status: outcome.http_status,
        response_time_ms: outcome.response_time_ms,
        summary: outcome.summary,
        result: JSON.stringify(outcome.result),
        error: outcome.error,
        locked_until: null, // locked_by stays: which runner did the check
      })
      .where(heldBy(runnerId, run))
      .returning('id')
      .executeTakeFirst();
    if (!finished) return false;
    if (outcome.status === 'errored') return true; // says nothing about the site
    await refreshSiteHealth(tx, site);
    const judged = { id: run.id, check_type: run.check_type, status: outcome.status, summary: outcome.summary };
    await applyIssueLifecycle(tx, { ...target, name: site.name, url: site.url }, judged, new Date());
    return true;
  });
}
