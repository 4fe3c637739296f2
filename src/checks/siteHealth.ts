import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import type { SiteHealth } from '../db/schema.js';
import { latestResults } from './history.js';
import type { JudgedStatus } from './outcome.js';

/** Down when the latest uptime check failed; degraded when any latest check is not a success; else up. */
function healthOf(uptime: JudgedStatus | undefined, certificate: JudgedStatus | undefined): SiteHealth {
  if (uptime === 'failed') return 'down';
  const known = [uptime, certificate].filter((s) => s !== undefined);
  if (known.length === 0) return 'unknown';
  return known.every((s) => s === 'succeeded') ? 'up' : 'degraded';
}

/** Sets the site's status from its latest results (a certificate counts only while the site is https). */
export async function refreshSiteHealth(db: Db, site: { id: number; url: string }): Promise<SiteHealth> {
  const [uptime] = await latestResults(db, site.id, 'uptime', 1);
  const [certificate] = site.url.startsWith('https:') ? await latestResults(db, site.id, 'certificate', 1) : [];
  const status = healthOf(uptime, certificate);
  await db.updateTable('sites').set({ status, last_checked_at: sql`now()` }).where('id', '=', site.id).execute();
  return status;
}
