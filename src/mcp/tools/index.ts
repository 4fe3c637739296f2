import type { CatalogueTool } from '../catalogue.js';
import { whoami } from './whoami.js';
import { listTeams } from './list_teams.js';
import { getTeam } from './get_team.js';
import { updateTeamMonitoringDefaults } from './update_team_monitoring_defaults.js';
import { listSites } from './list_sites.js';
import { getSite } from './get_site.js';
import { createSite } from './create_site.js';
import { updateSite } from './update_site.js';
import { deleteSite } from './delete_site.js';
import { listCheckRuns } from './list_check_runs.js';
import { getCheckRun } from './get_check_run.js';
import { runCheck } from './run_check.js';
import { deleteCheckRun } from './delete_check_run.js';
import { getIssues } from './get_issues.js';
import { getIssue } from './get_issue.js';

/** The catalogue, in the order tools/list shows them (DESIGN §5). */
export const CATALOGUE: readonly CatalogueTool[] = [
  whoami,
  listTeams,
  getTeam,
  updateTeamMonitoringDefaults,
  listSites,
  getSite,
  createSite,
  updateSite,
  deleteSite,
  listCheckRuns,
  getCheckRun,
  runCheck,
  deleteCheckRun,
  getIssues,
  getIssue,
];

export const TOOLS_BY_NAME: ReadonlyMap<string, CatalogueTool> = new Map(CATALOGUE.map((t) => [t.name, t]));
