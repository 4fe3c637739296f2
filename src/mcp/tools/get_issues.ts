import { z } from 'zod';
import { teamTool } from '../catalogue.js';
import { IssueSchema, checkType, id, issueStatus, nextCursor, pageArgs, severity, teamIdArg, timeRangeArgs } from '../schemas.js';
import { listIssues } from '../../domain/issues.js';

export const getIssues = teamTool({
  name: 'get_issues',
  title: 'List issues',
  description:
    "Lists monitoring issues (incidents opened by failing checks), newest first, for a team (team_id) or one site (site_id). Filter by status (open, acknowledged, resolved), severity (warning, critical), check_type and a since/until range on when the issue opened. Use get_issue for one issue's timeline.",
  scope: 'issues:read',
  permission: 'issue:view',
  target: (a) => (a.site_id !== undefined ? { site: a.site_id, within: a.team_id } : { team: a.team_id }),
  input: {
    team_id: teamIdArg,
    site_id: id('site').optional().describe("Only this site's issues."),
    status: issueStatus.optional(),
    severity: severity.optional(),
    check_type: checkType.optional(),
    ...timeRangeArgs('issues opened'),
    ...pageArgs,
  },
  output: { issues: z.array(IssueSchema), next_cursor: nextCursor },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  example: { team_id: 1, status: 'open' },
  run: ({ db, team }, args) => listIssues(db, team.team_id, args),
  text: ({ issues, next_cursor }) =>
    (issues.map((i) => `#${i.id} [${i.severity}, ${i.status}] site ${i.site_id}: ${i.title} (opened ${i.opened_at})`).join('\n') ||
      'No issues match.') + (next_cursor ? '\n(more: pass next_cursor)' : ''),
});
