import { z } from 'zod';
import { accountTool } from '../catalogue.js';
import { TeamSummarySchema, scopeList } from '../schemas.js';
import { teamSummary } from '../../domain/teams.js';

export const whoami = accountTool({
  name: 'whoami',
  title: 'Who am I',
  description:
    'Tells who this connection acts for: the SitePulse user, whether their email is verified, the kind of token, its scopes and expiry, and their teams with role and whether each has an active plan. Call it first when unsure which team_id to use or why a tool is refused.',
  scope: null,
  input: {},
  output: {
    user: z.object({ id: z.number().int(), email: z.string(), name: z.string(), email_verified: z.boolean() }),
    token: z.object({ kind: z.enum(['mcp', 'oauth_access']), name: z.string(), scopes: scopeList, expires_at: z.string() }),
    teams: z.array(TeamSummarySchema),
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  example: {},
  run: async ({ principal: p }) => ({
    user: p.user,
    token: { kind: p.token.kind, name: p.token.name, scopes: [...p.token.scopes], expires_at: p.token.expires_at.toISOString() },
    teams: p.memberships.map(teamSummary),
  }),
  text: ({ user, token, teams }) =>
    `${user.name} <${user.email}>, ${token.kind} token "${token.name}" (${token.scopes.join(' ')}) until ${token.expires_at}; ` +
    `teams: ${teams.map((t) => `${t.name} #${t.id} as ${t.role}${t.plan_access ? '' : ' (no active plan)'}`).join(', ') || 'none'}.`,
});
