-- 0003: payments (PostgreSQL; same layout as SQLite's 0003).

CREATE TABLE payments (
    id           TEXT COLLATE "C" PRIMARY KEY,
    business_id  TEXT COLLATE "C" NOT NULL REFERENCES businesses(id),
    mode         TEXT NOT NULL,
    status       TEXT NOT NULL,
    customer_id  TEXT COLLATE "C" NOT NULL,
    brand_id     TEXT COLLATE "C" NOT NULL,
    currency     TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    body         JSONB NOT NULL
);
CREATE INDEX payments_list ON payments (business_id, mode, created_at DESC, id DESC);
CREATE INDEX payments_customer ON payments (business_id, mode, customer_id);
