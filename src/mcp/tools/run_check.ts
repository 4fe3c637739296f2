import { z } from 'zod';
import { teamTool } from '../catalogue.js';
import { CheckRunSchema, checkType, id } from '../schemas.js';
import { queueManualRun } from '../../domain/checkRuns.js';
import { waitForRun } from '../../domain/runWait.js';
import { describeRun } from './get_check_run.js';

export const runCheck = teamTool({
  name: 'run_check',
  title: 'Run a check now',
  description:
    'Queues a manual check of a site now (check_type uptime by default, or certificate for https sites). ' +
    'Without wait_seconds it returns the queued run at once; read the result later with get_check_run. ' +
    'With wait_seconds (1 to 60) it waits for the result, sending progress notifications while it waits if the request carries a progressToken, ' +
    'and returns the finished run — or the run as it stands (queued or running) if time ran out. ' +
    "Counts against the plan's manual_runs_per_hour: when used up the answer is 429 with details.retry_after in seconds. " +
    'Waiting example: {"site_id": 1, "check_type": "uptime", "wait_seconds": 30}',
  scope: 'checks:run',
  permission: 'check:run',
  target: (a) => ({ site: a.site_id }),
  input: {
    site_id: id('site'),
    check_type: checkType.default('uptime'),
    wait_seconds: z.number().int().min(0).max(60).default(0).describe('Seconds to wait for the result, 0 to 60 (default 0: do not wait).'),
  },
  output: { check_run: CheckRunSchema },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  example: { site_id: 1, check_type: 'uptime' },
  run: async ({ db, team, principal, now, signal, progress }, { site_id, check_type, wait_seconds }) => {
    const queued = await queueManualRun(db, team, { site_id, check_type, requested_by: principal.user.id, now });
    if (wait_seconds === 0) return { check_run: queued };
    const check_run = await waitForRun(db, team.team_id, queued.id, {
      waitMs: wait_seconds * 1000,
      signal,
      report: (run, waited) => progress(waited, wait_seconds, `Run #${run.id} is ${run.status} (${waited} s of ${wait_seconds} s).`),
    });
    return { check_run };
  },
  text: ({ check_run: r }) =>
    r.status === 'queued' || r.status === 'running'
      ? `${r.check_type} run #${r.id} for site ${r.site_id} is ${r.status}; read the result with get_check_run {"check_run_id": ${r.id}}.`
      : describeRun(r),
});
