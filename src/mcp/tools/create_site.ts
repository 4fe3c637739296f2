import { z } from 'zod';
import { teamTool } from '../catalogue.js';
import { SiteSchema, settingArgs, siteUrl, teamIdArg } from '../schemas.js';
import { createSite as create } from '../../domain/sites.js';

export const siteFields = {
  name: z.string().trim().min(1).max(100).describe('A name people recognise, e.g. "Marketing site".'),
  url: siteUrl,
  paused: z.boolean().describe('true stops scheduled checks until unpaused.'),
};

/** Per-site overrides: a number sets one, null goes back to the team default. */
export const overrideArgs = Object.fromEntries(
  Object.entries(settingArgs).map(([k, v]) => [k, v.nullable().optional()]),
) as { [K in keyof typeof settingArgs]: z.ZodOptional<z.ZodNullable<(typeof settingArgs)[K]>> };

export const createSite = teamTool({
  name: 'create_site',
  title: 'Add a site to monitor',
  description:
    "Starts monitoring a URL for a team. Only name and url are required; settings you leave out follow the team defaults. Refused when the plan's max_sites is reached or interval_s is below the plan's minimum.",
  scope: 'sites:write',
  permission: 'site:create',
  target: (a) => ({ team: a.team_id }),
  input: { team_id: teamIdArg, ...siteFields, paused: siteFields.paused.optional(), ...overrideArgs },
  output: { site: SiteSchema },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  example: { team_id: 1, name: 'Marketing site', url: 'https://www.example.com' },
  run: async ({ db, team }, { team_id: _, ...fields }) => ({ site: await create(db, team, fields) }),
  text: ({ site }) => `Now monitoring ${site.name} (${site.url}) as site #${site.id}.`,
});
