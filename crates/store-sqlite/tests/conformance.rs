//! The shared store conformance suite, run on a fresh SQLite file per test.

use kassa_store_sqlite::SqliteStore;
use tempfile::TempDir;

/// Never `None`: SQLite needs nothing but a temp dir.
async fn fresh_store(_test: &'static str) -> Option<(SqliteStore, TempDir)> {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(&dir.path().join("kassa.db")).expect("open store");
    Some((store, dir))
}

kassa_store::conformance_tests!(fresh_store);
