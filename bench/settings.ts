/**
 * How hard and how long the bench pushes. Fixed by default so runs compare; BENCH_ROUNDS and BENCH_SECONDS
 * may shorten or lengthen a run within bounds that keep the whole bench to a few minutes.
 */
function bounded(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer from ${min} to ${max}.`);
  return n;
}

export const SETTINGS = {
  /** Measured rounds; every scenario runs once per round, in turn, so drift hits all of them alike. */
  rounds: bounded('BENCH_ROUNDS', 5, 1, 7),
  /** Seconds of load per scenario per round. */
  seconds: bounded('BENCH_SECONDS', 5, 1, 6),
  /** Seconds of unmeasured load per scenario before round 1, so every server is JIT-warm. */
  warmupSeconds: 2,
  /** Concurrent keep-alive connections, one request in flight on each. */
  connections: 10,
  /** Sites in the seeded team, and the page size list_sites and the plain route ask for. */
  teamSites: 100,
  pageSize: 25,
  /** The app logs every request at info in production; its stdout goes to /dev/null here. */
  appLogLevel: process.env.BENCH_LOG_LEVEL ?? 'info',
} as const;
