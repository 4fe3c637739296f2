import { z } from 'zod';
import { teamTool } from '../catalogue.js';
import { CheckRunSchema, checkType, id, nextCursor, pageArgs, runStatus, teamIdArg, timeRangeArgs } from '../schemas.js';
import { listCheckRuns as list } from '../../domain/checkRuns.js';

export const listCheckRuns = teamTool({
  name: 'list_check_runs',
  title: 'List check runs',
  description:
    "Lists check runs, newest first, for one site (site_id) or a whole team (team_id). Filter by check_type, status (e.g. failed), trigger (scheduled or manual) and a since/until time range on when the run was queued. Use get_check_run for a run's full result.",
  scope: 'checks:read',
  permission: 'check:view',
  target: (a) => (a.site_id !== undefined ? { site: a.site_id, within: a.team_id } : { team: a.team_id }),
  input: {
    team_id: teamIdArg,
    site_id: id('site').optional().describe("Only this site's runs."),
    check_type: checkType.optional(),
    status: runStatus.optional(),
    trigger: z.enum(['scheduled', 'manual']).optional(),
    ...timeRangeArgs('runs queued'),
    ...pageArgs,
  },
  output: { check_runs: z.array(CheckRunSchema), next_cursor: nextCursor },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  example: { site_id: 1, status: 'failed', limit: 10 },
  run: ({ db, team }, args) => list(db, team.team_id, args),
  text: ({ check_runs, next_cursor }) =>
    (check_runs.map((r) => `#${r.id} site ${r.site_id} ${r.check_type} ${r.trigger} ${r.status}${r.summary ? `: ${r.summary}` : ''}`).join('\n') ||
      'No check runs match.') + (next_cursor ? '\n(more: pass next_cursor)' : ''),
});
