-- 0009: the durable job queue, and the test clocks it runs by.
-- Every job is a row of `jobs`; webhook deliveries become jobs of kind
-- 'deliver' (subject: the endpoint; event_id: the event), so one queue,
-- one lease and one clock serve them and every later kind. A key is
-- unique per kind: scheduling it again keeps the first.

CREATE TABLE jobs (
    id           TEXT PRIMARY KEY,
    business_id  TEXT NOT NULL,
    mode         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    key          TEXT NOT NULL,
    subject      TEXT,
    event_id     TEXT,
    payload      TEXT NOT NULL,
    -- Microseconds, by the scope's clock (a test clock may be ahead).
    run_at       INTEGER NOT NULL,
    status       TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    lease_owner  TEXT,
    lease_until  INTEGER,
    last_error   TEXT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (kind, key)
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE status = 'pending';
CREATE INDEX jobs_subject ON jobs (business_id, mode, kind, subject, created_at DESC);

-- A test-mode business's clock runs this far ahead of wall time; it only
-- grows. Absent: wall time.
CREATE TABLE test_clocks (
    business_id  TEXT PRIMARY KEY,
    offset_us    INTEGER NOT NULL
);

INSERT INTO jobs (id, business_id, mode, kind, key, subject, event_id, payload, run_at,
                  status, attempts, lease_owner, lease_until, created_at, updated_at)
SELECT 'job_' || lower(hex(randomblob(12))), business_id, mode, 'deliver',
       event_id || ':' || endpoint_id, endpoint_id, event_id, '{}',
       COALESCE(next_attempt_at, created_at), status, attempts, lease_owner, lease_until,
       created_at, created_at
FROM webhook_deliveries;
DROP TABLE webhook_deliveries;
