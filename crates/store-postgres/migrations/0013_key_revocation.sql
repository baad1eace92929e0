-- 0013: API keys can be revoked, and say when they were last used. A
-- revoked key is refused on every node within a second (each node
-- re-reads a key it has cached at most a second after it last did).
ALTER TABLE api_keys ADD COLUMN revoked_at BIGINT;
ALTER TABLE api_keys ADD COLUMN last_used_at BIGINT;
