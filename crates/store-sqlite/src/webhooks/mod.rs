//! Webhook endpoints; the event outbox is in [`outbox`], and leases,
//! attempts and the delivery log are in [`deliveries`].

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
use rusqlite::{OptionalExtension, params};
use time::{Duration, OffsetDateTime};

use crate::{SqliteStore, backend, from_json, get_one, one_row, to_json};

mod deliveries;
mod outbox;

pub(crate) use outbox::enqueue_events;

fn filter_json(endpoint: &WebhookEndpoint) -> String {
    serde_json::to_string(&endpoint.filter_types).expect("event types serialise")
}

#[async_trait]
impl WebhookStore for SqliteStore {
    async fn insert_endpoint(
        &self,
        scope: &Scope,
        endpoint: &WebhookEndpoint,
        idempotency_key: Option<&str>,
        limit: usize,
    ) -> StoreResult<InsertedEndpoint> {
        let (scope, endpoint) = (scope.clone(), endpoint.clone());
        let key = idempotency_key.map(str::to_owned);
        self.writer
            .write(move |c| {
                if let Some(key) = &key {
                    let found: Option<String> = c
                        .query_row(
                            "SELECT body FROM webhook_endpoints
                             WHERE business_id = ?1 AND mode = ?2 AND idempotency_key = ?3",
                            params![scope.business.as_str(), scope.mode.as_str(), key],
                            |r| r.get(0),
                        )
                        .optional()
                        .map_err(backend)?;
                    if let Some(body) = found {
                        return Ok(InsertedEndpoint::Existing(Box::new(from_json(&body)?)));
                    }
                }
                let count: i64 = c
                    .query_row(
                        "SELECT count(*) FROM webhook_endpoints WHERE business_id = ?1 AND mode = ?2",
                        params![scope.business.as_str(), scope.mode.as_str()],
                        |r| r.get(0),
                    )
                    .map_err(backend)?;
                if count as usize >= limit {
                    return Ok(InsertedEndpoint::LimitReached);
                }
                c.execute(
                    "INSERT INTO webhook_endpoints
                         (id, business_id, mode, disabled, filter_types, idempotency_key, body)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![
                        endpoint.id.as_str(),
                        scope.business.as_str(),
                        scope.mode.as_str(),
                        endpoint.disabled,
                        filter_json(&endpoint),
                        key,
                        to_json(&endpoint)?
                    ],
                )
                .map_err(|e| crate::conflict(e, "webhook"))?;
                Ok(InsertedEndpoint::Created)
            })
            .await
    }

    async fn get_endpoint(
        &self,
        scope: &Scope,
        id: &WebhookEndpointId,
    ) -> StoreResult<Option<WebhookEndpoint>> {
        let (scope, id) = (scope.clone(), id.to_string());
        self.readers
            .read(move |c| get_one(c, "webhook_endpoints", &scope, &id, ""))
            .await
    }

    async fn update_endpoint(&self, scope: &Scope, endpoint: &WebhookEndpoint) -> StoreResult<()> {
        let (scope, endpoint) = (scope.clone(), endpoint.clone());
        self.writer
            .write(move |c| {
                let changed = c
                    .execute(
                        "UPDATE webhook_endpoints SET disabled = ?1, filter_types = ?2, body = ?3
                         WHERE business_id = ?4 AND mode = ?5 AND id = ?6",
                        params![
                            endpoint.disabled,
                            filter_json(&endpoint),
                            to_json(&endpoint)?,
                            scope.business.as_str(),
                            scope.mode.as_str(),
                            endpoint.id.as_str()
                        ],
                    )
                    .map_err(backend)?;
                one_row(changed)
            })
            .await
    }

    async fn delete_endpoint(&self, scope: &Scope, id: &WebhookEndpointId) -> StoreResult<()> {
        let (scope, id) = (scope.clone(), id.to_string());
        self.writer
            .write(move |c| {
                let p = params![scope.business.as_str(), scope.mode.as_str(), id];
                let changed = c
                    .execute(
                        "DELETE FROM webhook_endpoints WHERE business_id = ?1 AND mode = ?2 AND id = ?3",
                        p,
                    )
                    .map_err(backend)?;
                one_row(changed)?;
                for table in ["webhook_deliveries", "webhook_attempts"] {
                    c.execute(
                        &format!(
                            "DELETE FROM {table} WHERE business_id = ?1 AND mode = ?2 AND endpoint_id = ?3"
                        ),
                        p,
                    )
                    .map_err(backend)?;
                }
                Ok(())
            })
            .await
    }

    async fn list_endpoints(
        &self,
        scope: &Scope,
        cursor: &EndpointCursor,
        limit: usize,
    ) -> StoreResult<Vec<WebhookEndpoint>> {
        let (scope, cursor) = (scope.clone(), cursor.clone());
        self.readers
            .read(move |c| {
                let (cond, order, from) = match &cursor {
                    EndpointCursor::Start => ("", "ASC", String::new()),
                    EndpointCursor::After(id) => ("AND id > ?3", "ASC", id.to_string()),
                    EndpointCursor::Before(id) => ("AND id < ?3", "DESC", id.to_string()),
                };
                let sql = format!(
                    "SELECT body FROM webhook_endpoints
                     WHERE business_id = ?1 AND mode = ?2 {cond} AND ?3 IS NOT NULL
                     ORDER BY id {order} LIMIT ?4"
                );
                let mut stmt = c.prepare_cached(&sql).map_err(backend)?;
                let bodies = stmt
                    .query_map(
                        params![
                            scope.business.as_str(),
                            scope.mode.as_str(),
                            from,
                            limit as i64
                        ],
                        |r| r.get::<_, String>(0),
                    )
                    .map_err(backend)?
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(backend)?;
                let mut out = bodies
                    .iter()
                    .map(|b| from_json(b))
                    .collect::<StoreResult<Vec<WebhookEndpoint>>>()?;
                if matches!(cursor, EndpointCursor::Before(_)) {
                    out.reverse();
                }
                Ok(out)
            })
            .await
    }

    async fn record_events(
        &self,
        scope: &Scope,
        events: &[Event],
        only: Option<&WebhookEndpointId>,
    ) -> StoreResult<()> {
        let (scope, events, only) = (scope.clone(), events.to_vec(), only.cloned());
        self.writer
            .write(move |c| outbox::enqueue_to(c, &scope, &events, only.as_ref()))
            .await
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
