import autocannon from 'autocannon';
import { answersRight, type Scenario } from './scenarios.js';
import { quantile } from './stats.js';

/** One fixed-duration run of one scenario. Latencies are in milliseconds. */
export interface Sample {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  /** Connection errors, timeouts, non-2xx statuses and wrong answers: any of them spoils the sample. */
  failures: number;
}

/**
 * Drives `origin` with autocannon: `connections` keep-alive connections, one request in flight on each, for
 * `seconds`. Percentiles come from each response's own hrtime latency, because autocannon's histogram keeps
 * whole milliseconds only, too coarse for answers that take one or two.
 */
export function runLoad(origin: string, scenario: Scenario, connections: number, seconds: number): Promise<Sample> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: origin + scenario.path,
        method: 'POST',
        headers: scenario.headers,
        body: scenario.body,
        connections,
        pipelining: 1,
        duration: seconds,
        verifyBody: (body) => answersRight(scenario, String(body)),
      },
      (err, result) => {
        if (err) return reject(err);
        resolve({
          requestsPerSecond: result['2xx'] / result.duration,
          p50: quantile(latencies, 0.5),
          p99: quantile(latencies, 0.99),
          requests: result['2xx'],
          failures: result.errors + result.timeouts + result.non2xx + result.mismatches,
        });
      },
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) latencies.push(ms);
    });
  });
}

/** One request, read in full, to prove a scenario is answered correctly before it is timed. */
export async function checkOnce(origin: string, scenario: Scenario): Promise<void> {
  const res = await fetch(origin + scenario.path, { method: 'POST', headers: scenario.headers, body: scenario.body });
  const body = await res.text();
  if (res.status !== 200 || !answersRight(scenario, body)) {
    throw new Error(`${scenario.label}: unexpected answer (HTTP ${res.status}): ${body.slice(0, 500)}`);
  }
}
