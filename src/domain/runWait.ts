import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../db/index.js';
import { getCheckRun, type runView } from './checkRuns.js';

type RunView = ReturnType<typeof runView>;

const PENDING = new Set(['queued', 'running']);
const POLL_MS = 250;
const REPORT_EVERY_MS = 1_000;

/**
 * Waits up to `waitMs` for a run to finish and returns it as it then stands. It polls the database, not
 * this process: any instance's runner may execute the run. `report` hears how the wait goes (seconds
 * waited, strictly increasing) when the status changes and about once a second.
 */
export async function waitForRun(
  db: Db,
  teamId: number,
  runId: number,
  opts: { waitMs: number; signal: AbortSignal; report: (run: RunView, waitedS: number) => Promise<void> },
): Promise<RunView> {
  const start = performance.now();
  let reportedAt = -Infinity;
  let reportedStatus = '';
  let lastWaited = -1;
  for (;;) {
    const run = await getCheckRun(db, teamId, runId);
    const elapsed = performance.now() - start;
    if (!PENDING.has(run.status) || elapsed >= opts.waitMs || opts.signal.aborted) return run;
    const waited = Math.round(elapsed / 100) / 10;
    if ((run.status !== reportedStatus || elapsed - reportedAt >= REPORT_EVERY_MS) && waited > lastWaited) {
      await opts.report(run, waited);
      [reportedAt, reportedStatus, lastWaited] = [elapsed, run.status, waited];
    }
    try {
      await sleep(Math.min(POLL_MS, opts.waitMs - elapsed), undefined, { signal: opts.signal });
    } catch {
      // The client cancelled the request: the loop returns the run as it stands.
    }
  }
}
