import type { ColumnType, Generated, Selectable } from 'kysely';

/** Kysely's view of migrations/*.sql. Keep in step with the migrations, which are the source of truth. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type Role = 'owner' | 'admin' | 'editor' | 'viewer';
export type SubscriptionStatus = 'trialing' | 'active' | 'past_due' | 'canceled';
export type CheckType = 'uptime' | 'certificate';
export type RunTrigger = 'scheduled' | 'manual';
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'warning' | 'failed' | 'errored';
export type SiteHealth = 'up' | 'down' | 'degraded' | 'unknown';
export type Severity = 'warning' | 'critical';
export type IssueStatus = 'open' | 'acknowledged' | 'resolved';
/** The kinds /mcp accepts as bearer credentials; refresh tokens only ever go to the token endpoint. */
export type BearerTokenKind = 'mcp' | 'oauth_access';
export type TokenKind = BearerTokenKind | 'oauth_refresh';

export interface EscalationStep {
  after_minutes: number;
  channel: 'email' | 'slack' | 'webhook' | 'sms';
  target: string;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  password_hash: string | null;
  email_verified_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface PlansTable {
  code: string;
  name: string;
  max_sites: number;
  min_interval_s: number;
  manual_runs_per_hour: number;
}

export interface TeamsTable {
  id: Generated<number>;
  name: string;
  owner_id: number;
  plan_code: string;
  created_at: CreatedAt;
}

export interface SubscriptionsTable {
  team_id: number;
  status: SubscriptionStatus;
  trial_ends_at: Timestamp | null;
  ends_at: Timestamp | null;
  updated_at: UpdatedAt;
}

export interface TeamMembersTable {
  team_id: number;
  user_id: number;
  role: Role;
  created_at: CreatedAt;
}

/** The monitoring settings a site inherits from its team unless it overrides them. */
export interface MonitoringSettings {
  interval_s: number;
  timeout_ms: number;
  failure_threshold: number;
  recovery_threshold: number;
  slow_response_ms: number;
  cert_expiry_warn_days: number;
}

export interface TeamMonitoringDefaultsTable extends MonitoringSettings {
  team_id: number;
  escalation: Json<EscalationStep[]>;
  updated_at: UpdatedAt;
}

export type SiteOverrides = { [K in keyof MonitoringSettings]: MonitoringSettings[K] | null };

export interface SitesTable extends SiteOverrides {
  id: Generated<number>;
  team_id: number;
  name: string;
  url: string;
  paused: Generated<boolean>;
  status: Generated<SiteHealth>;
  last_checked_at: Timestamp | null;
  next_check_at: ColumnType<Date, Date | string | undefined, Date | string>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface CheckRunsTable {
  id: Generated<number>;
  team_id: number;
  site_id: number;
  check_type: CheckType;
  trigger: RunTrigger;
  requested_by: number | null;
  status: RunStatus;
  queued_at: CreatedAt;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  http_status: number | null;
  response_time_ms: number | null;
  summary: string | null;
  result: Json<Record<string, unknown>> | null;
  error: string | null;
  attempts: Generated<number>;
  locked_by: string | null;
  locked_until: Timestamp | null;
}

export interface IssuesTable {
  id: Generated<number>;
  team_id: number;
  site_id: number;
  check_type: CheckType;
  severity: Severity;
  status: IssueStatus;
  title: string;
  summary: string | null;
  opened_at: CreatedAt;
  acknowledged_at: Timestamp | null;
  resolved_at: Timestamp | null;
  opened_by_run_id: number | null;
  resolved_by_run_id: number | null;
  escalation_level: Generated<number>;
}

export interface IssueEventsTable {
  id: Generated<number>;
  issue_id: number;
  at: CreatedAt;
  kind: string;
  message: string;
  data: Json<Record<string, unknown>> | null;
}

export interface TokensTable {
  id: Generated<number>;
  kind: TokenKind;
  user_id: number;
  name: string;
  token_hash: Buffer;
  scopes: string[];
  resource: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
  grant_id: number | null;
  replaced_at: Timestamp | null;
}

export interface OAuthClientsTable {
  client_id: string;
  kind: 'dcr' | 'cimd';
  client_name: string;
  client_uri: string | null;
  redirect_uris: string[];
  metadata_hash: Buffer | null;
  registered_ip: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export interface BrowserSessionsTable {
  id: Generated<number>;
  secret_hash: Buffer;
  user_id: number | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export interface OAuthPendingAuthorizationsTable {
  handle_hash: Buffer;
  session_id: number;
  client_id: string;
  redirect_uri: string;
  state: string | null;
  code_challenge: string;
  resource: string;
  scopes: string[];
  created_at: CreatedAt;
  expires_at: Timestamp;
  consumed_at: Timestamp | null;
}

export interface OAuthGrantsTable {
  id: Generated<number>;
  user_id: number;
  client_id: string;
  scopes: string[];
  resource: string;
  created_at: CreatedAt;
  revoked_at: Timestamp | null;
}

export interface OAuthCodesTable {
  code_hash: Buffer;
  grant_id: number;
  authorization_hash: Buffer;
  expires_at: Timestamp;
  consumed_at: Timestamp | null;
}

export interface AuthRateLimitsTable {
  bucket: string;
  window_start: Timestamp;
  hits: number;
}

export interface DB {
  users: UsersTable;
  plans: PlansTable;
  teams: TeamsTable;
  subscriptions: SubscriptionsTable;
  team_members: TeamMembersTable;
  team_monitoring_defaults: TeamMonitoringDefaultsTable;
  sites: SitesTable;
  check_runs: CheckRunsTable;
  issues: IssuesTable;
  issue_events: IssueEventsTable;
  tokens: TokensTable;
  oauth_clients: OAuthClientsTable;
  browser_sessions: BrowserSessionsTable;
  oauth_pending_authorizations: OAuthPendingAuthorizationsTable;
  oauth_grants: OAuthGrantsTable;
  oauth_codes: OAuthCodesTable;
  auth_rate_limits: AuthRateLimitsTable;
}

export type SiteRow = Selectable<SitesTable>;
export type CheckRunRow = Selectable<CheckRunsTable>;
export type IssueRow = Selectable<IssuesTable>;
