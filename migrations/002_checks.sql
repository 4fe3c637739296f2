-- The check runner: a lease on running runs, a schedule on sites, and the indexes the runner's loops scan.

-- A claimed run holds a lease until locked_until; a runner that dies lets it lapse, and another runner
-- requeues the run (or marks it errored after too many attempts). attempts fences late completions:
-- a runner may only finish the attempt it claimed. locked_by is kept on finished runs: who checked it.
ALTER TABLE check_runs
  ADD COLUMN attempts     integer NOT NULL DEFAULT 0,
  ADD COLUMN locked_by    text,
  ADD COLUMN locked_until timestamptz;

-- Manual runs first (someone may be waiting for them), then oldest first.
DROP INDEX check_runs_queue_idx;
CREATE INDEX check_runs_queue_idx ON check_runs ((trigger = 'scheduled'), queued_at, id) WHERE status = 'queued';
CREATE INDEX check_runs_lease_idx ON check_runs (locked_until) WHERE status = 'running';
-- The issue lifecycle reads a site's latest finished runs of one type.
CREATE INDEX check_runs_site_type_idx ON check_runs (site_id, check_type, id DESC);

-- When the scheduler next queues this site's checks; existing and new sites are due at once.
ALTER TABLE sites ADD COLUMN next_check_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX sites_due_idx ON sites (next_check_at) WHERE NOT paused;

-- Escalation only concerns open (unacknowledged) issues.
CREATE INDEX issues_open_idx ON issues (opened_at, id) WHERE status = 'open';
