//! The shared store conformance suite on PostgreSQL, each test in a fresh
//! schema of the database named by `KASSA_TEST_DATABASE_URL` (skipped when
//! unset; `.ci/run` sets it to the local server).

use std::sync::atomic::{AtomicU32, Ordering};

use kassa_store_postgres::PgStore;

/// Drops its schema when the test is over, whether it passed or not.
struct Schema {
    url: String,
    name: String,
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

async fn fresh_store() -> Option<(PgStore, Schema)> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let url = std::env::var("KASSA_TEST_DATABASE_URL").ok()?;
    let name = format!(
        "conf_{}_{}_{}",
        std::process::id(),
        time::OffsetDateTime::now_utc().unix_timestamp(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let store = PgStore::connect_with_schema(&url, &name)
        .await
        .expect("connect to KASSA_TEST_DATABASE_URL");
    Some((store, Schema { url, name }))
}

kassa_store::conformance_tests!(fresh_store);
