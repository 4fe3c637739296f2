import type { z } from 'zod';
import { teamTool } from '../catalogue.js';
import { CheckRunSchema, id } from '../schemas.js';
import { getCheckRun as load } from '../../domain/checkRuns.js';

/** One line about a run, as get_check_run and run_check show it. */
export const describeRun = (r: z.output<typeof CheckRunSchema>) =>
  `Run #${r.id} (${r.check_type}, ${r.trigger}) on site ${r.site_id}: ${r.status}` +
  `${r.http_status ? `, HTTP ${r.http_status}` : ''}${r.response_time_ms != null ? ` in ${r.response_time_ms} ms` : ''}${r.summary ? ` — ${r.summary}` : ''}.`;

export const getCheckRun = teamTool({
  name: 'get_check_run',
  title: 'Get a check run',
  description:
    "Shows one check run in full: status, timing, HTTP status, response time, summary, the detailed result (for example a certificate's expiry) and any error.",
  scope: 'checks:read',
  permission: 'check:view',
  target: (a) => ({ check_run: a.check_run_id }),
  input: { check_run_id: id('check run') },
  output: { check_run: CheckRunSchema },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  example: { check_run_id: 1 },
  run: async ({ db, team }, { check_run_id }) => ({ check_run: await load(db, team.team_id, check_run_id) }),
  text: ({ check_run }) => describeRun(check_run),
});
