import { teamTool } from '../catalogue.js';
import { SiteDetailSchema, id } from '../schemas.js';
import { getSite as load } from '../../domain/sites.js';

export const getSite = teamTool({
  name: 'get_site',
  title: 'Get a site',
  description:
    'Shows one monitored site: its current status, the latest result of each check type (uptime, certificate), its five most recent runs, its unresolved issues, and the settings in effect (its own overrides, else the team defaults).',
  scope: 'sites:read',
  permission: 'site:view',
  target: (a) => ({ site: a.site_id }),
  input: { site_id: id('site') },
  output: { site: SiteDetailSchema },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  example: { site_id: 1 },
  run: async ({ db, team }, { site_id }) => ({ site: await load(db, team, site_id) }),
  text: ({ site: s }) => {
    const checks = Object.entries(s.checks).map(([type, c]) => `${type} ${c.status}${c.summary ? ` (${c.summary})` : ''}`);
    return `${s.name} (${s.url}) is ${s.status}; ${checks.join(', ') || 'not checked yet'}; ${s.open_issues.length} unresolved issue(s); checked every ${s.effective_settings.interval_s}s.`;
  },
});
