-- 0003: payments.

CREATE TABLE payments (
    id           TEXT PRIMARY KEY,
    business_id  TEXT NOT NULL REFERENCES businesses(id),
    mode         TEXT NOT NULL,
    status       TEXT NOT NULL,
    customer_id  TEXT NOT NULL,
    brand_id     TEXT NOT NULL,
    currency     TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    body         TEXT NOT NULL
);
CREATE INDEX payments_list ON payments (business_id, mode, created_at DESC, id DESC);
CREATE INDEX payments_customer ON payments (business_id, mode, customer_id);
