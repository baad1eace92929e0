//! Webhook endpoints, the event outbox, delivery leases (`FOR UPDATE SKIP
//! LOCKED`, so several nodes never lease the same delivery) and the log.
//!
//! Endpoints are handled here; the outbox lives in [`outbox`] and the
//! delivery side (leases, attempts, the log) in [`deliveries`].

mod deliveries;
mod outbox;

use async_trait::async_trait;
use kassa_core::id::WebhookEndpointId;
use kassa_core::tenancy::Scope;
use kassa_core::webhook::{
    Attempt, DeliveryKey, DeliveryLog, DeliveryStatus, Event, WebhookEndpoint,
};
use kassa_store::{
    AfterAttempt, AttemptEntry, EndpointCursor, InsertedEndpoint, LeasedDelivery, StoreResult,
    WebhookStore,
};
use sqlx::AssertSqlSafe;
use sqlx::types::Json;
use time::{Duration, OffsetDateTime};

use crate::{PgStore, backend, conflict, from_json, get_one, one_row, to_json};

pub(crate) use outbox::enqueue_events;

fn type_names(endpoint: &WebhookEndpoint) -> Vec<String> {
    endpoint
        .filter_types
        .iter()
        .map(|t| t.as_str().to_owned())
        .collect()
}

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
        outbox::enqueue_to(&mut tx, scope, events, only).await?;
        tx.commit().await.map_err(backend)
    }

    async fn lease_deliveries(
        &self,
        worker: &str,
        now: OffsetDateTime,
        lease_for: Duration,
        limit: usize,
    ) -> StoreResult<Vec<LeasedDelivery>> {
        deliveries::lease_deliveries(self, worker, now, lease_for, limit).await
    }

    async fn finish_attempt(
        &self,
        worker: &str,
        key: &DeliveryKey,
        attempt: &Attempt,
        after: AfterAttempt,
        disable_endpoint: bool,
    ) -> StoreResult<bool> {
        deliveries::finish_attempt(self, worker, key, attempt, after, disable_endpoint).await
    }

    async fn defer_delivery(
        &self,
        worker: &str,
        key: &DeliveryKey,
        at: OffsetDateTime,
    ) -> StoreResult<()> {
        deliveries::defer_delivery(self, worker, key, at).await
    }

    async fn list_deliveries(
        &self,
        scope: &Scope,
        endpoint: &WebhookEndpointId,
        status: Option<DeliveryStatus>,
        limit: usize,
    ) -> StoreResult<Vec<DeliveryLog>> {
        deliveries::list_deliveries(self, scope, endpoint, status, limit).await
    }

    async fn resend_delivery(
        &self,
        scope: &Scope,
        key: &DeliveryKey,
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        deliveries::resend_delivery(self, scope, key, now).await
    }

    async fn replay_failed(
        &self,
        scope: &Scope,
        endpoint: &WebhookEndpointId,
        since: OffsetDateTime,
        now: OffsetDateTime,
    ) -> StoreResult<u64> {
        deliveries::replay_failed(self, scope, endpoint, since, now).await
    }

    async fn attempts_after(
        &self,
        scope: &Scope,
        after_seq: i64,
        limit: usize,
    ) -> StoreResult<Vec<AttemptEntry>> {
        deliveries::attempts_after(self, scope, after_seq, limit).await
    }
}
