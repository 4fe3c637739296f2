import autocannon from 'autocannon';

export interface Scenario {
  name: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface Round {
  rps: number;
  p50: number;
  p99: number;
}

/** One fixed-length round of load; any non-2xx answer or socket error makes the round invalid. */
export async function round(s: Scenario, opts: { connections: number; seconds: number }): Promise<Round> {
  const result = await autocannon({
    url: s.url,
    method: 'POST',
    headers: s.headers,
    body: s.body,
    connections: opts.connections,
    duration: opts.seconds,
  });
  if (result.non2xx || result.errors || result.timeouts) {
    throw new Error(`${s.name}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
