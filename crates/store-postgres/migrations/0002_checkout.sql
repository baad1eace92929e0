-- 0002: checkout sessions and idempotency keys (PostgreSQL; same layout as SQLite's 0002).

CREATE TABLE checkout_sessions (
    id           TEXT COLLATE "C" PRIMARY KEY,
    business_id  TEXT COLLATE "C" NOT NULL REFERENCES businesses(id),
    mode         TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    body         JSONB NOT NULL
);
CREATE INDEX checkout_sessions_scope ON checkout_sessions (business_id, mode, created_at DESC);

-- `status` and `response` are NULL while the claiming request still runs.
CREATE TABLE idempotency_keys (
    business_id  TEXT COLLATE "C" NOT NULL,
    mode         TEXT NOT NULL,
    key          TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    status       INT,
    response     BYTEA,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (business_id, mode, key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);
