-- 0001: tenancy, catalog, customers, discounts (PostgreSQL).
-- The same layout as the SQLite backend's 0001: each aggregate keeps its
-- serialized domain value in `body` (jsonb) and, beside it, the columns that
-- lists filter and order on. Times are microseconds since the Unix epoch
-- (UTC) in BIGINT. Every table but businesses is scoped by
-- (business_id, mode). Ids use the "C" collation so `ORDER BY id` compares
-- bytes, as SQLite does.

CREATE TABLE businesses (
    id          TEXT COLLATE "C" PRIMARY KEY,
    created_at  BIGINT NOT NULL,
    body        JSONB NOT NULL
);

CREATE TABLE api_keys (
    id              TEXT COLLATE "C" PRIMARY KEY,
    business_id     TEXT COLLATE "C" NOT NULL REFERENCES businesses(id),
    mode            TEXT NOT NULL CHECK (mode IN ('test', 'live')),
    secret_hash     TEXT NOT NULL UNIQUE,
    display_prefix  TEXT NOT NULL,
    created_at      BIGINT NOT NULL
);

CREATE TABLE brands (
    id           TEXT COLLATE "C" PRIMARY KEY,
    business_id  TEXT COLLATE "C" NOT NULL REFERENCES businesses(id),
    mode         TEXT NOT NULL,
    is_primary   BOOLEAN NOT NULL,
    archived     BOOLEAN NOT NULL,
    created_at   BIGINT NOT NULL,
    body         JSONB NOT NULL
);
CREATE INDEX brands_scope ON brands (business_id, mode, created_at);

CREATE TABLE products (
    id            TEXT COLLATE "C" PRIMARY KEY,
    business_id   TEXT COLLATE "C" NOT NULL REFERENCES businesses(id),
    mode          TEXT NOT NULL,
    brand_id      TEXT COLLATE "C" NOT NULL,
    is_recurring  BOOLEAN NOT NULL,
    archived      BOOLEAN NOT NULL,
    created_at    BIGINT NOT NULL,
    body          JSONB NOT NULL
);
CREATE INDEX products_list ON products (business_id, mode, archived, created_at DESC, id DESC);
CREATE INDEX products_brand ON products (business_id, mode, brand_id);

CREATE TABLE addons (
    id           TEXT COLLATE "C" PRIMARY KEY,
    business_id  TEXT COLLATE "C" NOT NULL REFERENCES businesses(id),
    mode         TEXT NOT NULL,
    archived     BOOLEAN NOT NULL,
    created_at   BIGINT NOT NULL,
    body         JSONB NOT NULL
);
CREATE INDEX addons_list ON addons (business_id, mode, archived, created_at DESC, id DESC);

CREATE TABLE customers (
    id           TEXT COLLATE "C" PRIMARY KEY,
    business_id  TEXT COLLATE "C" NOT NULL REFERENCES businesses(id),
    mode         TEXT NOT NULL,
    email_lower  TEXT NOT NULL,
    name         TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    body         JSONB NOT NULL
);
CREATE INDEX customers_list ON customers (business_id, mode, created_at DESC, id DESC);
CREATE INDEX customers_email ON customers (business_id, mode, email_lower);

CREATE TABLE discounts (
    id             TEXT COLLATE "C" PRIMARY KEY,
    business_id    TEXT COLLATE "C" NOT NULL REFERENCES businesses(id),
    mode           TEXT NOT NULL,
    code           TEXT COLLATE "C" NOT NULL,
    discount_type  TEXT NOT NULL,
    deleted        BOOLEAN NOT NULL DEFAULT FALSE,
    starts_at      BIGINT,
    expires_at     BIGINT,
    usage_limit    BIGINT,
    times_used     BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    body           JSONB NOT NULL
);
CREATE UNIQUE INDEX discounts_live_code ON discounts (business_id, mode, code) WHERE NOT deleted;
CREATE INDEX discounts_list ON discounts (business_id, mode, deleted, created_at DESC, id DESC);
