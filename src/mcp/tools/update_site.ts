import { teamTool } from '../catalogue.js';
import { SiteSchema, id } from '../schemas.js';
import { updateSite as update } from '../../domain/sites.js';
import { overrideArgs, siteFields } from './create_site.js';

export const updateSite = teamTool({
  name: 'update_site',
  title: 'Update a site',
  description:
    "Changes a site's name, url, paused flag or setting overrides. Only the fields you pass change; pass null for a setting to go back to the team default. Pausing stops scheduled checks.",
  scope: 'sites:write',
  permission: 'site:update',
  target: (a) => ({ site: a.site_id }),
  input: {
    site_id: id('site'),
    name: siteFields.name.optional(),
    url: siteFields.url.optional(),
    paused: siteFields.paused.optional(),
    ...overrideArgs,
  },
  output: { site: SiteSchema },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  example: { site_id: 1, paused: true },
  run: async ({ db, team }, { site_id, ...changes }) => ({ site: await update(db, team, site_id, changes) }),
  text: ({ site }) => `Site #${site.id} ${site.name} (${site.url}) is now ${site.status}.`,
});
