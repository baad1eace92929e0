//! What only PostgreSQL shows, with several nodes on one database: no job
//! is leased to two workers at once, and the attempt tail never skips an
//! attempt whose `seq` becomes visible after a larger one. Without
//! `KASSA_TEST_DATABASE_URL` they are skipped and counted (or fail under
//! `CI=true`).

mod common;

use std::collections::HashSet;
use std::time::Instant;

use common::Schema;
use kassa_core::tenancy::Scope;
use kassa_core::webhook::EventType;
use kassa_store::conformance::{base_time, endpoint, job, tenant, trigger};
use kassa_store::{Changes, JobStore, RecordStore, Records, WebhookStore};
use kassa_store_postgres::PgStore;
use time::Duration;

const KIND: &str = "node_test";
const JOBS: usize = 300;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn several_nodes_never_lease_one_job_or_delivery_twice() {
    let Some(schema) = Schema::fresh(
        "nodes::several_nodes_never_lease_one_job_or_delivery_twice",
        "nodes",
    ) else {
        return;
    };
    let nodes = [schema.connect().await, schema.connect().await];
    let t = tenant(&nodes[0], "Busy", base_time()).await;
    let change = (0..JOBS).fold(Changes::new(), |c, i| {
        c.schedule(job(KIND, base_time() + Duration::microseconds(i as i64)))
    });
    nodes[0].commit(&t.test, change).await.unwrap();

    let mut workers = tokio::task::JoinSet::new();
    for w in 0..8 {
        let node = nodes[w % 2].clone();
        workers.spawn(async move {
            let mut mine = Vec::new();
            loop {
                let now = base_time() + Duration::seconds(1);
                let leased = node
                    .lease_jobs(&format!("w{w}"), &[KIND], now, Duration::minutes(5), 7)
                    .await
                    .unwrap();
                if leased.is_empty() {
                    return mine;
                }
                mine.extend(leased.into_iter().map(|j| j.id));
            }
        });
    }
    let mut seen = HashSet::new();
    let mut total = 0;
    while let Some(mine) = workers.join_next().await {
        for id in mine.unwrap() {
            total += 1;
            assert!(seen.insert(id), "a job was leased twice");
        }
    }
    assert_eq!(total, JOBS, "every job was leased");

    // Deliveries are leased the same way.
    let hook = endpoint(vec![]);
    nodes[0].insert(&t.test, &hook).await.unwrap();
    let events = (0..JOBS).map(|_| trigger(EventType::PaymentSucceeded));
    let emit = Changes::new().emit_all(events);
    nodes[0].commit(&t.test, emit).await.unwrap();
    let mut workers = tokio::task::JoinSet::new();
    for w in 0..8 {
        let node = nodes[w % 2].clone();
        workers.spawn(async move {
            let mut mine = Vec::new();
            loop {
                let now = base_time() + Duration::seconds(1);
                let leased = node
                    .lease_deliveries(&format!("w{w}"), now, Duration::minutes(5), 7)
                    .await
                    .unwrap();
                if leased.is_empty() {
                    return mine;
                }
                mine.extend(leased.into_iter().map(|d| d.job));
            }
        });
    }
    let mut seen = HashSet::new();
    while let Some(mine) = workers.join_next().await {
        for id in mine.unwrap() {
            assert!(seen.insert(id), "a delivery was leased twice");
        }
    }
    assert_eq!(seen.len(), JOBS, "every delivery was leased");
}

/// Records attempt `number` of the delivery of `event` to `endpoint`
/// straight into the table, as a worker's transaction would, with an
/// optional `recorded_at` (µs ago by the database's clock).
fn attempt_sql(number: i64, ago: Option<i64>) -> String {
    let recorded = match ago {
        Some(us) => format!("(extract(epoch FROM clock_timestamp()) * 1000000)::bigint - {us}"),
        None => "DEFAULT".to_owned(),
    };
    format!(
        "INSERT INTO webhook_attempts (event_id, endpoint_id, business_id, mode, number, at,
             status_code, latency_ms, response, succeeded, recorded_at)
         VALUES ($1, $2, $3, $4, {number}, 0, 200, 1, '', true, {recorded})"
    )
}

async fn record(
    conn: &mut sqlx::PgConnection,
    scope: &Scope,
    key: (&str, &str),
    number: i64,
    ago: Option<i64>,
) {
    sqlx::query(sqlx::AssertSqlSafe(attempt_sql(number, ago)))
        .bind(key.0)
        .bind(key.1)
        .bind(scope.business.as_str())
        .bind(scope.mode.as_str())
        .execute(conn)
        .await
        .unwrap();
}

/// The numbers of the attempts the tail shows after `after`.
async fn shown(store: &PgStore, scope: &Scope, after: i64) -> Vec<(i64, u32)> {
    let tail = store.attempts_after(scope, after, 100).await.unwrap();
    tail.into_iter()
        .map(|a| (a.seq, a.attempt.number))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tail_waits_for_an_attempt_that_commits_after_a_larger_seq() {
    let Some(schema) = Schema::fresh(
        "nodes::the_tail_waits_for_an_attempt_that_commits_after_a_larger_seq",
        "tail",
    ) else {
        return;
    };
    let store = schema.connect().await;
    let t = tenant(&store, "Tailed", base_time()).await;
    let hook = endpoint(vec![]);
    store.insert(&t.test, &hook).await.unwrap();
    let event = trigger(EventType::PaymentSucceeded);
    let emit = Changes::new().emit(event.clone());
    store.commit(&t.test, emit).await.unwrap();
    let key = (event.id.as_str(), hook.id.as_str());

    // Attempt 1 draws its seq first but commits last.
    let mut slow = store.pool().begin().await.unwrap();
    record(&mut slow, &t.test, key, 1, None).await;
    let mut fast = store.pool().acquire().await.unwrap();
    record(&mut fast, &t.test, key, 2, None).await;
    assert!(
        shown(&store, &t.test, 0).await.is_empty(),
        "nothing shows before it settles"
    );
    let started = Instant::now();
    let mut committed = Some(slow);
    loop {
        if started.elapsed() > std::time::Duration::from_millis(500)
            && let Some(tx) = committed.take()
        {
            tx.commit().await.unwrap();
        }
        let seen: Vec<_> = shown(&store, &t.test, 0)
            .await
            .iter()
            .map(|s| s.1)
            .collect();
        assert!(
            [1, 2].starts_with(&seen),
            "the later seq never shows first: {seen:?}"
        );
        if seen.len() == 2 {
            break;
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let last = shown(&store, &t.test, 0).await[1].0;

    // A settled attempt behind one that has not settled waits for it.
    record(&mut fast, &t.test, key, 3, None).await;
    record(&mut fast, &t.test, key, 4, Some(10_000_000)).await;
    assert!(
        shown(&store, &t.test, last).await.is_empty(),
        "the page stops before the first attempt not yet settled"
    );
    let started = Instant::now();
    loop {
        let seen = shown(&store, &t.test, last).await;
        if !seen.is_empty() {
            assert_eq!(seen.iter().map(|s| s.1).collect::<Vec<_>>(), [3, 4]);
            break;
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
