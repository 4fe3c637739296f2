import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The parts of a V8 .cpuprofile (Profiler.stop's result) that a summary needs. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export interface Hotspot {
  name: string;
  share: number;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where code lives: an npm package, a project file, a Node built-in, or a V8 pseudo-frame such as (garbage collector). */
export function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return url;
  return url.startsWith('file:') ? relative(ROOT, fileURLToPath(url)) : url;
}

function frameOf(node: CpuProfile['nodes'][number]): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = areaOf(url, functionName);
  return url ? `${functionName || '(anonymous)'}  ${where}:${lineNumber + 1}` : where;
}

const ranked = (counts: Map<string, number>, total: number, top: number): Hotspot[] =>
  [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, n]) => ({ name, share: n / total }));

/**
 * Self time by function (where the CPU actually was), and inclusive time by area (the share of samples with
 * that area anywhere on the stack, which is what removing or replacing it could save at most).
 */
export function summarizeProfile(profile: CpuProfile, top = 20): { selfByFunction: Hotspot[]; inclusiveByArea: Hotspot[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  let busy = 0;
  for (const id of profile.samples) {
    const leaf = byId.get(id)!;
    if (leaf.callFrame.functionName === '(idle)') continue;
    busy++;
    bump(self, frameOf(leaf));
    const areas = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { url, functionName } = byId.get(at)!.callFrame;
      if (functionName !== '(root)') areas.add(areaOf(url, functionName));
    }
    for (const area of areas) bump(inclusive, area);
  }
  return { selfByFunction: ranked(self, busy, top), inclusiveByArea: ranked(inclusive, busy, top) };
}
