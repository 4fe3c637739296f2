import { notFound } from '../../domain/errors.js';
import type { Membership } from '../../domain/teams.js';

/**
 * For tools that take a site_id and an optional team_id: the gate resolved the team from the site, so a
 * team_id naming another team means "that site is not in that team" — the same 404 as a missing site.
 */
export function siteInTeam(team: Membership, args: { team_id?: number | undefined; site_id?: number | undefined }): number {
  if (args.site_id !== undefined && args.team_id !== undefined && args.team_id !== team.team_id) throw notFound('Site', args.site_id);
  return team.team_id;
}
