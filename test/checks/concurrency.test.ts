import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type Database } from '../../src/db/index.js';
import { scheduleDueChecks } from '../../src/checks/scheduler.js';
import { seed } from '../../src/fixtures/seed.js';
import { freshDatabase, onPostgres, type TestDatabase } from '../support/db.js';
import { enqueue, finished, monitoredTeam, seedUnscheduled, testRunner } from '../support/checks.js';
import { startTarget, type Target } from '../support/targets.js';

/**
 * Several runners on one database, each with its own connection pool as separate processes would have.
 * PGlite is a single connection, so there is no concurrency to test on it: these run with DATABASE_URL.
 */
describe.skipIf(!onPostgres)('several runners on one PostgreSQL database (skipped on PGlite: one connection, no concurrency)', () => {
  let database: TestDatabase;
  let pools: Database[];
  let target: Target;

  beforeAll(async () => {
    [database, target] = await Promise.all([freshDatabase(), startTarget()]);
    pools = await Promise.all([1, 2].map(() => openDatabase({ databaseUrl: database.url!, poolSize: 5 })));
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
    await target.close();
    await database.close();
  });

  test('two runners never run one job twice', async () => {
    const ids = await seedUnscheduled(database.db, monitoredTeam('pair', [{ key: 'slow', url: `${target.url}/slow/30` }]));
    const runIds: number[] = [];
    for (let i = 0; i < 40; i++) runIds.push(await enqueue(database.db, ids.sites['pair/slow']!));
    const runners = pools.map((p) => testRunner(p.db, { concurrency: 4 }));
    try {
      const done = await Promise.all(runIds.map((id) => finished(database.db, id, 30_000)));
      expect(target.hits('/slow/30')).toBe(40);
      expect(done.every((r) => r.status === 'succeeded' && r.attempts === 1)).toBe(true);
      // Both took part, so the count above means something.
      expect(new Set(done.map((r) => r.locked_by))).toEqual(new Set(runners.map((r) => r.id)));
    } finally {
      await Promise.all(runners.map((r) => r.stop()));
    }
  });

  test('two schedulers queue each due site once', async () => {
    const sites = Array.from({ length: 25 }, (_, i) => ({ key: `s${i}`, url: `${target.url}/ok` }));
    const ids = await seed(database.db, monitoredTeam('sched', sites)); // all due now
    const queued = [];
    for (let round = 0; round < 3; round++) {
      queued.push(...(await Promise.all(pools.map((p) => scheduleDueChecks(p.db, new Date(), 10)))));
    }
    expect(queued.reduce((a, b) => a + b, 0)).toBe(25);
    const runs = await database.db.selectFrom('check_runs').select('site_id').where('site_id', 'in', Object.values(ids.sites)).execute();
    expect(runs).toHaveLength(25);
    expect(new Set(runs.map((r) => r.site_id)).size).toBe(25);
  });

  test('failures judged at once by two runners open one issue', async () => {
    const ids = await seedUnscheduled(database.db, monitoredTeam('race', [{ key: 'down', url: `${target.url}/status/500` }], { failure_threshold: 1 }));
    const siteId = ids.sites['race/down']!;
    const runIds: number[] = [];
    for (let i = 0; i < 12; i++) runIds.push(await enqueue(database.db, siteId));
    const runners = pools.map((p) => testRunner(p.db, { concurrency: 6 }));
    try {
      await Promise.all(runIds.map((id) => finished(database.db, id, 30_000)));
    } finally {
      await Promise.all(runners.map((r) => r.stop()));
    }
    const issues = await database.db.selectFrom('issues').select(['status', 'severity']).where('site_id', '=', siteId).execute();
    expect(issues).toEqual([{ status: 'open', severity: 'critical' }]);
  });
});
