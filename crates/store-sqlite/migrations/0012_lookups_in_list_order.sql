-- 0012: lookups by a column, in list order. A list is read newest first
-- (`created_at DESC, id DESC`); for `customer by email` and `payments of a
-- customer` SQLite's planner preferred the scope's list index, which
-- already has that order, to the index on the column, and so walked every
-- customer or payment of the scope to find one: the hosted page's pay step
-- grew slower with every purchase the business had taken. Each lookup
-- index now ends in the list order, so it serves both the match and the
-- order (and a first match is one index probe).
DROP INDEX customers_email;
CREATE INDEX customers_email ON customers (business_id, mode, email_lower, created_at DESC, id DESC);
DROP INDEX payments_customer;
CREATE INDEX payments_customer ON payments (business_id, mode, customer_id, created_at DESC, id DESC);
DROP INDEX payment_methods_customer;
CREATE INDEX payment_methods_customer ON payment_methods (business_id, mode, customer_id, created_at DESC, id DESC);
DROP INDEX products_brand;
CREATE INDEX products_brand ON products (business_id, mode, brand_id, created_at DESC, id DESC);
CREATE INDEX short_links_product ON short_links (business_id, mode, product_id, created_at DESC, id DESC);
