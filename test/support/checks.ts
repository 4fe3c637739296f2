import { rootCertificates } from 'node:tls';
import { sql } from 'kysely';
import type { Db } from '../../src/db/index.js';
import type { CheckType, MonitoringSettings } from '../../src/db/schema.js';
import { startRunner, type Runner, type RunnerOptions } from '../../src/checks/runner.js';
import { targetGuard } from '../../src/checks/ssrf.js';
import { createLogger } from '../../src/log.js';
import { seed, type Fixture, type SeedResult } from '../../src/fixtures/seed.js';

type Step = { after_minutes: number; channel: 'email' | 'slack' | 'webhook' | 'sms'; target: string };
type SiteFixture = NonNullable<Fixture['teams'][number]['sites']>[number];

/** A team `key` (its owner is `key@checks.test`) on `plan`, with these monitoring defaults and sites. */
export function monitoredTeam(
  key: string,
  sites: Omit<SiteFixture, 'name'>[],
  defaults: Partial<MonitoringSettings> & { escalation?: Step[] } = {},
  plan: 'starter' | 'pro' | 'business' = 'pro',
): Fixture {
  const email = `${key}@checks.test`;
  return {
    users: [{ email, name: key, email_verified: true }],
    teams: [
      {
        key,
        name: `Team ${key}`,
        plan,
        members: [{ email, role: 'owner' as const }],
        monitoring_defaults: defaults,
        sites: sites.map((s) => ({ ...s, name: `Site ${s.key}` })),
      },
    ],
  };
}

/**
 * Seeds a fixture whose sites are not due for a day, so that a runner's scheduler leaves them alone and a
 * test decides which runs exist.
 */
export async function seedUnscheduled(db: Db, fixture: Fixture): Promise<SeedResult> {
  const ids = await seed(db, fixture);
  const sites = Object.values(ids.sites);
  if (sites.length) await db.updateTable('sites').set({ next_check_at: sql`now() + interval '1 day'` }).where('id', 'in', sites).execute();
  return ids;
}

/** A runner with intervals short enough for tests; private targets allowed (the targets are on 127.0.0.1). */
export function testRunner(db: Db, options: Partial<Omit<RunnerOptions, 'db'>> & { ca?: string[] } = {}): Runner {
  return startRunner({
    db,
    log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    guard: targetGuard({ allowPrivate: true }),
    pollMs: 20,
    tickMs: 50,
    leaseMs: 10_000,
    graceMs: 2_000,
    ...options,
    ca: options.ca && [...rootCertificates, ...options.ca],
  });
}

/** Puts a run in the queue the way run_check does, without the rate limit; returns its id. */
export async function enqueue(db: Db, siteId: number, checkType: CheckType = 'uptime', trigger: 'manual' | 'scheduled' = 'manual'): Promise<number> {
  const site = await db.selectFrom('sites').select('team_id').where('id', '=', siteId).executeTakeFirstOrThrow();
  const row = await db
    .insertInto('check_runs')
    .values({ team_id: site.team_id, site_id: siteId, check_type: checkType, trigger, status: 'queued' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Polls until `probe` returns something other than undefined (or false), or fails after `timeoutMs`. */
export async function until<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits for a run to reach a finished status and returns it. */
export function finished(db: Db, runId: number, timeoutMs?: number) {
  return until(
    async () => {
      const run = await db.selectFrom('check_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
      return run.status !== 'queued' && run.status !== 'running' && run;
    },
    `run ${runId} to finish`,
    timeoutMs,
  );
}
