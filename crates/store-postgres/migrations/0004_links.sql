-- 0004: short links (PostgreSQL; same layout as SQLite's 0004).

CREATE TABLE short_links (
    id           TEXT COLLATE "C" PRIMARY KEY, -- the slug
    business_id  TEXT COLLATE "C" NOT NULL REFERENCES businesses(id),
    mode         TEXT NOT NULL,
    product_id   TEXT COLLATE "C",
    created_at   BIGINT NOT NULL,
    body         JSONB NOT NULL
);
CREATE INDEX short_links_list ON short_links (business_id, mode, created_at DESC);
