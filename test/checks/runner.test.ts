import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { claimRuns, recoverLapsedRuns } from '../../src/checks/queue.js';
import { recordOutcome } from '../../src/checks/record.js';
import { scheduleDueChecks } from '../../src/checks/scheduler.js';
import { escalateDueIssues } from '../../src/checks/escalation.js';
import { loadCheckTarget } from '../../src/checks/target.js';
import { outcome } from '../../src/checks/outcome.js';
import { targetGuard } from '../../src/checks/ssrf.js';
import type { Runner } from '../../src/checks/runner.js';
import { getIssue } from '../../src/domain/issues.js';
import { seed } from '../../src/fixtures/seed.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';
import { enqueue, finished, monitoredTeam, seedUnscheduled, testRunner, until } from '../support/checks.js';
import { testCertificates, type TestCertificates } from '../support/certificates.js';
import { startTarget, type Target } from '../support/targets.js';

let database: TestDatabase;
let target: Target;
let certs: TestCertificates;
const runners: Runner[] = [];
const run = (options: Parameters<typeof testRunner>[1] = {}) => {
  const r = testRunner(database.db, options);
  runners.push(r);
  return r;
};

beforeAll(async () => {
  [database, target, certs] = await Promise.all([freshDatabase(), startTarget(), testCertificates()]);
});
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});
afterAll(async () => {
  await target.close();
  await database.close();
});

const db = () => database.db;
const site = (id: number) => db().selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const issuesOf = (siteId: number) => db().selectFrom('issues').selectAll().where('site_id', '=', siteId).orderBy('id').execute();

describe('running queued checks', () => {
  test('a queued run is checked against the site and the site status follows the result', async () => {
    const ids = await seedUnscheduled(db(), monitoredTeam('ok', [{ key: 'ok', url: `${target.url}/ok` }]));
    const siteId = ids.sites['ok/ok']!;
    run();
    const done = await finished(db(), await enqueue(db(), siteId));
    expect(done).toMatchObject({ status: 'succeeded', http_status: 200, attempts: 1 });
    expect(done.summary).toMatch(/^HTTP 200 OK in \d+ ms\.$/);
    expect(target.hits('/ok')).toBe(1);
    const after = await site(siteId);
    expect(after.status).toBe('up');
    expect(after.last_checked_at).not.toBeNull();
  });

  test('issues open after failure_threshold failures and resolve after recovery_threshold successes', async () => {
    const ids = await seedUnscheduled(
      db(),
      monitoredTeam('flaky', [{ key: 'flaky', url: `${target.url}/flaky` }], {
        failure_threshold: 2,
        recovery_threshold: 3,
        escalation: [
          { after_minutes: 0, channel: 'email', target: 'oncall@checks.test' },
          { after_minutes: 60, channel: 'sms', target: '+14155550100' },
        ],
      }),
    );
    const siteId = ids.sites['flaky/flaky']!;
    run();
    const check = async () => (await finished(db(), await enqueue(db(), siteId))).status;

    target.flaky = 503;
    expect(await check()).toBe('failed');
    expect(await issuesOf(siteId)).toEqual([]);
    expect((await site(siteId)).status).toBe('down');

    expect(await check()).toBe('failed');
    const [opened, ...more] = await issuesOf(siteId);
    expect(more).toEqual([]);
    expect(opened).toMatchObject({ status: 'open', severity: 'critical', title: 'Site flaky is down', check_type: 'uptime', escalation_level: 1 });
    expect(opened!.summary).toBe('HTTP 503 Service Unavailable (expected 2xx).');

    expect(await check()).toBe('failed'); // still one issue
    expect(await issuesOf(siteId)).toHaveLength(1);

    target.flaky = 200;
    expect(await check()).toBe('succeeded');
    expect(await check()).toBe('succeeded');
    expect((await issuesOf(siteId))[0]!.status).toBe('open');
    expect((await site(siteId)).status).toBe('up');
    expect(await check()).toBe('succeeded');
    const [resolved] = await issuesOf(siteId);
    expect(resolved).toMatchObject({ status: 'resolved', resolved_by_run_id: expect.any(Number) });

    const { timeline } = await getIssue(db(), resolved!.team_id, resolved!.id);
    expect(timeline.map((e) => e.kind)).toEqual(['opened', 'escalated', 'resolved']);
    expect(timeline[0]!.message).toBe('Opened after 2 unsuccessful uptime checks in a row: HTTP 503 Service Unavailable (expected 2xx).');
    expect(timeline[1]!.data).toEqual({ step: 1, after_minutes: 0, channel: 'email', target: 'oncall@checks.test' });
    expect(timeline[2]!.message).toMatch(/^Resolved after 3 successful uptime checks in a row/);

    target.flaky = 503; // one failure is not enough for a new issue
    expect(await check()).toBe('failed');
    expect(await issuesOf(siteId)).toHaveLength(1);
  });

  test('an expiring certificate opens a warning issue and makes the site degraded', async () => {
    const tls = await startTarget(certs.expiring);
    try {
      const ids = await seedUnscheduled(db(), monitoredTeam('cert', [{ key: 'cert', url: `${tls.url}/ok` }], { failure_threshold: 1 }));
      const siteId = ids.sites['cert/cert']!;
      run({ ca: [certs.ca] });
      expect((await finished(db(), await enqueue(db(), siteId, 'uptime'))).status).toBe('succeeded');
      const cert = await finished(db(), await enqueue(db(), siteId, 'certificate'));
      expect(cert.status).toBe('warning');
      expect(cert.result).toMatchObject({ authorized: true, days_remaining: expect.any(Number) });
      expect((await site(siteId)).status).toBe('degraded');
      const [issue] = await issuesOf(siteId);
      expect(issue).toMatchObject({ check_type: 'certificate', severity: 'warning', title: "Site cert's certificate expires soon", status: 'open' });
    } finally {
      await tls.close();
    }
  });

  test('a refused target is errored: no issue, no change of site status', async () => {
    const ids = await seedUnscheduled(db(), monitoredTeam('private', [{ key: 'private', url: `${target.url}/ok` }], { failure_threshold: 1 }));
    const siteId = ids.sites['private/private']!;
    const before = target.hits('/ok');
    runners.push(testRunner(db(), { guard: targetGuard({ allowPrivate: false }) }));
    const done = await finished(db(), await enqueue(db(), siteId));
    expect(done.status).toBe('errored');
    expect(done.summary).toMatch(/not a public address/);
    expect(target.hits('/ok')).toBe(before);
    expect(await issuesOf(siteId)).toEqual([]);
    expect((await site(siteId)).status).toBe('unknown');
  });
});

describe('the queue', () => {
  test('a claim takes at most `limit` runs, manual ones before older scheduled ones', async () => {
    const ids = await seedUnscheduled(db(), monitoredTeam('claims', [{ key: 'claims', url: `${target.url}/ok` }]));
    const siteId = ids.sites['claims/claims']!;
    const scheduled = [await enqueue(db(), siteId, 'uptime', 'scheduled'), await enqueue(db(), siteId, 'uptime', 'scheduled')];
    const manual = [await enqueue(db(), siteId), await enqueue(db(), siteId), await enqueue(db(), siteId)];
    const first = await claimRuns(db(), { runnerId: 'a', leaseMs: 60_000, limit: 2 });
    expect(first.map((r) => r.id)).toEqual(manual.slice(0, 2));
    const second = await claimRuns(db(), { runnerId: 'b', leaseMs: 60_000, limit: 2 });
    expect(second.map((r) => r.id)).toEqual([manual[2], scheduled[0]]);
    // Leave nothing behind for the other tests' runners.
    await db().deleteFrom('check_runs').where('site_id', '=', siteId).execute();
  });
});

describe('leases', () => {
  test("a run claimed by a runner that died is recovered after its lease and checked once", async () => {
    const ids = await seedUnscheduled(db(), monitoredTeam('lease', [{ key: 'lease', url: `${target.url}/ok` }]));
    const runId = await enqueue(db(), ids.sites['lease/lease']!);
    // What a runner does before it dies mid-check: claim the run, then never finish it.
    const [dead] = await claimRuns(db(), { runnerId: 'dead-runner', leaseMs: 100, limit: 1 });
    expect(dead).toMatchObject({ id: runId, attempts: 1 });
    const before = target.hits('/ok');

    const alive = run();
    const done = await finished(db(), runId);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 2, locked_by: alive.id });
    expect(target.hits('/ok')).toBe(before + 1);

    // The dead runner coming back late cannot overwrite the result: finishing is fenced on its attempt.
    const late = await recordOutcome(db(), 'dead-runner', dead!, outcome('failed', 'late'), (await loadCheckTarget(db(), dead!.site_id))!);
    expect(late).toBe(false);
    expect((await finished(db(), runId)).status).toBe('succeeded');
  });

  test('a run whose runner died on every attempt is marked errored, never left running', async () => {
    const ids = await seedUnscheduled(db(), monitoredTeam('doomed', [{ key: 'doomed', url: `${target.url}/ok` }]));
    const runId = await enqueue(db(), ids.sites['doomed/doomed']!);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [claimed] = await claimRuns(db(), { runnerId: `dead-${attempt}`, leaseMs: 1, limit: 1 });
      expect(claimed).toMatchObject({ id: runId, attempts: attempt });
      const recovered = await until(async () => {
        const r = await recoverLapsedRuns(db(), 3);
        return r.requeued + r.errored > 0 && r;
      }, 'the lease to lapse');
      expect(recovered).toEqual(attempt < 3 ? { requeued: 1, errored: 0 } : { requeued: 0, errored: 1 });
    }
    const done = await finished(db(), runId);
    expect(done).toMatchObject({ status: 'errored', attempts: 3, summary: 'Not checked: the check runner stopped before finishing this run.' });
    expect(done.error).toBe('The check runner stopped before finishing this run, 3 times; it will not be retried.');
  });

  test('stopping a runner puts a run it could not finish back in the queue', async () => {
    const ids = await seedUnscheduled(db(), monitoredTeam('hang', [{ key: 'hang', url: `${target.url}/hang` }], { timeout_ms: 30_000 }));
    const runId = await enqueue(db(), ids.sites['hang/hang']!);
    const runner = testRunner(db(), { graceMs: 50 });
    await until(async () => target.hits('/hang') > 0, 'the check to reach the target');
    await runner.stop();
    const row = await db().selectFrom('check_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'queued', attempts: 0, locked_by: null, locked_until: null, started_at: null });
  });
});

describe('scheduling', () => {
  test('due, unpaused sites of teams with plan access get their checks queued once per interval', async () => {
    const fixture = monitoredTeam(
      'sched',
      [
        { key: 'http', url: `${target.url}/ok` },
        { key: 'https', url: 'https://127.0.0.1:1/' },
        { key: 'paused', url: `${target.url}/ok`, paused: true },
      ],
      { interval_s: 120 },
    );
    fixture.teams.push({
      key: 'lapsed',
      name: 'Lapsed',
      plan: 'pro',
      subscription: { status: 'past_due' },
      members: [{ email: 'sched@checks.test', role: 'owner' }],
      sites: [{ key: 'unpaid', name: 'Unpaid', url: `${target.url}/ok` }],
    });
    const ids = await seed(db(), fixture); // due at once, unlike the other tests' sites
    const mine = Object.values(ids.sites);
    await db().updateTable('sites').set({ interval_s: 30 }).where('id', '=', ids.sites['sched/https']!).execute();

    expect(await scheduleDueChecks(db(), new Date())).toBe(3);
    const queued = await db().selectFrom('check_runs').select(['site_id', 'check_type', 'trigger']).where('site_id', 'in', mine).orderBy('site_id').orderBy('check_type', 'desc').execute();
    expect(queued).toEqual([
      { site_id: ids.sites['sched/http'], check_type: 'uptime', trigger: 'scheduled' },
      { site_id: ids.sites['sched/https'], check_type: 'uptime', trigger: 'scheduled' },
      { site_id: ids.sites['sched/https'], check_type: 'certificate', trigger: 'scheduled' },
    ]);
    // Next checks: the team's 120 s; the https site's own 30 s is below the Pro minimum of 60 s.
    const next = await db()
      .selectFrom('sites')
      .select(['id', sql<number>`round(extract(epoch from next_check_at - now()))::int`.as('in_s')])
      .where('id', 'in', [ids.sites['sched/http']!, ids.sites['sched/https']!])
      .orderBy('id')
      .execute();
    expect(next.map((n) => n.in_s)).toEqual([120, 60]);

    expect(await scheduleDueChecks(db(), new Date())).toBe(0); // nothing is due any more
    // Due again while the last scheduled runs still wait: the backlog does not grow.
    await db().updateTable('sites').set({ next_check_at: sql`now()` }).where('id', 'in', mine).execute();
    expect(await scheduleDueChecks(db(), new Date())).toBe(0);
  });
});

describe('escalation', () => {
  test('each step is recorded once as it falls due, while the issue is open', async () => {
    const ninetyMinutesAgo = new Date(Date.now() - 90 * 60_000).toISOString();
    const issues = [
      { check_type: 'uptime' as const, severity: 'critical' as const, status: 'open' as const, title: 'Down', opened_at: ninetyMinutesAgo },
      { check_type: 'certificate' as const, severity: 'warning' as const, status: 'acknowledged' as const, title: 'Expiring', opened_at: ninetyMinutesAgo },
    ];
    const fixture = monitoredTeam('esc', [{ key: 'esc', url: `${target.url}/ok`, issues }], {
      escalation: [
        { after_minutes: 0, channel: 'email', target: 'oncall@checks.test' },
        { after_minutes: 30, channel: 'slack', target: '#incidents' },
        { after_minutes: 120, channel: 'sms', target: '+14155550100' },
      ],
    });
    const ids = await seedUnscheduled(db(), fixture);
    const [open, acknowledged] = [ids.issues['esc/esc/0']!, ids.issues['esc/esc/1']!];
    const teamId = ids.teams.esc!;

    expect(await escalateDueIssues(db(), new Date())).toBe(2);
    expect(await escalateDueIssues(db(), new Date())).toBe(0);
    const issue = await getIssue(db(), teamId, open);
    expect(issue.escalation_level).toBe(2);
    expect(issue.timeline.filter((e) => e.kind === 'escalated').map((e) => e.data)).toEqual([
      { step: 1, after_minutes: 0, channel: 'email', target: 'oncall@checks.test' },
      { step: 2, after_minutes: 30, channel: 'slack', target: '#incidents' },
    ]);
    expect((await getIssue(db(), teamId, acknowledged)).escalation_level).toBe(0);

    // Half an hour later the third step is due.
    expect(await escalateDueIssues(db(), new Date(Date.now() + 31 * 60_000))).toBe(1);
    expect((await getIssue(db(), teamId, open)).escalation_level).toBe(3);
  });
});

describe('housekeeping', () => {
  test('a runner sweeps expired sign-in sessions on its first tick', async () => {
    const expired = await db()
      .insertInto('browser_sessions')
      .values({ secret_hash: Buffer.alloc(32, 7), expires_at: new Date(Date.now() - 60_000) })
      .returning('id')
      .executeTakeFirstOrThrow();
    run();
    await until(
      async () => !(await db().selectFrom('browser_sessions').select('id').where('id', '=', expired.id).executeTakeFirst()),
      'the expired session to be swept',
    );
  });
});
