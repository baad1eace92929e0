//! Several Kassa nodes starting at once against one PostgreSQL database
//! apply each migration exactly once (the advisory lock serialises them).
//! Skipped when `KASSA_TEST_DATABASE_URL` is unset.

use kassa_store_postgres::PgStore;
use time::OffsetDateTime;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_startup_migrates_once() {
    let Ok(url) = std::env::var("KASSA_TEST_DATABASE_URL") else {
        eprintln!("KASSA_TEST_DATABASE_URL is not set: skipping the PostgreSQL smoke test");
        return;
    };
    let nanos = OffsetDateTime::now_utc().unix_timestamp_nanos();
    let schema = format!("t_{nanos}_{}_race", std::process::id());
    let nodes: Vec<_> = (0..4)
        .map(|_| {
            let (url, schema) = (url.clone(), schema.clone());
            tokio::spawn(async move { PgStore::connect_with_schema(&url, &schema).await })
        })
        .collect();
    let mut stores = Vec::new();
    for node in nodes {
        stores.push(node.await.unwrap());
    }
    let store = stores[0].as_ref().expect("connect").clone();
    // Every node connected (none tripped over another's DDL), and each
    // version from 1 up is recorded once.
    let (applied, newest): (i64, i32) =
        sqlx::query_as("SELECT count(*), max(version) FROM kassa_migrations")
            .fetch_one(store.pool())
            .await
            .unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "DROP SCHEMA \"{schema}\" CASCADE"
    )))
    .execute(store.pool())
    .await
    .expect("drop the test schema");
    for s in stores {
        let s = s.expect("every node connects");
        s.pool().close().await;
    }
    assert!(newest >= 2);
    assert_eq!(applied, i64::from(newest));
}
