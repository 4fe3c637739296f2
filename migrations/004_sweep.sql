-- Indexes for the periodic sweep of expired sign-in and OAuth records (src/auth/sweep.ts), so it never
-- scans whole tables.
CREATE INDEX browser_sessions_expiry_idx ON browser_sessions (expires_at);
CREATE INDEX oauth_pending_authorizations_expiry_idx ON oauth_pending_authorizations (expires_at);
CREATE INDEX tokens_oauth_expiry_idx ON tokens (expires_at) WHERE kind <> 'mcp';
CREATE INDEX auth_rate_limits_window_idx ON auth_rate_limits (window_start);
