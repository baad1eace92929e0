-- 0006: webhook endpoints, the event outbox, deliveries and their attempts.

CREATE TABLE webhook_endpoints (
    id               TEXT COLLATE "C" PRIMARY KEY,
    business_id      TEXT NOT NULL REFERENCES businesses(id),
    mode             TEXT NOT NULL,
    disabled         BOOLEAN NOT NULL,
    -- event type names; empty means every type.
    filter_types     TEXT[] NOT NULL,
    idempotency_key  TEXT,
    body             JSONB NOT NULL
);
CREATE INDEX webhook_endpoints_scope ON webhook_endpoints (business_id, mode, id);
CREATE UNIQUE INDEX webhook_endpoints_idempotency
    ON webhook_endpoints (business_id, mode, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE events (
    id           TEXT COLLATE "C" PRIMARY KEY,
    business_id  TEXT NOT NULL,
    mode         TEXT NOT NULL,
    type         TEXT NOT NULL,
    object       TEXT NOT NULL,
    occurred_at  BIGINT NOT NULL
);

CREATE TABLE webhook_deliveries (
    event_id         TEXT NOT NULL REFERENCES events(id),
    endpoint_id      TEXT NOT NULL,
    business_id      TEXT NOT NULL,
    mode             TEXT NOT NULL,
    status           TEXT NOT NULL,
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT,
    lease_owner      TEXT,
    lease_until      BIGINT,
    created_at       BIGINT NOT NULL,
    PRIMARY KEY (event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at DESC);

CREATE TABLE webhook_attempts (
    seq          BIGSERIAL PRIMARY KEY,
    event_id     TEXT NOT NULL,
    endpoint_id  TEXT NOT NULL,
    business_id  TEXT NOT NULL,
    mode         TEXT NOT NULL,
    number       BIGINT NOT NULL,
    at           BIGINT NOT NULL,
    status_code  BIGINT,
    latency_ms   BIGINT NOT NULL,
    response     TEXT NOT NULL,
    succeeded    BOOLEAN NOT NULL,
    UNIQUE (event_id, endpoint_id, number)
);
CREATE INDEX webhook_attempts_scope ON webhook_attempts (business_id, mode, seq);
