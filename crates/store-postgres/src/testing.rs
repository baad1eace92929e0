//! Test isolation on one shared database: each PostgreSQL test works in a
//! fresh schema of the database `KASSA_TEST_DATABASE_URL` names, dropped
//! when the test is over, so tests running side by side never see each
//! other's rows. Whether the test runs at all is
//! [`kassa_store::testing::postgres_url`]'s to say.
//!
//! Every connection to the schema carries its name as `application_name`,
//! so the cleanup can end the ones still open first: a server dropped
//! without being stopped may hold a transaction that only its runtime can
//! finish, and that runtime is the one waiting for the cleanup.

use std::sync::atomic::{AtomicU32, Ordering};

use kassa_store::testing::postgres_url;

use crate::{PgStore, migrate, quote_ident};

/// A schema no other test uses; dropped (with everything in it) when this
/// value is, whether the test passed or not.
pub struct TestSchema {
    /// The test database's URL, as configured (not confined to the schema).
    pub url: String,
    /// The schema's name: lowercase letters, digits and `_`.
    pub name: String,
}

impl TestSchema {
    /// A fresh schema name for `test` (created on first use), or `None`
    /// when the test is skipped. `prefix` (a few lowercase letters) tells
    /// a leftover schema's origin.
    pub fn fresh(test: &str, prefix: &str) -> Option<TestSchema> {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let url = postgres_url(test)?;
        let name = format!(
            "{prefix}_{}_{}_{}",
            std::process::id(),
            time::OffsetDateTime::now_utc().unix_timestamp(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        Some(TestSchema { url, name })
    }

    /// The test database's URL with `params` added to its query.
    fn url_with(&self, params: &str) -> String {
        let glue = if self.url.contains('?') { '&' } else { '?' };
        format!("{}{glue}{params}", self.url)
    }

    /// A store (a node) working in the schema; the schema is created and
    /// migrated on the first connect.
    pub async fn connect(&self) -> PgStore {
        let tagged = self.url_with(&format!("application_name={}", self.name));
        PgStore::connect_with_schema(&tagged, &self.name)
            .await
            .expect("connect to KASSA_TEST_DATABASE_URL")
    }

    /// Creates the schema (not migrated) and gives a URL whose every
    /// connection works in it, for what takes a plain URL: `kassa serve
    /// --database-url` in another process, or a server's configuration.
    pub async fn create_url(&self) -> String {
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .connect(&self.url)
            .await
            .expect("connect to KASSA_TEST_DATABASE_URL");
        migrate::create_schema(&pool, &quote_ident(&self.name))
            .await
            .expect("create the test schema");
        pool.close().await;
        self.url_with(&format!(
            "application_name={0}&options%5Bsearch_path%5D={0}",
            self.name
        ))
    }
}

impl Drop for TestSchema {
    fn drop(&mut self) {
        let (url, name) = (self.url.clone(), self.name.clone());
        // Drop may run inside a test's runtime, where nothing can block on
        // a future: clean up on a thread of its own with its own runtime.
        let cleanup = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("cleanup runtime");
            rt.block_on(async {
                use sqlx::Connection;
                let mut conn = sqlx::PgConnection::connect(&url).await?;
                sqlx::query(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                     WHERE application_name = $1 AND pid <> pg_backend_pid()",
                )
                .bind(&name)
                .execute(&mut conn)
                .await?;
                // A lock still held (a backend slow to go) fails the drop
                // with a message instead of hanging the test.
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                    "SET lock_timeout = '10s'; DROP SCHEMA IF EXISTS {} CASCADE",
                    quote_ident(&name)
                )))
                .execute(&mut conn)
                .await?;
                conn.close().await
            })
        });
        if let Ok(Err(e)) = cleanup.join() {
            eprintln!("could not drop the test schema {}: {e}", self.name);
        }
    }
}
