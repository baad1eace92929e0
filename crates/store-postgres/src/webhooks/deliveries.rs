//! Delivery leases, attempts and the delivery log: the worker side of the
//! outbox (`FOR UPDATE SKIP LOCKED`, so several nodes never lease the same
//! delivery) and the per-endpoint history read back by the API.

use kassa_core::id::{BusinessId, EventId, WebhookEndpointId};
use kassa_core::tenancy::{Mode, Scope};
use kassa_core::webhook::{
    Attempt, DeliveryKey, DeliveryLog, DeliveryStatus, Event, EventObject, EventType,
};
use kassa_store::{AfterAttempt, AttemptEntry, LeasedDelivery, StoreError, StoreResult};
use sqlx::postgres::PgRow;
use sqlx::{AssertSqlSafe, Row};
use time::{Duration, OffsetDateTime};

use crate::{PgStore, backend, from_json, from_micros, micros, one_row};

fn corrupt(what: &str) -> StoreError {
    StoreError::Backend(format!("corrupt webhook row: {what}").into())
}

fn read_event(row: &PgRow, at: usize) -> StoreResult<Event> {
    let text = |i: usize| row.try_get::<String, _>(at + i).map_err(backend);
    Ok(Event {
        id: EventId::parse(&text(0)?).map_err(|_| corrupt("event id"))?,
        kind: EventType::parse(&text(1)?).map_err(|_| corrupt("event type"))?,
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

pub(super) async fn lease_deliveries(
    store: &PgStore,
    worker: &str,
    now: OffsetDateTime,
    lease_for: Duration,
    limit: usize,
) -> StoreResult<Vec<LeasedDelivery>> {
    let rows = sqlx::query(
        "WITH due AS (
                 SELECT d.event_id, d.endpoint_id FROM webhook_deliveries d
                 JOIN webhook_endpoints e ON e.id = d.endpoint_id AND NOT e.disabled
                 WHERE d.status = 'pending' AND d.next_attempt_at <= $3
                   AND (d.lease_until IS NULL OR d.lease_until < $3)
                 ORDER BY d.next_attempt_at LIMIT $4
                 FOR UPDATE OF d SKIP LOCKED),
             leased AS (
                 UPDATE webhook_deliveries d SET lease_owner = $1, lease_until = $2
                 FROM due WHERE d.event_id = due.event_id AND d.endpoint_id = due.endpoint_id
                 RETURNING d.event_id, d.endpoint_id, d.attempts)
             SELECT l.attempts, ev.business_id, ev.mode,
                    ev.id, ev.type, ev.object, ev.occurred_at, e.body::text
             FROM leased l
             JOIN events ev ON ev.id = l.event_id
             JOIN webhook_endpoints e ON e.id = l.endpoint_id",
    )
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
                attempt: r.try_get::<i64, _>(0).map_err(backend)? as u32 + 1,
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
    let done = sqlx::query(
        "UPDATE webhook_deliveries
             SET attempts = $1, status = $2, next_attempt_at = $3,
                 lease_owner = NULL, lease_until = NULL
             WHERE event_id = $4 AND endpoint_id = $5 AND lease_owner = $6 AND attempts = $1 - 1",
    )
    .bind(i64::from(attempt.number))
    .bind(status.as_str())
    .bind(next)
    .bind(key.event.as_str())
    .bind(key.endpoint.as_str())
    .bind(worker)
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO webhook_attempts
                 (event_id, endpoint_id, business_id, mode, {ATTEMPT_COLUMNS})
             SELECT event_id, endpoint_id, business_id, mode, $3, $4, $5, $6, $7, $8
             FROM webhook_deliveries WHERE event_id = $1 AND endpoint_id = $2"
    )))
    .bind(key.event.as_str())
    .bind(key.endpoint.as_str())
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
        "UPDATE webhook_deliveries
             SET next_attempt_at = $1, lease_owner = NULL, lease_until = NULL
             WHERE event_id = $2 AND endpoint_id = $3 AND lease_owner = $4",
    )
    .bind(micros(at))
    .bind(key.event.as_str())
    .bind(key.endpoint.as_str())
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
        "SELECT d.event_id, ev.type, d.status, d.created_at, d.next_attempt_at
             FROM webhook_deliveries d JOIN events ev ON ev.id = d.event_id
             WHERE d.business_id = $1 AND d.mode = $2 AND d.endpoint_id = $3
               AND ($4::text IS NULL OR d.status = $4)
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
            event_type: EventType::parse(&r.try_get::<String, _>(1).map_err(backend)?)
                .map_err(|_| corrupt("type"))?,
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
        "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $1
             WHERE business_id = $2 AND mode = $3 AND event_id = $4 AND endpoint_id = $5",
    )
    .bind(micros(now))
    .bind(scope.business.as_str())
    .bind(scope.mode.as_str())
    .bind(key.event.as_str())
    .bind(key.endpoint.as_str())
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
        "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $1
             WHERE business_id = $2 AND mode = $3 AND endpoint_id = $4
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

pub(super) async fn attempts_after(
    store: &PgStore,
    scope: &Scope,
    after_seq: i64,
    limit: usize,
) -> StoreResult<Vec<AttemptEntry>> {
    let rows = sqlx::query(
        "SELECT a.seq, a.endpoint_id, a.event_id, ev.type,
                    a.number, a.at, a.status_code, a.latency_ms, a.response, a.succeeded
             FROM webhook_attempts a JOIN events ev ON ev.id = a.event_id
             WHERE a.business_id = $1 AND a.mode = $2 AND a.seq > $3
             ORDER BY a.seq LIMIT $4",
    )
    .bind(scope.business.as_str())
    .bind(scope.mode.as_str())
    .bind(after_seq)
    .bind(limit as i64)
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
                event_type: EventType::parse(&text(3)?).map_err(|_| corrupt("type"))?,
                attempt: read_attempt(r, 4)?,
            })
        })
        .collect()
}
