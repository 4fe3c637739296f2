import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import type { SiteHealth, SiteOverrides, SiteRow } from '../db/schema.js';
import { AppError, notFound } from './errors.js';
import { SETTING_KEYS, assertCadenceAllowed, effectiveSettings } from './monitoring.js';
import { decodeCursor, toPage, DEFAULT_LIMIT, type Page } from './pagination.js';
import { monitoringDefaults, type Membership } from './teams.js';
import { iso } from './time.js';
import { RUN_COLUMNS, runView } from './checkRuns.js';
import { ISSUE_COLUMNS, issueView } from './issues.js';

/** What a person sees: a paused site is "paused" whatever its last health was. */
export type SiteStatus = SiteHealth | 'paused';

/** The columns a site's view needs; queries name them instead of `*` (scheduling columns stay the runner's). */
export const SITE_COLUMNS = [
  'id', 'team_id', 'name', 'url', 'paused', 'status', 'last_checked_at', 'created_at', 'updated_at', ...SETTING_KEYS,
] as const satisfies readonly (keyof SiteRow)[];
type SiteColumns = Pick<SiteRow, (typeof SITE_COLUMNS)[number]>;

export function siteView(row: SiteColumns) {
  const overrides = {} as SiteOverrides;
  for (const key of SETTING_KEYS) overrides[key] = row[key];
  return {
    id: row.id,
    team_id: row.team_id,
    name: row.name,
    url: row.url,
    paused: row.paused,
    status: (row.paused ? 'paused' : row.status) as SiteStatus,
    last_checked_at: iso(row.last_checked_at),
    overrides,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

export interface SiteFilter extends Page {
  status?: SiteStatus | undefined;
  search?: string | undefined;
}

/** `%` and `_` in a search are literal characters, not wildcards. */
const likePattern = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listSites(db: Db, teamId: number, f: SiteFilter) {
  const limit = f.limit ?? DEFAULT_LIMIT;
  const after = decodeCursor(f.cursor);
  let q = db.selectFrom('sites').select(SITE_COLUMNS).where('team_id', '=', teamId);
  if (after !== undefined) q = q.where('id', '>', after);
  if (f.status === 'paused') q = q.where('paused', '=', true);
  else if (f.status) q = q.where('paused', '=', false).where('status', '=', f.status);
  if (f.search) {
    const pattern = likePattern(f.search);
    q = q.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('url', 'ilike', pattern)]));
  }
  const rows = await q.orderBy('id').limit(limit + 1).execute();
  const page = toPage(rows, limit);
  return { sites: page.items.map(siteView), next_cursor: page.next_cursor };
}

async function findSite(db: Db, teamId: number, siteId: number): Promise<SiteColumns> {
  const row = await db.selectFrom('sites').select(SITE_COLUMNS).where('id', '=', siteId).where('team_id', '=', teamId).executeTakeFirst();
  if (!row) throw notFound('Site', siteId);
  return row;
}

/** One site with its effective settings, the latest result per check type, recent runs and unresolved issues. */
export async function getSite(db: Db, team: Membership, siteId: number) {
  const [row, defaults, recent, latest, open] = await Promise.all([
    findSite(db, team.team_id, siteId),
    monitoringDefaults(db, team.team_id),
    db.selectFrom('check_runs').select(RUN_COLUMNS).where('site_id', '=', siteId).orderBy('id', 'desc').limit(5).execute(),
    db
      .selectFrom('check_runs')
      .select(RUN_COLUMNS)
      .distinctOn('check_type')
      .where('site_id', '=', siteId)
      .where('finished_at', 'is not', null)
      .orderBy('check_type')
      .orderBy('id', 'desc')
      .execute(),
    db.selectFrom('issues').select(ISSUE_COLUMNS).where('site_id', '=', siteId).where('status', '<>', 'resolved').orderBy('id', 'desc').execute(),
  ]);
  const checks = Object.fromEntries(
    latest.map((r) => [r.check_type, { status: r.status, finished_at: iso(r.finished_at), summary: r.summary, check_run_id: r.id }]),
  );
  return {
    ...siteView(row),
    effective_settings: effectiveSettings(row, defaults, team.plan.min_interval_s),
    checks,
    recent_runs: recent.map(runView),
    open_issues: open.map(issueView),
  };
}

export interface SiteInput extends Partial<SiteOverrides> {
  name?: string | undefined;
  url?: string | undefined;
  paused?: boolean | undefined;
}

function settingColumns(input: SiteInput): Partial<SiteOverrides> {
  const out: Partial<SiteOverrides> = {};
  for (const key of SETTING_KEYS) if (input[key] !== undefined) out[key] = input[key];
  return out;
}

export async function createSite(db: Db, team: Membership, input: SiteInput & { name: string; url: string }) {
  assertCadenceAllowed(input.interval_s, team.plan.min_interval_s, team.plan.name);
  return db.transaction().execute(async (tx) => {
    // Lock the team so two concurrent creations cannot both take the last free slot.
    await tx.selectFrom('teams').select('id').where('id', '=', team.team_id).forUpdate().execute();
    const { n } = await tx
      .selectFrom('sites')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('team_id', '=', team.team_id)
      .executeTakeFirstOrThrow();
    if (n >= team.plan.max_sites) {
      throw new AppError(
        'plan_limit_exceeded',
        `The ${team.plan.name} plan allows ${team.plan.max_sites} sites and this team has ${n}. Delete a site or upgrade the plan.`,
        { limit: 'max_sites', max_sites: team.plan.max_sites, sites: n },
      );
    }
    const row = await tx
      .insertInto('sites')
      .values({ team_id: team.team_id, name: input.name, url: input.url, paused: input.paused ?? false, ...settingColumns(input) })
      .returning(SITE_COLUMNS)
      .executeTakeFirstOrThrow();
    return siteView(row);
  });
}

export async function updateSite(db: Db, team: Membership, siteId: number, input: SiteInput) {
  assertCadenceAllowed(input.interval_s, team.plan.min_interval_s, team.plan.name);
  const changes = {
    ...settingColumns(input),
    ...(input.name !== undefined && { name: input.name }),
    ...(input.url !== undefined && { url: input.url }),
    ...(input.paused !== undefined && { paused: input.paused }),
    // A new address, cadence or an unpaused site is checked at the next scheduling tick, not after the old interval.
    ...((input.url !== undefined || input.interval_s !== undefined || input.paused === false) && { next_check_at: sql<Date>`now()` }),
  };
  const row = await db
    .updateTable('sites')
    .set({ ...changes, updated_at: sql`now()` })
    .where('id', '=', siteId)
    .where('team_id', '=', team.team_id)
    .returning(SITE_COLUMNS)
    .executeTakeFirst();
  if (!row) throw notFound('Site', siteId);
  return siteView(row);
}

/** Deletes the site; its check runs and issues go with it (ON DELETE CASCADE). */
export async function deleteSite(db: Db, teamId: number, siteId: number) {
  const row = await db.deleteFrom('sites').where('id', '=', siteId).where('team_id', '=', teamId).returning(SITE_COLUMNS).executeTakeFirst();
  if (!row) throw notFound('Site', siteId);
  return siteView(row);
}
