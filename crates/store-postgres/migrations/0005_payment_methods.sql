-- 0005: customers' saved payment methods (a card summary and the
-- processor's reusable reference; never a card number).

CREATE TABLE payment_methods (
    id           TEXT COLLATE "C" PRIMARY KEY,
    business_id  TEXT COLLATE "C" NOT NULL REFERENCES businesses(id),
    mode         TEXT NOT NULL,
    customer_id  TEXT COLLATE "C" NOT NULL,
    created_at   BIGINT NOT NULL,
    body         JSONB NOT NULL
);
CREATE INDEX payment_methods_customer ON payment_methods (business_id, mode, customer_id, created_at DESC);
