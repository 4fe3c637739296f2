import { teamTool } from '../catalogue.js';
import { CheckRunSchema, checkType, id } from '../schemas.js';
import { queueManualRun } from '../../domain/checkRuns.js';

export const runCheck = teamTool({
  name: 'run_check',
  title: 'Run a check now',
  description:
    "Queues a manual check of a site now (check_type uptime by default, or certificate) and returns the queued run; read it later with get_check_run. Counts against the plan's manual_runs_per_hour: when used up the answer is 429 with details.retry_after in seconds.",
  scope: 'checks:run',
  permission: 'check:run',
  target: (a) => ({ site: a.site_id }),
  input: { site_id: id('site'), check_type: checkType.default('uptime') },
  output: { check_run: CheckRunSchema },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  example: { site_id: 1, check_type: 'uptime' },
  run: async ({ db, team, principal, now }, { site_id, check_type }) => ({
    check_run: await queueManualRun(db, team, { site_id, check_type, requested_by: principal.user.id, now }),
  }),
  text: ({ check_run: r }) => `Queued ${r.check_type} run #${r.id} for site ${r.site_id}; status ${r.status}.`,
});
