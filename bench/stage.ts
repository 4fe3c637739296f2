import { startServer, type ServerChild } from './children.js';
import { prepareBenchData, type BenchData } from './database.js';
import { SERVERS, scenarios, type Scenario, type ServerId } from './scenarios.js';
import { SETTINGS } from './settings.js';

export interface Stage {
  data: BenchData;
  children: Partial<Record<ServerId, ServerChild>>;
  scenarios: Scenario[];
}

/**
 * Seeds fresh bench data and starts the given servers, one child each, registering their teardown with
 * `defer`. Only the scenarios of the started servers are returned.
 */
export async function setStage(servers: ServerId[], defer: (cleanup: () => Promise<void>) => void): Promise<Stage> {
  const data = await prepareBenchData(SETTINGS.teamSites);
  defer(data.drop);
  const env = { ...data.childEnv, BENCH_LOG_LEVEL: SETTINGS.appLogLevel };
  const started = await Promise.allSettled(servers.map((id) => startServer(SERVERS[id].label, SERVERS[id].entry, env)));
  for (const s of started) if (s.status === 'fulfilled') defer(s.value.stop);
  const children = started.map((s) => {
    if (s.status === 'rejected') throw s.reason;
    return s.value;
  });
  const byId = Object.fromEntries(servers.map((id, i) => [id, children[i]!]));
  const all = scenarios({ token: data.token, teamId: data.teamId, pageSize: SETTINGS.pageSize });
  return { data, children: byId, scenarios: all.filter((s) => servers.includes(s.server)) };
}
