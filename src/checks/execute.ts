import { randomUUID } from 'node:crypto';
import type { Db } from '../db/index.js';
import type { Logger } from '../log.js';
import { checkCertificate } from './certificate.js';
import { outcome, type CheckContext, type CheckOutcome } from './outcome.js';
import { releaseRun, type ClaimedRun } from './queue.js';
import { recordOutcome } from './record.js';
import { loadCheckTarget } from './target.js';
import { checkUptime } from './uptime.js';

export interface ExecuteDeps {
  db: Db;
  log: Logger;
  runnerId: string;
  check: Omit<CheckContext, 'signal'>;
}

/**
 * Checks one claimed run's site and records the outcome. A check cut short by shutdown goes back to the
 * queue for another runner; an unexpected fault is recorded as `errored` with an event id for the log.
 */
export async function executeRun(deps: ExecuteDeps, run: ClaimedRun, stop: AbortSignal): Promise<void> {
  const target = await loadCheckTarget(deps.db, run.site_id);
  if (!target) return; // the site was deleted, and its runs with it
  const ctx: CheckContext = { ...deps.check, signal: stop };
  let result: CheckOutcome;
  try {
    result = run.check_type === 'uptime' ? await checkUptime(target.url, target.settings, ctx) : await checkCertificate(target.url, target.settings, ctx);
  } catch (err) {
    if (stop.aborted) return releaseRun(deps.db, deps.runnerId, run);
    const eventId = randomUUID();
    deps.log.error({ err, eventId, runId: run.id }, 'check failed unexpectedly');
    result = outcome('errored', `Not checked: an internal error stopped this check (event ${eventId}).`, { error: `internal error (event ${eventId})` });
  }
  const recorded = await recordOutcome(deps.db, deps.runnerId, run, result, target);
  if (recorded) deps.log.debug({ runId: run.id, siteId: run.site_id, checkType: run.check_type, status: result.status }, 'check run finished');
  else deps.log.warn({ runId: run.id }, 'check run was no longer ours to finish (lease lapsed or site deleted); result dropped');
}
