import type { ScenarioSummary, TargetVerdict } from './summary.js';

const fixed = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
const times = (n: number | undefined) => (n === undefined ? '—' : `${fixed(n, 2)}×`);

/** The results as an aligned plain-text table, numbers right-aligned. */
export function formatTable(rows: ScenarioSummary[]): string {
  const header = ['scenario', 'req/s (median)', 'req/s min–max', 'p50 ms', 'p99 ms', '÷ bare SDK', '÷ express+pg', 'failures'];
  const body = rows.map((r) => [
    r.label,
    fixed(r.requestsPerSecond.median, 0),
    `${fixed(r.requestsPerSecond.min, 0)}–${fixed(r.requestsPerSecond.max, 0)}`,
    fixed(r.p50Ms, 2),
    fixed(r.p99Ms, 2),
    times(r.ratio?.overBareSdk),
    times(r.ratio?.overPlainPg),
    String(r.failures),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export function formatVerdict(v: TargetVerdict): string {
  const rounds = v.perRound.map((r) => fixed(r, 2)).join(', ');
  return `Target: SitePulse list_sites ≥ ${v.atLeast}× bare SDK req/s → ${times(v.ratio)} (per round: ${rounds}) — ${v.met ? 'MET' : 'MISSED'}`;
}
