-- 0007: checkout sessions are only ever found by id. The
-- (business, mode, created_at) index no query used cost every group commit
-- a few pages of its own.
DROP INDEX checkout_sessions_scope;
