//! What the PostgreSQL tests share: a fresh schema of the database named
//! by `KASSA_TEST_DATABASE_URL` per test (the tests skip when it is
//! unset), dropped when the test is over.

#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use kassa_store_postgres::PgStore;

/// Drops its schema when the test is over, whether it passed or not.
pub struct Schema {
    pub url: String,
    pub name: String,
}

impl Schema {
    /// A schema name no other test uses, or `None` without a database.
    pub fn fresh(prefix: &str) -> Option<Schema> {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let url = std::env::var("KASSA_TEST_DATABASE_URL").ok()?;
        let name = format!(
            "{prefix}_{}_{}_{}",
            std::process::id(),
            time::OffsetDateTime::now_utc().unix_timestamp(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        Some(Schema { url, name })
    }

    /// A store (a node) working in the schema; migrated on connect.
    pub async fn connect(&self) -> PgStore {
        PgStore::connect_with_schema(&self.url, &self.name)
            .await
            .expect("connect to KASSA_TEST_DATABASE_URL")
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        let (url, name) = (self.url.clone(), self.name.clone());
        // Drop runs inside the test's runtime: do the async cleanup on a
        // thread of its own with a runtime of its own.
        let cleanup = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("cleanup runtime");
            rt.block_on(async {
                use sqlx::Connection;
                let mut conn = sqlx::PgConnection::connect(&url).await?;
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                    "DROP SCHEMA IF EXISTS \"{name}\" CASCADE"
                )))
                .execute(&mut conn)
                .await?;
                conn.close().await
            })
        });
        if let Ok(Err(e)) = cleanup.join() {
            eprintln!("could not drop test schema: {e}");
        }
    }
}

/// A migrated store in a fresh schema, or `None` without a database.
pub async fn fresh_store() -> Option<(PgStore, Schema)> {
    let schema = Schema::fresh("conf")?;
    Some((schema.connect().await, schema))
}
