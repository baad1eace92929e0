-- 0002: checkout sessions and idempotency keys.

CREATE TABLE checkout_sessions (
    id           TEXT PRIMARY KEY,
    business_id  TEXT NOT NULL REFERENCES businesses(id),
    mode         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    body         TEXT NOT NULL
);
CREATE INDEX checkout_sessions_scope ON checkout_sessions (business_id, mode, created_at DESC);

-- One row per (scope, key). `status` and `response` are NULL while the
-- request that claimed the key is still running.
CREATE TABLE idempotency_keys (
    business_id  TEXT NOT NULL,
    mode         TEXT NOT NULL,
    key          TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    status       INTEGER,
    response     BLOB,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (business_id, mode, key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);
