import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '../db/index.js';
import type { Logger } from '../log.js';
import { escalateDueIssues } from './escalation.js';
import { sweepExpired } from '../auth/sweep.js';
import { executeRun, type ExecuteDeps } from './execute.js';
import { claimRuns, recoverLapsedRuns } from './queue.js';
import { scheduleDueChecks } from './scheduler.js';
import type { TargetGuard } from './ssrf.js';

/** The runner also keeps the sign-in tables small: it is the one periodic process every deployment has. */
const SWEEP_EVERY_MS = 10 * 60 * 1000;

export interface RunnerOptions {
  db: Db;
  log: Logger;
  guard: TargetGuard;
  /** TLS trust roots; undefined means Node's (which honour NODE_EXTRA_CA_CERTS). */
  ca?: string[] | undefined;
  /** Checks in flight at once. */
  concurrency?: number;
  /** How long an idle runner waits before looking at the queue again. */
  pollMs?: number;
  /** How often it schedules due sites, recovers lapsed leases and escalates issues. */
  tickMs?: number;
  /** How long a claimed run is ours; longer than the longest check (timeout_ms is at most 60 s). */
  leaseMs?: number;
  /** Claims of one run before a lapsed lease marks it errored instead of retrying. */
  maxAttempts?: number;
  /** On stop, how long in-flight checks may finish before they are cut short and requeued. */
  graceMs?: number;
}

export interface Runner {
  readonly id: string;
  /** Stops claiming, lets in-flight checks finish within the grace period, requeues the rest. */
  stop(): Promise<void>;
}

export function startRunner(o: RunnerOptions): Runner {
  const { db, log, concurrency = 4, pollMs = 1_000, tickMs = 5_000, leaseMs = 120_000, maxAttempts = 3, graceMs = 10_000 } = o;
  const id = `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;
  const deps: ExecuteDeps = { db, log, runnerId: id, check: { guard: o.guard, ca: o.ca } };
  let closing = false;
  const cutShort = new AbortController();
  const inflight = new Map<number, Promise<void>>();
  let wake = () => {};
  let lastTick = -Infinity;
  let lastSweep = -Infinity;

  async function safely(what: string, work: () => Promise<unknown>) {
    try {
      await work();
    } catch (err) {
      log.error({ err, runner: id }, `check runner: ${what} failed; trying again shortly`);
    }
  }

  async function maintain() {
    const now = new Date();
    await safely('lease recovery', async () => {
      const { requeued, errored } = await recoverLapsedRuns(db, maxAttempts);
      if (requeued || errored) log.warn({ requeued, errored }, 'recovered check runs whose runner stopped');
    });
    await safely('scheduling', () => scheduleDueChecks(db, now));
    await safely('escalation', () => escalateDueIssues(db, now));
    if (now.getTime() - lastSweep >= SWEEP_EVERY_MS) {
      lastSweep = now.getTime();
      await safely('sweeping expired sign-in records', async () => log.info({ deleted: await sweepExpired(db, now) }, 'swept expired sign-in records'));
    }
  }

  async function claimAndStart(): Promise<number> {
    const claimed = await claimRuns(db, { runnerId: id, leaseMs, limit: concurrency - inflight.size });
    for (const run of claimed) {
      const done = executeRun(deps, run, cutShort.signal)
        .catch((err: unknown) => log.error({ err, runId: run.id }, 'check runner: could not finish a run; its lease will lapse'))
        .finally(() => {
          inflight.delete(run.id);
          wake();
        });
      inflight.set(run.id, done);
    }
    return claimed.length;
  }

  const loop = (async () => {
    while (!closing) {
      if (performance.now() - lastTick >= tickMs) {
        lastTick = performance.now();
        await maintain();
      }
      let claimed = 0;
      await safely('claiming', async () => (claimed = await claimAndStart()));
      // A full claim may mean more is queued: look again at once while there is room.
      if (claimed > 0 && inflight.size < concurrency) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();

  log.info({ runner: id, concurrency }, 'check runner started');
  let stopped: Promise<void> | undefined;
  return {
    id,
    stop: () =>
      (stopped ??= (async () => {
        closing = true;
        wake();
        await loop;
        const timer = setTimeout(() => cutShort.abort(), graceMs);
        await Promise.allSettled(inflight.values());
        clearTimeout(timer);
        log.info({ runner: id }, 'check runner stopped');
      })()),
  };
}
