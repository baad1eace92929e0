-- 0007: checkout sessions are only ever found by id. The
-- (business, mode, created_at) index no query used only cost every insert.
DROP INDEX checkout_sessions_scope;
