-- 0011: due jobs by kind. A worker leases deliveries apart from the app's
-- jobs (`kind IN (...)`); with only `jobs_due (run_at)` SQLite's planner
-- chose the UNIQUE (kind, key) index instead and walked every job of the
-- kind ever run, succeeded ones too, then sorted them: a lease cost grew
-- with the history, and webhook deliveries fell to a third of their rate
-- before the job queue (kassa-bench webhooks). This index holds pending
-- jobs only, in due order per kind.
CREATE INDEX jobs_due_kind ON jobs (kind, run_at) WHERE status = 'pending';
