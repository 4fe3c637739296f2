import { teamTool } from '../catalogue.js';
import { CheckRunSchema, id } from '../schemas.js';
import { deleteCheckRun as remove } from '../../domain/checkRuns.js';

export const deleteCheckRun = teamTool({
  name: 'delete_check_run',
  title: 'Delete a manual check run',
  description:
    "Deletes one manual check run (for example a test run you no longer want in the history). Scheduled runs are the site's record and cannot be deleted (409), nor can a run that is still running.",
  scope: 'checks:delete',
  permission: 'check:delete',
  target: (a) => ({ check_run: a.check_run_id }),
  input: { check_run_id: id('check run') },
  output: { check_run: CheckRunSchema },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  example: { check_run_id: 1 },
  run: async ({ db, team }, { check_run_id }) => ({ check_run: await remove(db, team.team_id, check_run_id) }),
  text: ({ check_run: r }) => `Deleted manual ${r.check_type} run #${r.id} of site ${r.site_id}.`,
});
