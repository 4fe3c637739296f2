import type { Db } from '../db/index.js';
import type { CheckType } from '../db/schema.js';
import type { JudgedStatus } from './outcome.js';

/**
 * A site's latest judged results of one check type, newest first. Errored runs say nothing about the site
 * and are skipped; ids follow queue order, which is the order results are meant to be read in.
 */
export async function latestResults(db: Db, siteId: number, checkType: CheckType, n: number): Promise<JudgedStatus[]> {
  const rows = await db
    .selectFrom('check_runs')
    .select('status')
    .where('site_id', '=', siteId)
    .where('check_type', '=', checkType)
    .where('status', 'in', ['succeeded', 'warning', 'failed'])
    .orderBy('id', 'desc')
    .limit(n)
    .execute();
  return rows.map((r) => r.status as JudgedStatus);
}
