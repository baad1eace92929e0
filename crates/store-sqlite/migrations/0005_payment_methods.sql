-- 0005: customers' saved payment methods (a card summary and the
-- processor's reusable reference; never a card number).

CREATE TABLE payment_methods (
    id           TEXT PRIMARY KEY,
    business_id  TEXT NOT NULL REFERENCES businesses(id),
    mode         TEXT NOT NULL,
    customer_id  TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    body         TEXT NOT NULL
);
CREATE INDEX payment_methods_customer ON payment_methods (business_id, mode, customer_id, created_at DESC);
