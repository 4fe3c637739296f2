import { z } from 'zod';
import { accountTool } from '../catalogue.js';
import { TeamSummarySchema, nextCursor, pageArgs } from '../schemas.js';
import { teamSummary } from '../../domain/teams.js';
import { decodeCursor, toPage } from '../../domain/pagination.js';

export const listTeams = accountTool({
  name: 'list_teams',
  title: 'List my teams',
  description:
    'Lists the teams you belong to, with your role, the plan and its limits (max_sites, min_interval_s, manual_runs_per_hour) and the subscription state (plan_access false means the team\'s tools answer 402). Use it to find a team_id.',
  scope: 'teams:read',
  input: { ...pageArgs },
  output: { teams: z.array(TeamSummarySchema), next_cursor: nextCursor },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  example: { limit: 25 },
  // Memberships arrive with the token check, so this costs no query.
  run: async ({ principal }, { limit, cursor }) => {
    const after = decodeCursor(cursor) ?? 0;
    const rows = principal.memberships.filter((m) => m.team_id > after).map((m) => ({ ...m, id: m.team_id }));
    const page = toPage(rows, limit);
    return { teams: page.items.map(teamSummary), next_cursor: page.next_cursor };
  },
  text: ({ teams, next_cursor }) =>
    teams.map((t) => `#${t.id} ${t.name}: ${t.role}, ${t.plan.name} plan${t.plan_access ? '' : ' (no active plan)'}`).join('\n') +
    (next_cursor ? '\n(more: pass next_cursor)' : '') || 'You belong to no team.',
});
