-- 0001: tenancy, catalog, customers, discounts.
-- Each aggregate keeps its serialized domain value in `body` and, beside it,
-- the columns that lists filter and order on. Times are microseconds since
-- the Unix epoch (UTC). Every table but businesses is scoped by
-- (business_id, mode).

CREATE TABLE businesses (
    id          TEXT PRIMARY KEY,
    created_at  INTEGER NOT NULL,
    body        TEXT NOT NULL
);

CREATE TABLE api_keys (
    id              TEXT PRIMARY KEY,
    business_id     TEXT NOT NULL REFERENCES businesses(id),
    mode            TEXT NOT NULL CHECK (mode IN ('test', 'live')),
    secret_hash     TEXT NOT NULL UNIQUE,
    display_prefix  TEXT NOT NULL,
    created_at      INTEGER NOT NULL
);

CREATE TABLE brands (
    id           TEXT PRIMARY KEY,
    business_id  TEXT NOT NULL REFERENCES businesses(id),
    mode         TEXT NOT NULL,
    is_primary   INTEGER NOT NULL,
    archived     INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    body         TEXT NOT NULL
);
CREATE INDEX brands_scope ON brands (business_id, mode, created_at);

CREATE TABLE products (
    id            TEXT PRIMARY KEY,
    business_id   TEXT NOT NULL REFERENCES businesses(id),
    mode          TEXT NOT NULL,
    brand_id      TEXT NOT NULL,
    is_recurring  INTEGER NOT NULL,
    archived      INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    body          TEXT NOT NULL
);
CREATE INDEX products_list ON products (business_id, mode, archived, created_at DESC, id DESC);
CREATE INDEX products_brand ON products (business_id, mode, brand_id);

CREATE TABLE addons (
    id           TEXT PRIMARY KEY,
    business_id  TEXT NOT NULL REFERENCES businesses(id),
    mode         TEXT NOT NULL,
    archived     INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    body         TEXT NOT NULL
);
CREATE INDEX addons_list ON addons (business_id, mode, archived, created_at DESC, id DESC);

CREATE TABLE customers (
    id           TEXT PRIMARY KEY,
    business_id  TEXT NOT NULL REFERENCES businesses(id),
    mode         TEXT NOT NULL,
    email_lower  TEXT NOT NULL,
    name         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    body         TEXT NOT NULL
);
CREATE INDEX customers_list ON customers (business_id, mode, created_at DESC, id DESC);
CREATE INDEX customers_email ON customers (business_id, mode, email_lower);

CREATE TABLE discounts (
    id             TEXT PRIMARY KEY,
    business_id    TEXT NOT NULL REFERENCES businesses(id),
    mode           TEXT NOT NULL,
    code           TEXT NOT NULL,
    discount_type  TEXT NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0,
    starts_at      INTEGER,
    expires_at     INTEGER,
    usage_limit    INTEGER,
    times_used     INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    body           TEXT NOT NULL
);
CREATE UNIQUE INDEX discounts_live_code ON discounts (business_id, mode, code) WHERE deleted = 0;
CREATE INDEX discounts_list ON discounts (business_id, mode, deleted, created_at DESC, id DESC);
