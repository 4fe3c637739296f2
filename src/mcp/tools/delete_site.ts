import { teamTool } from '../catalogue.js';
import { SiteSchema, id } from '../schemas.js';
import { deleteSite as remove } from '../../domain/sites.js';

export const deleteSite = teamTool({
  name: 'delete_site',
  title: 'Delete a site',
  description:
    'Stops monitoring a site and deletes it together with all its check runs and issues. This cannot be undone: confirm with the user first, and prefer update_site with paused: true to stop checks temporarily.',
  scope: 'sites:delete',
  permission: 'site:delete',
  target: (a) => ({ site: a.site_id }),
  input: { site_id: id('site') },
  output: { site: SiteSchema },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  example: { site_id: 1 },
  run: async ({ db, team }, { site_id }) => ({ site: await remove(db, team.team_id, site_id) }),
  text: ({ site }) => `Deleted site #${site.id} ${site.name} (${site.url}) with its runs and issues.`,
});
