import type { Db } from '../db/index.js';
import type { CheckType, IssueRow, IssueStatus, Severity } from '../db/schema.js';
import { notFound } from './errors.js';
import { decodeCursor, toPage, DEFAULT_LIMIT, type Page } from './pagination.js';
import { iso } from './time.js';

/** The columns an issue's view needs; queries name them instead of `*`. */
export const ISSUE_COLUMNS = [
  'id', 'site_id', 'team_id', 'check_type', 'severity', 'status', 'title', 'summary', 'opened_at',
  'acknowledged_at', 'resolved_at', 'opened_by_run_id', 'resolved_by_run_id', 'escalation_level',
] as const satisfies readonly (keyof IssueRow)[];

export function issueView(r: Pick<IssueRow, (typeof ISSUE_COLUMNS)[number]>) {
  return {
    id: r.id,
    site_id: r.site_id,
    team_id: r.team_id,
    check_type: r.check_type,
    severity: r.severity,
    status: r.status,
    title: r.title,
    summary: r.summary,
    opened_at: iso(r.opened_at),
    acknowledged_at: iso(r.acknowledged_at),
    resolved_at: iso(r.resolved_at),
    opened_by_run_id: r.opened_by_run_id,
    resolved_by_run_id: r.resolved_by_run_id,
    escalation_level: r.escalation_level,
  };
}

export interface IssueFilter extends Page {
  site_id?: number | undefined;
  check_type?: CheckType | undefined;
  status?: IssueStatus | undefined;
  severity?: Severity | undefined;
  since?: string | undefined;
  until?: string | undefined;
}

/** Newest first; `since`/`until` bound the time the issue opened. */
export async function listIssues(db: Db, teamId: number, f: IssueFilter) {
  const limit = f.limit ?? DEFAULT_LIMIT;
  const before = decodeCursor(f.cursor);
  let q = db.selectFrom('issues').select(ISSUE_COLUMNS).where('team_id', '=', teamId);
  if (f.site_id !== undefined) q = q.where('site_id', '=', f.site_id);
  if (before !== undefined) q = q.where('id', '<', before);
  if (f.check_type) q = q.where('check_type', '=', f.check_type);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.severity) q = q.where('severity', '=', f.severity);
  if (f.since) q = q.where('opened_at', '>=', new Date(f.since));
  if (f.until) q = q.where('opened_at', '<', new Date(f.until));
  const page = toPage(await q.orderBy('id', 'desc').limit(limit + 1).execute(), limit);
  return { issues: page.items.map(issueView), next_cursor: page.next_cursor };
}

export async function getIssue(db: Db, teamId: number, issueId: number) {
  const [row, events] = await Promise.all([
    db.selectFrom('issues').select(ISSUE_COLUMNS).where('id', '=', issueId).where('team_id', '=', teamId).executeTakeFirst(),
    db.selectFrom('issue_events').select(['at', 'kind', 'message', 'data']).where('issue_id', '=', issueId).orderBy('id').execute(),
  ]);
  if (!row) throw notFound('Issue', issueId);
  return { ...issueView(row), timeline: events.map((e) => ({ at: iso(e.at), kind: e.kind, message: e.message, data: e.data })) };
}
