import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { summarizeProfile, type CpuProfile, type Hotspot } from './cpuProfile.js';
import { withCleanup } from './lifecycle.js';
import { checkOnce, runLoad } from './load.js';
import { SETTINGS } from './settings.js';
import { setStage } from './stage.js';

/**
 * `npx tsx bench/profile.ts [scenario id…]`: CPU-profiles the server of each scenario (by default SitePulse
 * list_sites and the bare SDK) under the bench's load, writes bench/profiles/<id>.cpuprofile (open it in
 * Chrome DevTools or speedscope) and prints the hot spots.
 */
const PROFILE_SECONDS = 8;
const DIR = fileURLToPath(new URL('./profiles/', import.meta.url));
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : ['sitepulse_list_sites', 'bare_sdk_tool_call'];

const percent = (h: Hotspot) => `${(h.share * 100).toFixed(1).padStart(5)}%  ${h.name}`;

await withCleanup(async (defer) => {
  await mkdir(DIR, { recursive: true });
  const stage = await setStage(['bareSdk', 'plainPg', 'sitePulse'], defer);
  const unknown = wanted.filter((id) => !stage.scenarios.some((s) => s.id === id));
  if (unknown.length) throw new Error(`Unknown scenario(s): ${unknown.join(', ')}; known: ${stage.scenarios.map((s) => s.id).join(', ')}`);
  console.log(`Database: ${stage.data.engine}; ${SETTINGS.connections} connections, ${PROFILE_SECONDS} s profiled per scenario`);

  for (const scenario of stage.scenarios.filter((s) => wanted.includes(s.id))) {
    const child = stage.children[scenario.server]!;
    await checkOnce(child.origin, scenario);
    await runLoad(child.origin, scenario, SETTINGS.connections, SETTINGS.warmupSeconds);
    const file = `${DIR}${scenario.id}.cpuprofile`;
    await child.command({ profile: 'start' });
    const sample = await runLoad(child.origin, scenario, SETTINGS.connections, PROFILE_SECONDS);
    await child.command({ profile: 'stop', file });

    const { selfByFunction, inclusiveByArea } = summarizeProfile(JSON.parse(await readFile(file, 'utf8')) as CpuProfile);
    console.log(`\n== ${scenario.label}: ${sample.requestsPerSecond.toFixed(0)} req/s while profiled; ${file}`);
    console.log('-- share of busy samples with this on the stack (inclusive), by package or file:');
    console.log(inclusiveByArea.map(percent).join('\n'));
    console.log('-- self time by function:');
    console.log(selfByFunction.map(percent).join('\n'));
  }
});
