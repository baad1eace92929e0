-- 0006: webhook endpoints, the event outbox, deliveries and their attempts.

CREATE TABLE webhook_endpoints (
    id               TEXT PRIMARY KEY,
    business_id      TEXT NOT NULL REFERENCES businesses(id),
    mode             TEXT NOT NULL,
    disabled         INTEGER NOT NULL,
    -- JSON array of event type names; empty means every type.
    filter_types     TEXT NOT NULL,
    idempotency_key  TEXT,
    body             TEXT NOT NULL
);
CREATE INDEX webhook_endpoints_scope ON webhook_endpoints (business_id, mode, id);
CREATE UNIQUE INDEX webhook_endpoints_idempotency
    ON webhook_endpoints (business_id, mode, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE events (
    id           TEXT PRIMARY KEY,
    business_id  TEXT NOT NULL,
    mode         TEXT NOT NULL,
    type         TEXT NOT NULL,
    object       TEXT NOT NULL,
    occurred_at  INTEGER NOT NULL
);

CREATE TABLE webhook_deliveries (
    event_id         TEXT NOT NULL REFERENCES events(id),
    endpoint_id      TEXT NOT NULL,
    business_id      TEXT NOT NULL,
    mode             TEXT NOT NULL,
    status           TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER,
    lease_owner      TEXT,
    lease_until      INTEGER,
    created_at       INTEGER NOT NULL,
    PRIMARY KEY (event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at DESC);

CREATE TABLE webhook_attempts (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id     TEXT NOT NULL,
    endpoint_id  TEXT NOT NULL,
    business_id  TEXT NOT NULL,
    mode         TEXT NOT NULL,
    number       INTEGER NOT NULL,
    at           INTEGER NOT NULL,
    status_code  INTEGER,
    latency_ms   INTEGER NOT NULL,
    response     TEXT NOT NULL,
    succeeded    INTEGER NOT NULL,
    UNIQUE (event_id, endpoint_id, number)
);
CREATE INDEX webhook_attempts_scope ON webhook_attempts (business_id, mode, seq);
