import { z } from 'zod';
import { teamTool } from '../catalogue.js';
import { SiteSchema, nextCursor, pageArgs, siteStatus, teamIdArg } from '../schemas.js';
import { listSites as list } from '../../domain/sites.js';

export const listSites = teamTool({
  name: 'list_sites',
  title: 'List monitored sites',
  description:
    "Lists a team's monitored sites, oldest first, with each one's current status (up, down, degraded, paused or unknown). Filter by status to find what is broken, or search by name or URL. Pages with limit and cursor.",
  scope: 'sites:read',
  permission: 'site:view',
  target: (a) => ({ team: a.team_id }),
  input: {
    team_id: teamIdArg,
    status: siteStatus.optional().describe('Only sites in this status.'),
    search: z.string().min(1).max(100).optional().describe('Only sites whose name or URL contains this text (case-insensitive).'),
    ...pageArgs,
  },
  output: { sites: z.array(SiteSchema), next_cursor: nextCursor },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  example: { team_id: 1, status: 'down', limit: 25 },
  run: ({ db, team }, args) => list(db, team.team_id, args),
  text: ({ sites, next_cursor }) =>
    (sites.map((s) => `#${s.id} ${s.name} (${s.url}): ${s.status}`).join('\n') || 'No sites match.') +
    (next_cursor ? '\n(more: pass next_cursor)' : ''),
});
