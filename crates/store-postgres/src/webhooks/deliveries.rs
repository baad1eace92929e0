//! Delivery leases, attempts and the delivery log: the worker side of the
//! outbox (`FOR UPDATE SKIP LOCKED`, so several nodes never lease the same
//! delivery) and the per-endpoint history read back by the API.
//!
//! A delivery is a job of kind `deliver` (subject: the endpoint; event:
//! the event; key: `event:endpoint`, which the unique `(kind, key)` index
//! finds). `attempts` counts the attempts recorded: a lease is for the
//! next one, and its report is recorded only while the lease holds and
//! no other attempt was recorded meanwhile, so a lapsed lease's number is
//! made again by the worker that takes over.

use kassa_core::id::{BusinessId, EventId, WebhookEndpointId};
use kassa_core::tenancy::{Mode, Scope};
use kassa_core::webhook::{
    Attempt, DeliveryKey, DeliveryLog, DeliveryStatus, Event, EventObject, EventType,
};
use kassa_store::{AfterAttempt, AttemptEntry, LeasedDelivery, StoreError, StoreResult};
use sqlx::postgres::PgRow;
use sqlx::{AssertSqlSafe, Row};
use time::{Duration, OffsetDateTime};

use crate::jobs::{self, DB_NOW};
use crate::{PgStore, backend, from_json, from_micros, micros, one_row};

fn corrupt(what: &str) -> StoreError {
    StoreError::Backend(format!("corrupt webhook row: {what}").into())
}

fn read_event(row: &PgRow, at: usize) -> StoreResult<Event> {
    let text = |i: usize| row.try_get::<String, _>(at + i).map_err(backend);
    Ok(Event {
        id: EventId::parse(&text(0)?).map_err(|_| corrupt("event id"))?,
        kind: EventType::from_key(&text(1)?).ok_or_else(|| corrupt("event type"))?,
        object: serde_json::from_str::<EventObject>(&text(2)?).map_err(StoreError::backend)?,
        occurred_at: from_micros(row.try_get(at + 3).map_err(backend)?)?,
    })
}

fn read_attempt(row: &PgRow, at: usize) -> StoreResult<Attempt> {
    Ok(Attempt {
        number: row.try_get::<i64, _>(at).map_err(backend)? as u32,
        at: from_micros(row.try_get(at + 1).map_err(backend)?)?,
        status_code: row
            .try_get::<Option<i64>, _>(at + 2)
            .map_err(backend)?
            .map(|c| c as u16),
        latency_ms: row.try_get::<i64, _>(at + 3).map_err(backend)? as u32,
        response: row.try_get(at + 4).map_err(backend)?,
        succeeded: row.try_get(at + 5).map_err(backend)?,
    })
}

const ATTEMPT_COLUMNS: &str = "number, at, status_code, latency_ms, response, succeeded";

/// How long an attempt waits before the tail shows it (microseconds): a
/// transaction that drew a smaller `seq` commits well within it.
const SETTLE_US: i64 = 2_000_000;

/// A delivery's job key.
fn job_key(key: &DeliveryKey) -> String {
    format!("{}:{}", key.event, key.endpoint)
}

pub(super) async fn lease_deliveries(
    store: &PgStore,
    worker: &str,
    now: OffsetDateTime,
    lease_for: Duration,
    limit: usize,
) -> StoreResult<Vec<LeasedDelivery>> {
    let due = jobs::due("$3");
    let rows = sqlx::query(AssertSqlSafe(format!(
        "WITH picked AS (
                 SELECT j.id FROM jobs j
                 JOIN webhook_endpoints e ON e.id = j.subject AND NOT e.disabled
                 WHERE j.kind = 'deliver' AND {due}
                 ORDER BY j.run_at LIMIT $4
                 FOR UPDATE OF j SKIP LOCKED),
             leased AS (
                 UPDATE jobs j SET lease_owner = $1, lease_until = $2
                 FROM picked WHERE j.id = picked.id
                 RETURNING j.id, j.event_id, j.subject, j.attempts, j.run_at)
             SELECT l.attempts, ev.business_id, ev.mode,
                    ev.id, ev.type, ev.object, ev.occurred_at, e.body::text, l.id
             FROM leased l
             JOIN events ev ON ev.id = l.event_id
             JOIN webhook_endpoints e ON e.id = l.subject
             ORDER BY l.run_at"
    )))
    .bind(worker)
    .bind(micros(now + lease_for))
    .bind(micros(now))
    .bind(limit as i64)
    .fetch_all(&store.pool)
    .await
    .map_err(backend)?;
    rows.iter()
        .map(|r| {
            let business: String = r.try_get(1).map_err(backend)?;
            let mode: String = r.try_get(2).map_err(backend)?;
            Ok(LeasedDelivery {
                scope: Scope {
                    business: BusinessId::parse(&business).map_err(|_| corrupt("business"))?,
                    mode: Mode::parse(&mode).ok_or_else(|| corrupt("mode"))?,
                },
                event: read_event(r, 3)?,
                endpoint: from_json(&r.try_get::<String, _>(7).map_err(backend)?)?,
                attempt: u32::try_from(r.try_get::<i64, _>(0).map_err(backend)? + 1)
                    .map_err(|_| corrupt("attempts"))?,
                job: r.try_get(8).map_err(backend)?,
            })
        })
        .collect()
}

pub(super) async fn finish_attempt(
    store: &PgStore,
    worker: &str,
    key: &DeliveryKey,
    attempt: &Attempt,
    after: AfterAttempt,
    disable_endpoint: bool,
) -> StoreResult<bool> {
    let (status, next) = match after {
        AfterAttempt::Succeeded => (DeliveryStatus::Succeeded, None),
        AfterAttempt::RetryAt(at) => (DeliveryStatus::Pending, Some(micros(at))),
        AfterAttempt::Failed => (DeliveryStatus::Failed, None),
    };
    let mut tx = store.pool.begin().await.map_err(backend)?;
    let job_key = job_key(key);
    let done = sqlx::query(
        "UPDATE jobs
             SET attempts = $1, status = $2, run_at = COALESCE($3, run_at),
                 lease_owner = NULL, lease_until = NULL, updated_at = $6
             WHERE kind = 'deliver' AND key = $4 AND lease_owner = $5 AND attempts = $1 - 1
               AND status = 'pending'",
    )
    .bind(i64::from(attempt.number))
    .bind(status.as_str())
    .bind(next)
    .bind(&job_key)
    .bind(worker)
    .bind(micros(attempt.at))
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO webhook_attempts
                 (event_id, endpoint_id, business_id, mode, {ATTEMPT_COLUMNS})
             SELECT event_id, subject, business_id, mode, $2, $3, $4, $5, $6, $7
             FROM jobs WHERE kind = 'deliver' AND key = $1"
    )))
    .bind(&job_key)
    .bind(i64::from(attempt.number))
    .bind(micros(attempt.at))
    .bind(attempt.status_code.map(i64::from))
    .bind(i64::from(attempt.latency_ms))
    .bind(&attempt.response)
    .bind(attempt.succeeded)
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    if disable_endpoint {
        sqlx::query(
            "UPDATE webhook_endpoints
                 SET disabled = true, version = version + 1,
                     body = jsonb_set(body, '{disabled}', 'true'::jsonb)
                 WHERE id = $1",
        )
        .bind(key.endpoint.as_str())
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
    }
    tx.commit().await.map_err(backend)?;
    Ok(true)
}

pub(super) async fn defer_delivery(
    store: &PgStore,
    worker: &str,
    key: &DeliveryKey,
    at: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE jobs
             SET run_at = $1, lease_owner = NULL, lease_until = NULL
             WHERE kind = 'deliver' AND key = $2 AND lease_owner = $3 AND status = 'pending'",
    )
    .bind(micros(at))
    .bind(job_key(key))
    .bind(worker)
    .execute(&store.pool)
    .await
    .map_err(backend)?;
    Ok(())
}

pub(super) async fn list_deliveries(
    store: &PgStore,
    scope: &Scope,
    endpoint: &WebhookEndpointId,
    status: Option<DeliveryStatus>,
    limit: usize,
) -> StoreResult<Vec<DeliveryLog>> {
    let rows = sqlx::query(
        "SELECT d.event_id, ev.type, d.status, d.created_at, d.run_at
             FROM jobs d JOIN events ev ON ev.id = d.event_id
             WHERE d.business_id = $1 AND d.mode = $2 AND d.kind = 'deliver' AND d.subject = $3
               AND d.status <> 'cancelled' AND ($4::text IS NULL OR d.status = $4)
             ORDER BY d.created_at DESC, d.event_id DESC LIMIT $5",
    )
    .bind(scope.business.as_str())
    .bind(scope.mode.as_str())
    .bind(endpoint.as_str())
    .bind(status.map(DeliveryStatus::as_str))
    .bind(limit as i64)
    .fetch_all(&store.pool)
    .await
    .map_err(backend)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let event: String = r.try_get(0).map_err(backend)?;
        let status: String = r.try_get(2).map_err(backend)?;
        let status = DeliveryStatus::parse(&status).ok_or_else(|| corrupt("status"))?;
        let next: Option<i64> = r.try_get(4).map_err(backend)?;
        let attempts = sqlx::query(AssertSqlSafe(format!(
            "SELECT {ATTEMPT_COLUMNS} FROM webhook_attempts
                 WHERE event_id = $1 AND endpoint_id = $2 ORDER BY number"
        )))
        .bind(&event)
        .bind(endpoint.as_str())
        .fetch_all(&store.pool)
        .await
        .map_err(backend)?
        .iter()
        .map(|a| read_attempt(a, 0))
        .collect::<StoreResult<Vec<_>>>()?;
        out.push(DeliveryLog {
            key: DeliveryKey {
                event: EventId::parse(&event).map_err(|_| corrupt("event id"))?,
                endpoint: endpoint.clone(),
            },
            event_type: EventType::from_key(&r.try_get::<String, _>(1).map_err(backend)?)
                .ok_or_else(|| corrupt("type"))?,
            status,
            created_at: from_micros(r.try_get(3).map_err(backend)?)?,
            next_attempt_at: match (status, next) {
                (DeliveryStatus::Pending, Some(n)) => Some(from_micros(n)?),
                _ => None,
            },
            attempts,
        });
    }
    Ok(out)
}

pub(super) async fn resend_delivery(
    store: &PgStore,
    scope: &Scope,
    key: &DeliveryKey,
    now: OffsetDateTime,
) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE jobs SET status = 'pending', run_at = $1
             WHERE business_id = $2 AND mode = $3 AND kind = 'deliver' AND key = $4",
    )
    .bind(micros(now))
    .bind(scope.business.as_str())
    .bind(scope.mode.as_str())
    .bind(job_key(key))
    .execute(&store.pool)
    .await
    .map_err(backend)?;
    one_row(done.rows_affected())
}

pub(super) async fn replay_failed(
    store: &PgStore,
    scope: &Scope,
    endpoint: &WebhookEndpointId,
    since: OffsetDateTime,
    now: OffsetDateTime,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "UPDATE jobs SET status = 'pending', run_at = $1
             WHERE business_id = $2 AND mode = $3 AND kind = 'deliver' AND subject = $4
               AND status = 'failed' AND created_at >= $5",
    )
    .bind(micros(now))
    .bind(scope.business.as_str())
    .bind(scope.mode.as_str())
    .bind(endpoint.as_str())
    .bind(micros(since))
    .execute(&store.pool)
    .await
    .map_err(backend)?;
    Ok(done.rows_affected())
}

/// The scope's attempts after `after_seq`, in `seq` order, that have
/// settled: recorded (`recorded_at`, by the database's clock) at least
/// [`SETTLE_US`] ago.
///
/// `seq` is a `BIGSERIAL`, drawn when an attempt is inserted, but
/// transactions commit in any order: attempt 7 may be visible while 6 is
/// still uncommitted, and a tail that moved its cursor to 7 would never
/// show 6. Every transaction that records an attempt is short, so one
/// that drew a smaller `seq` has committed by the time a larger one has
/// settled. The page also stops before the first visible attempt that has
/// not settled, so a later one never passes it (their clocks are read
/// apart from their `seq`). An attempt thus reaches the tail about two
/// seconds after it is recorded, and always in `seq` order.
pub(super) async fn attempts_after(
    store: &PgStore,
    scope: &Scope,
    after_seq: i64,
    limit: usize,
) -> StoreResult<Vec<AttemptEntry>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "WITH settled AS (SELECT {DB_NOW} - $5 AS cutoff)
             SELECT a.seq, a.endpoint_id, a.event_id, ev.type,
                    a.number, a.at, a.status_code, a.latency_ms, a.response, a.succeeded
             FROM webhook_attempts a JOIN events ev ON ev.id = a.event_id, settled s
             WHERE a.business_id = $1 AND a.mode = $2 AND a.seq > $3
               AND a.recorded_at <= s.cutoff
               AND a.seq < COALESCE((
                   SELECT min(u.seq) FROM webhook_attempts u
                   WHERE u.business_id = $1 AND u.mode = $2 AND u.seq > $3
                     AND u.recorded_at > s.cutoff), 9223372036854775807)
             ORDER BY a.seq LIMIT $4"
    )))
    .bind(scope.business.as_str())
    .bind(scope.mode.as_str())
    .bind(after_seq)
    .bind(limit as i64)
    .bind(SETTLE_US)
    .fetch_all(&store.pool)
    .await
    .map_err(backend)?;
    rows.iter()
        .map(|r| {
            let text = |i: usize| r.try_get::<String, _>(i).map_err(backend);
            Ok(AttemptEntry {
                seq: r.try_get(0).map_err(backend)?,
                endpoint: WebhookEndpointId::parse(&text(1)?)
                    .map_err(|_| corrupt("endpoint id"))?,
                event: EventId::parse(&text(2)?).map_err(|_| corrupt("event id"))?,
                event_type: EventType::from_key(&text(3)?).ok_or_else(|| corrupt("type"))?,
                attempt: read_attempt(r, 4)?,
            })
        })
        .collect()
}
