-- 0004: short links. The slug is the key across all businesses: the URL
-- namespace is shared.

CREATE TABLE short_links (
    id           TEXT PRIMARY KEY, -- the slug
    business_id  TEXT NOT NULL REFERENCES businesses(id),
    mode         TEXT NOT NULL,
    product_id   TEXT,
    created_at   INTEGER NOT NULL,
    body         TEXT NOT NULL
);
CREATE INDEX short_links_list ON short_links (business_id, mode, created_at DESC);
