-- 0009: the durable job queue and the test clocks it runs by (the same
-- layout as SQLite's 0009): webhook deliveries become jobs of kind
-- 'deliver'. Jobs are leased with FOR UPDATE SKIP LOCKED, so several
-- nodes on one database never run a job twice.

CREATE TABLE jobs (
    id           TEXT COLLATE "C" PRIMARY KEY,
    business_id  TEXT COLLATE "C" NOT NULL,
    mode         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    key          TEXT COLLATE "C" NOT NULL,
    subject      TEXT COLLATE "C",
    event_id     TEXT COLLATE "C",
    payload      TEXT NOT NULL,
    run_at       BIGINT NOT NULL,
    status       TEXT NOT NULL,
    attempts     BIGINT NOT NULL DEFAULT 0,
    lease_owner  TEXT,
    lease_until  BIGINT,
    last_error   TEXT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    UNIQUE (kind, key)
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE status = 'pending';
CREATE INDEX jobs_subject ON jobs (business_id, mode, kind, subject, created_at DESC);

CREATE TABLE test_clocks (
    business_id  TEXT COLLATE "C" PRIMARY KEY,
    offset_us    BIGINT NOT NULL
);

INSERT INTO jobs (id, business_id, mode, kind, key, subject, event_id, payload, run_at,
                  status, attempts, lease_owner, lease_until, created_at, updated_at)
SELECT 'job_' || replace(gen_random_uuid()::text, '-', ''), business_id, mode, 'deliver',
       event_id || ':' || endpoint_id, endpoint_id, event_id, '{}',
       COALESCE(next_attempt_at, created_at), status, attempts, lease_owner, lease_until,
       created_at, created_at
FROM webhook_deliveries;
DROP TABLE webhook_deliveries;

-- `kassa webhooks tail` pages attempts by seq, but a BIGSERIAL value can
-- become visible after a larger one commits. Each attempt records when
-- the database wrote it (microseconds), and the tail reads only attempts
-- older than a settle window, so a late commit is never skipped. Added
-- with a constant default first (no rewrite of the table, whose existing
-- attempts are long settled), then given the clock as its default.
ALTER TABLE webhook_attempts ADD COLUMN recorded_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE webhook_attempts ALTER COLUMN recorded_at
    SET DEFAULT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint;
