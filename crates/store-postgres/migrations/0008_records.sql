-- 0008: every record table takes the one generic shape the changeset
-- store reads and writes (id, business_id, mode, created_at, version, body
-- and index columns): a version for guarded updates, and the index
-- columns lists filter on that were read out of the body before
-- (PostgreSQL; the same change as SQLite's 0008). Set columns are TEXT[].

ALTER TABLE brands ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE addons ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE discounts ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE checkout_sessions ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE short_links ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE payment_methods ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE webhook_endpoints ADD COLUMN version BIGINT NOT NULL DEFAULT 0;

-- Endpoints had no created_at column: they page by id, which is
-- time-ordered. Rows from before keep 0 here (their body has the time).
ALTER TABLE webhook_endpoints ADD COLUMN created_at BIGINT NOT NULL DEFAULT 0;
-- The idempotency key is part of the endpoint record now.
UPDATE webhook_endpoints SET body = jsonb_set(body, '{idempotency_key}', to_jsonb(idempotency_key))
WHERE idempotency_key IS NOT NULL;

ALTER TABLE discounts ADD COLUMN restricted_to TEXT[] NOT NULL DEFAULT '{}';
UPDATE discounts
SET restricted_to = ARRAY(SELECT jsonb_array_elements_text(body->'restricted_to'))
WHERE jsonb_typeof(body->'restricted_to') = 'array';
-- A deleted discount says so in its body (the time of this migration
-- stands in for the unknown time it was deleted).
UPDATE discounts
SET body = jsonb_set(body, '{deleted_at}',
    to_jsonb(to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')))
WHERE deleted AND body->>'deleted_at' IS NULL;

-- A payment's products (distinct, in byte order) and discounts (as
-- listed), for the filters on them.
ALTER TABLE payments ADD COLUMN products TEXT[] NOT NULL DEFAULT '{}';
ALTER TABLE payments ADD COLUMN discounts TEXT[] NOT NULL DEFAULT '{}';
UPDATE payments
SET products = ARRAY(
    SELECT DISTINCT (line->>'product') COLLATE "C" AS p
    FROM jsonb_array_elements(body->'lines') AS line
    WHERE line->>'product' IS NOT NULL
    ORDER BY p)
WHERE jsonb_typeof(body->'lines') = 'array';
UPDATE payments
SET discounts = ARRAY(SELECT jsonb_array_elements_text(body->'discounts'))
WHERE jsonb_typeof(body->'discounts') = 'array';
