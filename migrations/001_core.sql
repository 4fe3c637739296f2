-- Core schema: people, teams and their plans, monitored sites, check runs, issues, MCP tokens.
-- Integer identities keep ids JSON numbers; every list is a keyset scan over an index named below.

CREATE TABLE users (
  id                integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email             text NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
  name              text NOT NULL,
  password_hash     text,
  email_verified_at timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE plans (
  code                 text PRIMARY KEY,
  name                 text NOT NULL,
  max_sites            integer NOT NULL,
  min_interval_s       integer NOT NULL,
  manual_runs_per_hour integer NOT NULL
);
INSERT INTO plans (code, name, max_sites, min_interval_s, manual_runs_per_hour) VALUES
  ('starter',  'Starter',    5, 300,   10),
  ('pro',      'Pro',       50,  60,  100),
  ('business', 'Business', 500,  30, 1000);

-- The plan a team is on sets its limits; whether it may use them is its subscription's business.
CREATE TABLE teams (
  id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name       text NOT NULL,
  owner_id   integer NOT NULL REFERENCES users (id),
  plan_code  text NOT NULL REFERENCES plans (code),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE subscriptions (
  team_id       integer PRIMARY KEY REFERENCES teams (id) ON DELETE CASCADE,
  status        text NOT NULL CHECK (status IN ('trialing', 'active', 'past_due', 'canceled')),
  trial_ends_at timestamptz,
  ends_at       timestamptz,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE team_members (
  team_id    integer NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  user_id    integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role       text NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'viewer')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user_idx ON team_members (user_id, team_id);

CREATE TABLE team_monitoring_defaults (
  team_id               integer PRIMARY KEY REFERENCES teams (id) ON DELETE CASCADE,
  interval_s            integer NOT NULL CHECK (interval_s > 0),
  timeout_ms            integer NOT NULL CHECK (timeout_ms > 0),
  failure_threshold     integer NOT NULL CHECK (failure_threshold > 0),
  recovery_threshold    integer NOT NULL CHECK (recovery_threshold > 0),
  slow_response_ms      integer NOT NULL CHECK (slow_response_ms > 0),
  cert_expiry_warn_days integer NOT NULL CHECK (cert_expiry_warn_days >= 0),
  escalation            jsonb NOT NULL DEFAULT '[]',
  updated_at            timestamptz NOT NULL DEFAULT now()
);

-- Site settings left null inherit the team's monitoring defaults.
CREATE TABLE sites (
  id                    integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id               integer NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  name                  text NOT NULL,
  url                   text NOT NULL CHECK (url ~ '^https?://'),
  paused                boolean NOT NULL DEFAULT false,
  status                text NOT NULL DEFAULT 'unknown' CHECK (status IN ('up', 'down', 'degraded', 'unknown')),
  interval_s            integer CHECK (interval_s > 0),
  timeout_ms            integer CHECK (timeout_ms > 0),
  failure_threshold     integer CHECK (failure_threshold > 0),
  recovery_threshold    integer CHECK (recovery_threshold > 0),
  slow_response_ms      integer CHECK (slow_response_ms > 0),
  cert_expiry_warn_days integer CHECK (cert_expiry_warn_days >= 0),
  last_checked_at       timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sites_team_idx ON sites (team_id, id);
CREATE INDEX sites_team_status_idx ON sites (team_id, status, id);

-- team_id is copied from the site (sites never change team) so the gate and team-wide lists need no join.
CREATE TABLE check_runs (
  id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id          integer NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  site_id          integer NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  check_type       text NOT NULL CHECK (check_type IN ('uptime', 'certificate')),
  trigger          text NOT NULL CHECK (trigger IN ('scheduled', 'manual')),
  requested_by     integer REFERENCES users (id) ON DELETE SET NULL,
  status           text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'warning', 'failed', 'errored')),
  queued_at        timestamptz NOT NULL DEFAULT now(),
  started_at       timestamptz,
  finished_at      timestamptz,
  http_status      integer,
  response_time_ms integer,
  summary          text,
  result           jsonb,
  error            text
);
CREATE INDEX check_runs_site_idx ON check_runs (site_id, id DESC);
CREATE INDEX check_runs_team_idx ON check_runs (team_id, id DESC);
CREATE INDEX check_runs_manual_window_idx ON check_runs (team_id, queued_at) WHERE trigger = 'manual';
CREATE INDEX check_runs_queue_idx ON check_runs (queued_at, id) WHERE status = 'queued';

CREATE TABLE issues (
  id                 integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id            integer NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  site_id            integer NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  check_type         text NOT NULL CHECK (check_type IN ('uptime', 'certificate')),
  severity           text NOT NULL CHECK (severity IN ('warning', 'critical')),
  status             text NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
  title              text NOT NULL,
  summary            text,
  opened_at          timestamptz NOT NULL DEFAULT now(),
  acknowledged_at    timestamptz,
  resolved_at        timestamptz,
  opened_by_run_id   integer REFERENCES check_runs (id) ON DELETE SET NULL,
  resolved_by_run_id integer REFERENCES check_runs (id) ON DELETE SET NULL,
  escalation_level   integer NOT NULL DEFAULT 0
);
CREATE INDEX issues_team_idx ON issues (team_id, id DESC);
CREATE INDEX issues_site_idx ON issues (site_id, id DESC);
-- One unresolved issue per site and check type, whatever races happen.
CREATE UNIQUE INDEX issues_one_unresolved_idx ON issues (site_id, check_type) WHERE status <> 'resolved';

CREATE TABLE issue_events (
  id       integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  issue_id integer NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
  at       timestamptz NOT NULL DEFAULT now(),
  kind     text NOT NULL,
  message  text NOT NULL,
  data     jsonb
);
CREATE INDEX issue_events_issue_idx ON issue_events (issue_id, id);

-- Every bearer credential /mcp may see, by kind (the kind is the audience). Only the SHA-256 is kept.
CREATE TABLE tokens (
  id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind         text NOT NULL CHECK (kind IN ('mcp', 'oauth_access')),
  user_id      integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name         text NOT NULL,
  token_hash   bytea NOT NULL,
  scopes       text[] NOT NULL,
  resource     text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz,
  last_used_at timestamptz
);
CREATE UNIQUE INDEX tokens_hash_key ON tokens (token_hash);
CREATE INDEX tokens_user_idx ON tokens (user_id, id);
