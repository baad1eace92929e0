//! Webhook endpoints, the event outbox, delivery leases (`FOR UPDATE SKIP
//! LOCKED`, so several nodes never lease the same delivery) and the log.

use async_trait::async_trait;
use kassa_core::id::{BusinessId, EventId, WebhookEndpointId};
use kassa_core::tenancy::{Mode, Scope};
use kassa_core::webhook::{
    Attempt, DeliveryKey, DeliveryLog, DeliveryStatus, Event, EventObject, EventType,
    WebhookEndpoint,
};
use kassa_store::{
    AfterAttempt, AttemptEntry, EndpointCursor, InsertedEndpoint, LeasedDelivery, StoreError,
    StoreResult, WebhookStore,
};
use sqlx::postgres::PgRow;
use sqlx::types::Json;
use sqlx::{AssertSqlSafe, PgConnection, Row};
use time::{Duration, OffsetDateTime};

use crate::{
    PgStore, backend, conflict, from_json, from_micros, get_one, micros, one_row, to_json,
};

fn corrupt(what: &str) -> StoreError {
    StoreError::Backend(format!("corrupt webhook row: {what}").into())
}

fn type_names(endpoint: &WebhookEndpoint) -> Vec<String> {
    endpoint
        .filter_types
        .iter()
        .map(|t| t.as_str().to_owned())
        .collect()
}

/// Writes the events and one pending delivery per enabled endpoint of the
/// scope that wants each, inside the caller's transaction.
pub(crate) async fn enqueue_events(
    tx: &mut PgConnection,
    scope: &Scope,
    events: &[Event],
) -> StoreResult<()> {
    enqueue_to(tx, scope, events, None).await
}

/// [`enqueue_events`], or with `only` to that one endpoint whatever its filter.
async fn enqueue_to(
    tx: &mut PgConnection,
    scope: &Scope,
    events: &[Event],
    only: Option<&WebhookEndpointId>,
) -> StoreResult<()> {
    for event in events {
        sqlx::query(
            "INSERT INTO events (id, business_id, mode, type, object, occurred_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(event.id.as_str())
        .bind(scope.business.as_str())
        .bind(scope.mode.as_str())
        .bind(event.kind.as_str())
        .bind(serde_json::to_string(&event.object).expect("event objects serialise"))
        .bind(micros(event.occurred_at))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        sqlx::query(
            "INSERT INTO webhook_deliveries
                 (event_id, endpoint_id, business_id, mode, status, next_attempt_at, created_at)
             SELECT $1, e.id, e.business_id, e.mode, 'pending', $4, $4
             FROM webhook_endpoints e
             WHERE e.business_id = $2 AND e.mode = $3 AND NOT e.disabled
               AND CASE WHEN $6::text IS NULL
                   THEN cardinality(e.filter_types) = 0 OR $5 = ANY (e.filter_types)
                   ELSE e.id = $6 END",
        )
        .bind(event.id.as_str())
        .bind(scope.business.as_str())
        .bind(scope.mode.as_str())
        .bind(micros(event.occurred_at))
        .bind(event.kind.as_str())
        .bind(only.map(|id| id.as_str()))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
    }
    Ok(())
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

#[async_trait]
impl WebhookStore for PgStore {
    async fn insert_endpoint(
        &self,
        scope: &Scope,
        endpoint: &WebhookEndpoint,
        idempotency_key: Option<&str>,
        limit: usize,
    ) -> StoreResult<InsertedEndpoint> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        // The business row's lock serialises endpoint inserts, so the
        // count below cannot be overtaken by another node's insert.
        sqlx::query("SELECT 1 FROM businesses WHERE id = $1 FOR UPDATE")
            .bind(scope.business.as_str())
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        if let Some(key) = idempotency_key {
            let found: Option<Json<serde_json::Value>> = sqlx::query_scalar(
                "SELECT body FROM webhook_endpoints
                 WHERE business_id = $1 AND mode = $2 AND idempotency_key = $3",
            )
            .bind(scope.business.as_str())
            .bind(scope.mode.as_str())
            .bind(key)
            .fetch_optional(&mut *tx)
            .await
            .map_err(backend)?;
            if let Some(body) = found {
                return Ok(InsertedEndpoint::Existing(Box::new(from_json(body)?)));
            }
        }
        let count: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM webhook_endpoints WHERE business_id = $1 AND mode = $2",
        )
        .bind(scope.business.as_str())
        .bind(scope.mode.as_str())
        .fetch_one(&mut *tx)
        .await
        .map_err(backend)?;
        if count as usize >= limit {
            return Ok(InsertedEndpoint::LimitReached);
        }
        sqlx::query(
            "INSERT INTO webhook_endpoints
                 (id, business_id, mode, disabled, filter_types, idempotency_key, body)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(endpoint.id.as_str())
        .bind(scope.business.as_str())
        .bind(scope.mode.as_str())
        .bind(endpoint.disabled)
        .bind(type_names(endpoint))
        .bind(idempotency_key)
        .bind(to_json(endpoint)?)
        .execute(&mut *tx)
        .await
        .map_err(|e| conflict(e, "webhook"))?;
        tx.commit().await.map_err(backend)?;
        Ok(InsertedEndpoint::Created)
    }

    async fn get_endpoint(
        &self,
        scope: &Scope,
        id: &WebhookEndpointId,
    ) -> StoreResult<Option<WebhookEndpoint>> {
        get_one(&self.pool, "webhook_endpoints", scope, id.as_str(), "").await
    }

    async fn update_endpoint(&self, scope: &Scope, endpoint: &WebhookEndpoint) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE webhook_endpoints SET disabled = $1, filter_types = $2, body = $3
             WHERE business_id = $4 AND mode = $5 AND id = $6",
        )
        .bind(endpoint.disabled)
        .bind(type_names(endpoint))
        .bind(to_json(endpoint)?)
        .bind(scope.business.as_str())
        .bind(scope.mode.as_str())
        .bind(endpoint.id.as_str())
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        one_row(done.rows_affected())
    }

    async fn delete_endpoint(&self, scope: &Scope, id: &WebhookEndpointId) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        for table in [
            "webhook_endpoints",
            "webhook_deliveries",
            "webhook_attempts",
        ] {
            let column = if table == "webhook_endpoints" {
                "id"
            } else {
                "endpoint_id"
            };
            let done = sqlx::query(AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE business_id = $1 AND mode = $2 AND {column} = $3"
            )))
            .bind(scope.business.as_str())
            .bind(scope.mode.as_str())
            .bind(id.as_str())
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
            if table == "webhook_endpoints" {
                one_row(done.rows_affected())?;
            }
        }
        tx.commit().await.map_err(backend)
    }

    async fn list_endpoints(
        &self,
        scope: &Scope,
        cursor: &EndpointCursor,
        limit: usize,
    ) -> StoreResult<Vec<WebhookEndpoint>> {
        let (cond, order, from) = match cursor {
            EndpointCursor::Start => ("", "ASC", String::new()),
            EndpointCursor::After(id) => ("AND id > $3", "ASC", id.to_string()),
            EndpointCursor::Before(id) => ("AND id < $3", "DESC", id.to_string()),
        };
        let bodies: Vec<Json<serde_json::Value>> = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT body FROM webhook_endpoints
             WHERE business_id = $1 AND mode = $2 {cond} AND $3::text IS NOT NULL
             ORDER BY id {order} LIMIT $4"
        )))
        .bind(scope.business.as_str())
        .bind(scope.mode.as_str())
        .bind(from)
        .bind(limit as i64)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        let mut out = bodies
            .into_iter()
            .map(from_json)
            .collect::<StoreResult<Vec<WebhookEndpoint>>>()?;
        if matches!(cursor, EndpointCursor::Before(_)) {
            out.reverse();
        }
        Ok(out)
    }

    async fn record_events(
        &self,
        scope: &Scope,
        events: &[Event],
        only: Option<&WebhookEndpointId>,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        enqueue_to(&mut tx, scope, events, only).await?;
        tx.commit().await.map_err(backend)
    }

    async fn lease_deliveries(
        &self,
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
                    ev.id, ev.type, ev.object, ev.occurred_at, e.body
             FROM leased l
             JOIN events ev ON ev.id = l.event_id
             JOIN webhook_endpoints e ON e.id = l.endpoint_id",
        )
        .bind(worker)
        .bind(micros(now + lease_for))
        .bind(micros(now))
        .bind(limit as i64)
        .fetch_all(&self.pool)
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
                    endpoint: from_json(r.try_get(7).map_err(backend)?)?,
                    attempt: r.try_get::<i64, _>(0).map_err(backend)? as u32 + 1,
                })
            })
            .collect()
    }

    async fn finish_attempt(
        &self,
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
        let mut tx = self.pool.begin().await.map_err(backend)?;
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
                 SET disabled = true, body = jsonb_set(body, '{disabled}', 'true'::jsonb)
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

    async fn defer_delivery(
        &self,
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
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn list_deliveries(
        &self,
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
        .fetch_all(&self.pool)
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
            .fetch_all(&self.pool)
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

    async fn resend_delivery(
        &self,
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
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        one_row(done.rows_affected())
    }

    async fn replay_failed(
        &self,
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
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected())
    }

    async fn attempts_after(
        &self,
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
        .fetch_all(&self.pool)
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
}
