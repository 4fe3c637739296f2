import type { Sample } from './load.js';
import type { Scenario } from './scenarios.js';
import { median } from './stats.js';

/** The baselines every SitePulse scenario is compared with, by scenario id. */
export const BASELINES = { bareSdk: 'bare_sdk_tool_call', plainPg: 'express_pg_sites' } as const;
export const TARGET = { scenario: 'sitepulse_list_sites', over: BASELINES.bareSdk, atLeast: 1.5 } as const;

export interface ScenarioSummary {
  id: string;
  label: string;
  rounds: number;
  requestsPerSecond: { median: number; min: number; max: number };
  p50Ms: number;
  p99Ms: number;
  requests: number;
  failures: number;
  /** Median req/s of this scenario ÷ that of each baseline; absent for the baselines themselves. */
  ratio?: { overBareSdk: number; overPlainPg: number };
}

export interface TargetVerdict {
  ratio: number;
  /** The same ratio within each round, whose spread shows how much the verdict can be trusted. */
  perRound: number[];
  atLeast: number;
  met: boolean;
}

export function summarize(scenarios: Scenario[], samples: Map<string, Sample[]>): ScenarioSummary[] {
  const base = (id: string) => median(samples.get(id)!.map((s) => s.requestsPerSecond));
  const bare = base(BASELINES.bareSdk);
  const plain = base(BASELINES.plainPg);
  return scenarios.map((s) => {
    const runs = samples.get(s.id)!;
    const rps = runs.map((r) => r.requestsPerSecond);
    const summary: ScenarioSummary = {
      id: s.id,
      label: s.label,
      rounds: runs.length,
      requestsPerSecond: { median: median(rps), min: Math.min(...rps), max: Math.max(...rps) },
      p50Ms: median(runs.map((r) => r.p50)),
      p99Ms: median(runs.map((r) => r.p99)),
      requests: runs.reduce((n, r) => n + r.requests, 0),
      failures: runs.reduce((n, r) => n + r.failures, 0),
    };
    if (s.server === 'sitePulse') summary.ratio = { overBareSdk: median(rps) / bare, overPlainPg: median(rps) / plain };
    return summary;
  });
}

export function verdict(samples: Map<string, Sample[]>): TargetVerdict {
  const ours = samples.get(TARGET.scenario)!;
  const theirs = samples.get(TARGET.over)!;
  const ratio = median(ours.map((s) => s.requestsPerSecond)) / median(theirs.map((s) => s.requestsPerSecond));
  const perRound = ours.map((s, i) => s.requestsPerSecond / theirs[i]!.requestsPerSecond);
  return { ratio, perRound, atLeast: TARGET.atLeast, met: ratio >= TARGET.atLeast };
}
