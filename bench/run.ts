import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { checkOnce, runLoad, type Sample } from './load.js';
import { withCleanup } from './lifecycle.js';
import { SERVERS, type ServerId } from './scenarios.js';
import { SETTINGS } from './settings.js';
import { setStage } from './stage.js';
import { summarize, verdict } from './summary.js';
import { formatTable, formatVerdict } from './table.js';

/**
 * `npm run bench`: SitePulse against two baselines measured in the same run on the same machine: the bare
 * SDK's stateless example shape and a plain express + pg route. Prints a table and writes bench/results.json.
 */
const RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));

await withCleanup(async (defer) => {
  const started = Date.now();
  const stage = await setStage(Object.keys(SERVERS) as ServerId[], defer);
  const { data, scenarios } = stage;
  const originOf = (server: ServerId) => stage.children[server]!.origin;
  console.log(`Database: ${data.engine} (${data.where})`);
  console.log(
    `Load: autocannon, ${SETTINGS.connections} connections, ${SETTINGS.rounds} rounds × ${SETTINGS.seconds} s per scenario ` +
      `(interleaved, after ${SETTINGS.warmupSeconds} s warm-up); ${SETTINGS.teamSites} sites, page of ${SETTINGS.pageSize}; ` +
      `SitePulse log level ${SETTINGS.appLogLevel}; Node ${process.version}, ${cpus().length}× ${cpus()[0]?.model ?? 'CPU'}`,
  );

  // Other work on the machine shares its cores with the servers and skews the numbers, though less their ratios.
  const load = loadavg()[0]!;
  if (load > cpus().length / 2) console.warn(`Warning: the machine is busy (1-min load ${load.toFixed(1)} on ${cpus().length} cores); expect noisy numbers.`);

  for (const s of scenarios) await checkOnce(originOf(s.server), s);
  for (const s of scenarios) await runLoad(originOf(s.server), s, SETTINGS.connections, SETTINGS.warmupSeconds);

  const samples = new Map<string, Sample[]>(scenarios.map((s) => [s.id, []]));
  for (let round = 1; round <= SETTINGS.rounds; round++) {
    for (const s of scenarios) {
      const sample = await runLoad(originOf(s.server), s, SETTINGS.connections, SETTINGS.seconds);
      samples.get(s.id)!.push(sample);
      console.log(`  round ${round}/${SETTINGS.rounds}  ${s.label.padEnd(36)} ${sample.requestsPerSecond.toFixed(0).padStart(6)} req/s`);
    }
  }

  const rows = summarize(scenarios, samples);
  const target = verdict(samples);
  console.log(`\n${formatTable(rows)}\n\n${formatVerdict(target)}`);
  const failures = rows.reduce((n, r) => n + r.failures, 0);
  if (failures) {
    console.error(`\n${failures} failed or wrong answers during measurement: these numbers are not to be trusted.`);
    process.exitCode = 1;
  }

  await writeFile(
    RESULTS,
    JSON.stringify(
      {
        when: new Date().toISOString(),
        engine: data.engine,
        node: process.version,
        cpus: cpus().map((c) => c.model),
        loadAverageAtStart: load,
        settings: SETTINGS,
        target,
        scenarios: rows.map((r) => ({ ...r, samples: samples.get(r.id) })),
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`\nWrote ${RESULTS} (${((Date.now() - started) / 1000).toFixed(0)} s in all).`);
});
