//! Several Kassa nodes starting at once against one PostgreSQL database
//! apply each migration exactly once (the advisory lock serialises them).
//! Without `KASSA_TEST_DATABASE_URL` they are skipped and counted (or fail
//! under `CI=true`).

mod common;

use kassa_store_postgres::PgStore;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_startup_migrates_once() {
    let Some(schema) =
        common::Schema::fresh("migrations::concurrent_startup_migrates_once", "race")
    else {
        return;
    };
    let nodes: Vec<_> = (0..4)
        .map(|_| {
            let (url, name) = (schema.url.clone(), schema.name.clone());
            tokio::spawn(async move { PgStore::connect_with_schema(&url, &name).await })
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
    for s in stores {
        let s = s.expect("every node connects");
        s.pool().close().await;
    }
    assert!(newest >= 2);
    assert_eq!(applied, i64::from(newest));
}

/// The migrations before 0009 (when deliveries had a table of their own).
const BEFORE_JOBS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_checkout.sql"),
    include_str!("../migrations/0003_payments.sql"),
    include_str!("../migrations/0004_links.sql"),
    include_str!("../migrations/0005_payment_methods.sql"),
    include_str!("../migrations/0006_webhooks.sql"),
    include_str!("../migrations/0007_session_index.sql"),
    include_str!("../migrations/0008_records.sql"),
];

/// Deliveries written before 0009 are delivery jobs after it, where they
/// stood: pending ones come due as before (their attempt number goes on),
/// failed ones replay, and their attempts are shown by the tail at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliveries_from_before_the_job_queue_carry_over() {
    use kassa_core::id::BusinessId;
    use kassa_core::tenancy::{Mode, Scope};
    use kassa_core::webhook::{DeliveryStatus, EventType};
    use kassa_store::WebhookStore;
    use kassa_store::conformance::{base_time, endpoint, trigger};
    use time::Duration;

    let Some(schema) = common::Schema::fresh(
        "migrations::deliveries_from_before_the_job_queue_carry_over",
        "t_0009",
    ) else {
        return;
    };
    let mut conn = {
        use sqlx::Connection;
        sqlx::PgConnection::connect(&schema.url).await.unwrap()
    };
    let quoted = format!("\"{}\"", schema.name);
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "CREATE SCHEMA {quoted}; SET search_path TO {quoted};
         CREATE TABLE kassa_migrations (
             version INT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
    )))
    .execute(&mut conn)
    .await
    .unwrap();
    for (i, sql) in BEFORE_JOBS.iter().enumerate() {
        sqlx::raw_sql(*sql).execute(&mut conn).await.unwrap();
        sqlx::query("INSERT INTO kassa_migrations (version) VALUES ($1)")
            .bind(i as i32 + 1)
            .execute(&mut conn)
            .await
            .unwrap();
    }

    let scope = Scope {
        business: BusinessId::generate(),
        mode: Mode::Test,
    };
    let hook = endpoint(vec![]);
    let (retrying, failed) = (
        trigger(EventType::PaymentSucceeded),
        trigger(EventType::PaymentFailed),
    );
    let at = kassa_store::micros(base_time());
    sqlx::query("INSERT INTO businesses (id, created_at, body) VALUES ($1, 0, '{}')")
        .bind(scope.business.as_str())
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO webhook_endpoints (id, business_id, mode, disabled, filter_types, body)
         VALUES ($1, $2, 'test', false, '{}', CAST($3 AS jsonb))",
    )
    .bind(hook.id.as_str())
    .bind(scope.business.as_str())
    .bind(serde_json::to_string(&hook).unwrap())
    .execute(&mut conn)
    .await
    .unwrap();
    for (event, status, next) in [
        (&retrying, "pending", Some(at + 60_000_000)),
        (&failed, "failed", None),
    ] {
        sqlx::query(
            "INSERT INTO events (id, business_id, mode, type, object, occurred_at)
             VALUES ($1, $2, 'test', $3, $4, $5)",
        )
        .bind(event.id.as_str())
        .bind(scope.business.as_str())
        // As stored then: by Dodo's name (0010 renames it to the key).
        .bind(match event.kind {
            EventType::PaymentSucceeded => "payment.succeeded",
            _ => "payment.failed",
        })
        .bind(serde_json::to_string(&event.object).unwrap())
        .bind(at)
        .execute(&mut conn)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO webhook_deliveries (event_id, endpoint_id, business_id, mode, status,
                 attempts, next_attempt_at, created_at)
             VALUES ($1, $2, $3, 'test', $4, 1, $5, $6)",
        )
        .bind(event.id.as_str())
        .bind(hook.id.as_str())
        .bind(scope.business.as_str())
        .bind(status)
        .bind(next)
        .bind(at)
        .execute(&mut conn)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO webhook_attempts (event_id, endpoint_id, business_id, mode, number, at,
                 status_code, latency_ms, response, succeeded)
             VALUES ($1, $2, $3, 'test', 1, $4, 500, 3, 'busy', false)",
        )
        .bind(event.id.as_str())
        .bind(hook.id.as_str())
        .bind(scope.business.as_str())
        .bind(at)
        .execute(&mut conn)
        .await
        .unwrap();
    }
    {
        use sqlx::Connection;
        conn.close().await.unwrap();
    }

    let store = schema.connect().await;
    let log = store
        .list_deliveries(&scope, &hook.id, None, 10)
        .await
        .unwrap();
    assert_eq!(log.len(), 2, "both deliveries carried over");
    let status = |e: &kassa_core::webhook::Event| {
        log.iter()
            .find(|d| d.key.event == e.id)
            .map(|d| (d.status, d.next_attempt_at, d.attempts.len()))
    };
    assert_eq!(
        status(&retrying),
        Some((
            DeliveryStatus::Pending,
            Some(base_time() + Duration::minutes(1)),
            1
        ))
    );
    assert_eq!(status(&failed), Some((DeliveryStatus::Failed, None, 1)));
    let tail = store.attempts_after(&scope, 0, 10).await.unwrap();
    assert_eq!(tail.len(), 2, "attempts from before have long settled");

    let lease = Duration::seconds(30);
    let early = store
        .lease_deliveries("w", base_time(), lease, 10)
        .await
        .unwrap();
    assert!(early.is_empty(), "a retry is due at its time");
    let due = store
        .lease_deliveries("w", base_time() + Duration::minutes(1), lease, 10)
        .await
        .unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].event, retrying);
    assert_eq!(due[0].attempt, 2, "the attempt number goes on");
    let replayed = store
        .replay_failed(
            &scope,
            &hook.id,
            base_time() - Duration::days(1),
            base_time(),
        )
        .await
        .unwrap();
    assert_eq!(replayed, 1);
    store.pool().close().await;
}
