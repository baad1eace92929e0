-- 0008: every record table takes the one generic shape the changeset
-- store reads and writes (id, business_id, mode, created_at, version, body
-- and index columns): a version for guarded updates, and the index
-- columns lists filter on that were read out of the body before.
-- A set column holds its members as ' a b ' ('' when empty).

ALTER TABLE brands ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE addons ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE discounts ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE checkout_sessions ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE short_links ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payment_methods ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE webhook_endpoints ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

-- Endpoints had no created_at column: they page by id, which is
-- time-ordered. Rows from before keep 0 here (their body has the time).
ALTER TABLE webhook_endpoints ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
UPDATE webhook_endpoints
SET filter_types = COALESCE(
    (SELECT ' ' || group_concat(value, ' ') || ' ' FROM json_each(webhook_endpoints.filter_types)),
    '');
-- The idempotency key is part of the endpoint record now.
UPDATE webhook_endpoints SET body = json_set(body, '$.idempotency_key', idempotency_key)
WHERE idempotency_key IS NOT NULL;

ALTER TABLE discounts ADD COLUMN restricted_to TEXT NOT NULL DEFAULT '';
UPDATE discounts
SET restricted_to = COALESCE(
    (SELECT ' ' || group_concat(value, ' ') || ' ' FROM json_each(discounts.body, '$.restricted_to')),
    '');
-- A deleted discount says so in its body (the time of this migration
-- stands in for the unknown time it was deleted).
UPDATE discounts SET body = json_set(body, '$.deleted_at', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
WHERE deleted = 1;

ALTER TABLE payments ADD COLUMN products TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN discounts TEXT NOT NULL DEFAULT '';
UPDATE payments
SET products = COALESCE(
    (SELECT ' ' || group_concat(p, ' ') || ' '
     FROM (SELECT DISTINCT json_extract(value, '$.product') AS p
           FROM json_each(payments.body, '$.lines') ORDER BY p)),
    ''),
    discounts = COALESCE(
    (SELECT ' ' || group_concat(value, ' ') || ' ' FROM json_each(payments.body, '$.discounts')),
    '');
