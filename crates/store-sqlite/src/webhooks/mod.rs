//! Webhook endpoint pages (endpoints are records otherwise); the event
//! outbox is in [`outbox`], and leases, attempts and the delivery log are
//! in [`deliveries`].

use async_trait::async_trait;
use kassa_core::id::WebhookEndpointId;
use kassa_core::tenancy::Scope;
use kassa_core::webhook::{Attempt, DeliveryKey, DeliveryLog, DeliveryStatus, WebhookEndpoint};
use kassa_store::{
    AfterAttempt, AttemptEntry, EndpointCursor, LeasedDelivery, StoreResult, WebhookStore,
};
use rusqlite::params;
use time::{Duration, OffsetDateTime};

use crate::{SqliteStore, backend, from_json};

mod deliveries;
mod outbox;

pub(crate) use outbox::enqueue_to;

#[async_trait]
impl WebhookStore for SqliteStore {
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
