import { teamTool } from '../catalogue.js';
import { TeamSchema, teamIdArg } from '../schemas.js';
import { getTeam as loadTeam } from '../../domain/teams.js';

export const getTeam = teamTool({
  name: 'get_team',
  title: 'Get a team',
  description:
    "Shows one team: your role, the plan's limits and how much of them is used (sites, manual runs in the last hour), the subscription, and the monitoring defaults its sites inherit (cadence, thresholds, escalation).",
  scope: 'teams:read',
  permission: 'team:view',
  target: (a) => ({ team: a.team_id }),
  input: { team_id: teamIdArg },
  output: { team: TeamSchema },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  example: { team_id: 1 },
  run: async ({ db, team, now }) => ({ team: await loadTeam(db, team, now) }),
  text: ({ team: t }) =>
    `${t.name} (#${t.id}), ${t.plan.name} plan${t.plan_access ? '' : ' (no active plan)'}: ${t.usage.sites}/${t.plan.max_sites} sites, ` +
    `${t.usage.manual_runs_last_hour}/${t.plan.manual_runs_per_hour} manual runs this hour; checks every ${t.monitoring_defaults.interval_s}s by default.`,
});
