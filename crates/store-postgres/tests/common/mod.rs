//! What the PostgreSQL tests share: a fresh schema per test (see
//! [`kassa_store_postgres::testing`]; a test without a configured
//! database is skipped and counted, or fails under CI).

#![allow(dead_code)]

use kassa_store_postgres::PgStore;
pub use kassa_store_postgres::testing::TestSchema as Schema;

/// A migrated store in a fresh schema, or `None` when `test` is skipped.
pub async fn fresh_store(test: &'static str) -> Option<(PgStore, Schema)> {
    let schema = Schema::fresh(test, "conf")?;
    Some((schema.connect().await, schema))
}
