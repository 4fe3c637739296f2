import { teamTool } from '../catalogue.js';
import { IssueDetailSchema, id } from '../schemas.js';
import { getIssue as load } from '../../domain/issues.js';

export const getIssue = teamTool({
  name: 'get_issue',
  title: 'Get an issue',
  description:
    'Shows one monitoring issue with its timeline: when it opened and why, each escalation step taken, acknowledgement and resolution.',
  scope: 'issues:read',
  permission: 'issue:view',
  target: (a) => ({ issue: a.issue_id }),
  input: { issue_id: id('issue') },
  output: { issue: IssueDetailSchema },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  example: { issue_id: 1 },
  run: async ({ db, team }, { issue_id }) => ({ issue: await load(db, team.team_id, issue_id) }),
  text: ({ issue: i }) =>
    `Issue #${i.id} [${i.severity}, ${i.status}] on site ${i.site_id}: ${i.title}. ` +
    (i.timeline.map((e) => `${e.at} ${e.kind}: ${e.message}`).join('; ') || 'No timeline events.'),
});
