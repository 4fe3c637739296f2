import { teamTool } from '../catalogue.js';
import { TeamSchema, escalation, settingArgs, teamIdArg } from '../schemas.js';
import { getTeam, updateMonitoringDefaults } from '../../domain/teams.js';

export const updateTeamMonitoringDefaults = teamTool({
  name: 'update_team_monitoring_defaults',
  title: 'Update team monitoring defaults',
  description:
    "Changes the monitoring defaults every site of the team inherits unless it overrides them: cadence (interval_s, never below the plan's min_interval_s), thresholds (timeout_ms, failure_threshold, recovery_threshold, slow_response_ms, cert_expiry_warn_days) and the escalation steps. Only the fields you pass change; escalation is replaced whole.",
  scope: 'teams:write',
  permission: 'team:update-defaults',
  target: (a) => ({ team: a.team_id }),
  input: {
    team_id: teamIdArg,
    ...Object.fromEntries(Object.entries(settingArgs).map(([k, v]) => [k, v.optional()])) as {
      [K in keyof typeof settingArgs]: ReturnType<(typeof settingArgs)[K]['optional']>;
    },
    escalation: escalation.optional(),
  },
  output: { team: TeamSchema },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  example: { team_id: 1, interval_s: 300, escalation: [{ after_minutes: 0, channel: 'email', target: 'oncall@example.com' }] },
  run: async ({ db, team, now }, { team_id: _, ...patch }) => {
    await updateMonitoringDefaults(db, team, patch);
    return { team: await getTeam(db, team, now) };
  },
  text: ({ team: t }) => {
    const d = t.monitoring_defaults;
    return `${t.name} now checks every ${d.interval_s}s, timeout ${d.timeout_ms}ms, opens an issue after ${d.failure_threshold} failures, with ${d.escalation.length} escalation step(s).`;
  },
});
