import type { TargetGuard } from './ssrf.js';

/** What a check found. `errored`: the check itself could not be done (refused target, internal fault). */
export type JudgedStatus = 'succeeded' | 'warning' | 'failed';

export interface CheckOutcome {
  status: JudgedStatus | 'errored';
  summary: string;
  http_status: number | null;
  response_time_ms: number | null;
  result: Record<string, unknown>;
  error: string | null;
}

/** What a check needs from its runner besides the site: the address guard, a stop signal, trust roots. */
export interface CheckContext {
  guard: TargetGuard;
  /** Aborted when the runner shuts down; the check stops and the run goes back to the queue. */
  signal: AbortSignal;
  /** Trust roots for TLS; undefined means Node's bundled roots. */
  ca?: string[] | undefined;
}

export const outcome = (
  status: CheckOutcome['status'],
  summary: string,
  extra: Partial<Omit<CheckOutcome, 'status' | 'summary'>> = {},
): CheckOutcome => ({ status, summary, http_status: null, response_time_ms: null, result: {}, error: null, ...extra });

/** A time limit for one whole check, combined with the runner's stop signal. */
export function deadline(timeoutMs: number, stop: AbortSignal) {
  const timer = AbortSignal.timeout(timeoutMs);
  return { signal: AbortSignal.any([stop, timer]), timedOut: () => timer.aborted && !stop.aborted };
}

export const elapsedSince = (start: number) => Math.round(performance.now() - start);
