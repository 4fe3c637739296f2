-- The OAuth 2.1 authorization server: clients, browser sessions, pending authorizations, codes, grants,
-- refresh tokens and throttling counters. All of it lives here, so any instance can serve any request.

-- A client is either registered (RFC 7591, kind 'dcr', random id) or a client ID metadata document
-- (kind 'cimd', the id is its https URL; the row is the cache, fresh until expires_at).
-- A registered client expires unless used: expires_at moves forward each time it gets a grant.
CREATE TABLE oauth_clients (
  client_id       text PRIMARY KEY,
  kind            text NOT NULL CHECK (kind IN ('dcr', 'cimd')),
  client_name     text NOT NULL,
  client_uri      text,
  redirect_uris   text[] NOT NULL,
  -- SHA-256 of the canonical registered metadata: identical registrations reuse one client.
  metadata_hash   bytea,
  registered_ip   text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX oauth_clients_dcr_metadata_key ON oauth_clients (metadata_hash) WHERE kind = 'dcr';
CREATE INDEX oauth_clients_expiry_idx ON oauth_clients (expires_at) WHERE kind = 'dcr';

-- A browser's session on the login, consent and Settings pages; anonymous (user_id null) until sign-in.
-- The cookie holds the secret; only its SHA-256 is kept, and it changes at sign-in (no session fixation).
CREATE TABLE browser_sessions (
  id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  secret_hash bytea NOT NULL,
  user_id     integer REFERENCES users (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX browser_sessions_secret_key ON browser_sessions (secret_hash);

-- An /authorize request waiting for sign-in and consent, validated and bound to the browser that made it.
CREATE TABLE oauth_pending_authorizations (
  handle_hash    bytea PRIMARY KEY,
  session_id     integer NOT NULL REFERENCES browser_sessions (id) ON DELETE CASCADE,
  client_id      text NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
  redirect_uri   text NOT NULL,
  state          text,
  code_challenge text NOT NULL,
  resource       text NOT NULL,
  scopes         text[] NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  consumed_at    timestamptz
);

-- What a user allowed one client: the family every code, access and refresh token of one consent belongs to.
CREATE TABLE oauth_grants (
  id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id    integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  client_id  text NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
  scopes     text[] NOT NULL,
  resource   text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX oauth_grants_user_idx ON oauth_grants (user_id, client_id);

-- A code answers one pending authorization (which binds the client, redirect URI, PKCE challenge and
-- resource); the grant it belongs to holds the user and the scopes they allowed.
CREATE TABLE oauth_codes (
  code_hash          bytea PRIMARY KEY,
  grant_id           integer NOT NULL REFERENCES oauth_grants (id) ON DELETE CASCADE,
  authorization_hash bytea NOT NULL UNIQUE REFERENCES oauth_pending_authorizations (handle_hash) ON DELETE CASCADE,
  expires_at         timestamptz NOT NULL,
  consumed_at        timestamptz
);

-- OAuth access and refresh tokens join the tokens table, tied to their grant. A rotated refresh token keeps
-- its row with replaced_at set, so a later reuse is recognised (and revokes the grant).
ALTER TABLE tokens DROP CONSTRAINT tokens_kind_check;
ALTER TABLE tokens ADD CONSTRAINT tokens_kind_check CHECK (kind IN ('mcp', 'oauth_access', 'oauth_refresh'));
ALTER TABLE tokens ADD COLUMN grant_id integer REFERENCES oauth_grants (id) ON DELETE CASCADE;
ALTER TABLE tokens ADD COLUMN replaced_at timestamptz;
ALTER TABLE tokens ADD CONSTRAINT tokens_oauth_grant_check CHECK ((kind = 'mcp') = (grant_id IS NULL));
CREATE INDEX tokens_grant_idx ON tokens (grant_id) WHERE grant_id IS NOT NULL;

-- Fixed-window counters for throttling (sign-in per account and per IP, registrations per IP).
CREATE TABLE auth_rate_limits (
  bucket       text NOT NULL,
  window_start timestamptz NOT NULL,
  hits         integer NOT NULL,
  PRIMARY KEY (bucket, window_start)
);
