//! Webhook use cases: endpoint management under the business's limit and
//! the outbound URL policy, the delivery log, resends, replays and test
//! triggers. Deliveries themselves are made by the `jobs` worker.

use std::collections::BTreeMap;

use kassa_core::id::{EventId, WebhookEndpointId};
use kassa_core::tenancy::Scope;
use kassa_core::webhook::{
    CustomHeaders, DeliveryKey, DeliveryLog, DeliveryStatus, Dialect, EndpointUrl, Event,
    EventObject, EventType, PrivateTargets, WebhookEndpoint, WebhookSecret, limits,
};
use kassa_store::{
    AttemptEntry, Changes, Conflict, EndpointCursor, Filter, Guard, Records, StoreError, Table,
};
use time::OffsetDateTime;

use crate::{App, AppError};

/// How webhooks behave on this server (operator configuration).
#[derive(Clone, Debug)]
pub struct WebhookSettings {
    /// Endpoints per business and mode (Dodo's dashboard allows 5).
    pub endpoint_limit: usize,
    pub private_targets: PrivateTargets,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        WebhookSettings {
            endpoint_limit: 5,
            private_targets: PrivateTargets::TestOnly,
        }
    }
}

/// A new endpoint, parsed by a dialect.
#[derive(Clone, Debug)]
pub struct EndpointDraft {
    /// The dialect that registered it, whose receivers it serves.
    pub dialect: Dialect,
    pub url: EndpointUrl,
    pub description: String,
    pub metadata: BTreeMap<String, String>,
    pub filter_types: Vec<EventType>,
    pub headers: CustomHeaders,
    pub rate_limit: Option<u32>,
    pub disabled: bool,
}

/// Changes to an endpoint; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct EndpointPatch {
    pub url: Option<EndpointUrl>,
    pub description: Option<String>,
    pub metadata: Option<BTreeMap<String, String>>,
    pub filter_types: Option<Vec<EventType>>,
    pub rate_limit: Option<Option<u32>>,
    pub disabled: Option<bool>,
}

impl App {
    pub fn webhook_settings(&self) -> &WebhookSettings {
        &self.webhooks
    }

    /// Refuses a URL whose host is a private address literal (or
    /// `localhost`) where the policy forbids it; names are checked again
    /// once resolved, at delivery.
    fn check_target(&self, scope: &Scope, url: &EndpointUrl) -> Result<(), AppError> {
        if let Some(ip) = url.literal_ip() {
            self.webhooks.private_targets.check(scope.mode, ip)?;
        }
        Ok(())
    }

    pub async fn create_webhook(
        &self,
        scope: &Scope,
        draft: EndpointDraft,
        idempotency_key: Option<&str>,
    ) -> Result<WebhookEndpoint, AppError> {
        self.check_target(scope, &draft.url)?;
        let description = limits::description(draft.description)?;
        let metadata = limits::metadata(draft.metadata)?;
        let now = self.now_in(scope).await?;
        let endpoint = WebhookEndpoint {
            id: WebhookEndpointId::generate(),
            dialect: draft.dialect,
            url: draft.url,
            description,
            metadata,
            filter_types: draft.filter_types,
            headers: draft.headers,
            rate_limit: draft.rate_limit,
            disabled: draft.disabled,
            secret: WebhookSecret::generate(),
            previous_secret: None,
            idempotency_key: idempotency_key.map(str::to_owned),
            created_at: now,
            updated_at: now,
        };
        let limit = self.webhooks.endpoint_limit;
        let by_key = |key: &str| Filter::new().eq("idempotency_key", key);
        if let Some(key) = idempotency_key
            && let Some(earlier) = self.store.first(scope, &by_key(key)).await?
        {
            return Ok(earlier);
        }
        let changes = Changes::new()
            .guard(Guard::Fewer {
                table: Table::WebhookEndpoints,
                filter: Filter::new(),
                limit: limit as u64,
            })
            .insert(&endpoint);
        match self.store.commit(scope, changes).await {
            Ok(()) => Ok(endpoint),
            Err(StoreError::Conflict(Conflict::TooMany { .. })) => Err(AppError::LimitReached {
                what: "webhook endpoint",
                limit,
            }),
            // The same key, created by a concurrent request: that one it is.
            Err(e @ StoreError::Conflict(Conflict::Taken { .. })) => match idempotency_key {
                Some(key) => self
                    .store
                    .first(scope, &by_key(key))
                    .await?
                    .ok_or_else(|| e.into()),
                None => Err(e.into()),
            },
            Err(e) => Err(e.into()),
        }
    }

    pub async fn webhook(
        &self,
        scope: &Scope,
        id: &WebhookEndpointId,
    ) -> Result<WebhookEndpoint, AppError> {
        self.store
            .get::<WebhookEndpoint>(scope, id.as_str())
            .await?
            .ok_or_else(|| AppError::not_found("webhook", id))
    }

    pub async fn list_webhooks(
        &self,
        scope: &Scope,
        cursor: &EndpointCursor,
        limit: usize,
    ) -> Result<Vec<WebhookEndpoint>, AppError> {
        Ok(self.store.list_endpoints(scope, cursor, limit).await?)
    }

    pub async fn update_webhook(
        &self,
        scope: &Scope,
        id: &WebhookEndpointId,
        patch: EndpointPatch,
    ) -> Result<WebhookEndpoint, AppError> {
        if let Some(url) = &patch.url {
            self.check_target(scope, url)?;
        }
        let mut patch = patch;
        patch.description = patch.description.map(limits::description).transpose()?;
        patch.metadata = patch.metadata.map(limits::metadata).transpose()?;
        let now = self.now_in(scope).await?;
        self.modify(
            scope,
            id.as_str(),
            "webhook",
            |endpoint: &mut WebhookEndpoint| {
                let patch = patch.clone();
                if let Some(url) = patch.url {
                    endpoint.url = url;
                }
                if let Some(description) = patch.description {
                    endpoint.description = description;
                }
                if let Some(metadata) = patch.metadata {
                    endpoint.metadata = metadata;
                }
                if let Some(filter_types) = patch.filter_types {
                    endpoint.filter_types = filter_types;
                }
                if let Some(rate_limit) = patch.rate_limit {
                    endpoint.rate_limit = rate_limit;
                }
                if let Some(disabled) = patch.disabled {
                    endpoint.disabled = disabled;
                }
                endpoint.updated_at = now;
                Ok(())
            },
        )
        .await
    }

    pub async fn delete_webhook(
        &self,
        scope: &Scope,
        id: &WebhookEndpointId,
    ) -> Result<(), AppError> {
        let changes = Changes::new().delete::<WebhookEndpoint>(id.as_str());
        match self.store.commit(scope, changes).await {
            Err(StoreError::Conflict(Conflict::Missing { .. })) => {
                Err(AppError::not_found("webhook", id))
            }
            other => Ok(other?),
        }
    }

    /// Adds or replaces custom headers.
    pub async fn merge_webhook_headers(
        &self,
        scope: &Scope,
        id: &WebhookEndpointId,
        headers: CustomHeaders,
    ) -> Result<(), AppError> {
        let now = self.now_in(scope).await?;
        self.modify(
            scope,
            id.as_str(),
            "webhook",
            |endpoint: &mut WebhookEndpoint| {
                endpoint.headers.merge(headers.clone());
                limits::header_count(endpoint.headers.len())?;
                endpoint.updated_at = now;
                Ok(())
            },
        )
        .await?;
        Ok(())
    }

    /// A new signing secret; the old one keeps signing for 24 hours.
    pub async fn rotate_webhook_secret(
        &self,
        scope: &Scope,
        id: &WebhookEndpointId,
    ) -> Result<WebhookEndpoint, AppError> {
        let now = self.now_in(scope).await?;
        self.modify(
            scope,
            id.as_str(),
            "webhook",
            |endpoint: &mut WebhookEndpoint| {
                endpoint.rotate_secret(now);
                Ok(())
            },
        )
        .await
    }

    pub async fn webhook_deliveries(
        &self,
        scope: &Scope,
        id: &WebhookEndpointId,
        status: Option<DeliveryStatus>,
        limit: usize,
    ) -> Result<Vec<DeliveryLog>, AppError> {
        self.webhook(scope, id).await?;
        Ok(self.store.list_deliveries(scope, id, status, limit).await?)
    }

    /// Sends one delivery again now (same `webhook-id`).
    pub async fn resend_delivery(
        &self,
        scope: &Scope,
        endpoint: &WebhookEndpointId,
        event: &EventId,
    ) -> Result<(), AppError> {
        let key = DeliveryKey {
            event: event.clone(),
            endpoint: endpoint.clone(),
        };
        match self
            .store
            .resend_delivery(scope, &key, self.now_in(scope).await?)
            .await
        {
            Err(kassa_store::StoreError::NotFound) => Err(AppError::not_found("delivery", event)),
            other => {
                other?;
                self.wake_deliveries();
                Ok(())
            }
        }
    }

    /// Sends every failed delivery of the endpoint since `since` again.
    pub async fn replay_failed_deliveries(
        &self,
        scope: &Scope,
        endpoint: &WebhookEndpointId,
        since: OffsetDateTime,
    ) -> Result<u64, AppError> {
        self.webhook(scope, endpoint).await?;
        let n = self
            .store
            .replay_failed(scope, endpoint, since, self.now_in(scope).await?)
            .await?;
        self.wake_deliveries();
        Ok(n)
    }

    /// Test mode: an event of any type with a sample `data` object, to the
    /// one endpoint, so a merchant can exercise a handler without a flow.
    pub async fn trigger_webhook_event(
        &self,
        scope: &Scope,
        endpoint: &WebhookEndpointId,
        kind: EventType,
        sample: String,
    ) -> Result<Event, AppError> {
        if scope.mode != kassa_core::tenancy::Mode::Test {
            return Err(AppError::TestModeOnly("triggering webhook events"));
        }
        self.webhook(scope, endpoint).await?;
        let event = Event::new(
            kind,
            EventObject::Snapshot(sample),
            self.now_in(scope).await?,
        );
        let changes = Changes::new().emit(event.clone()).only_to(endpoint.clone());
        self.commit(scope, changes).await?;
        Ok(event)
    }

    /// Attempts recorded after `after_seq`, for `kassa webhooks tail`.
    pub async fn webhook_attempts_after(
        &self,
        scope: &Scope,
        after_seq: i64,
        limit: usize,
    ) -> Result<Vec<AttemptEntry>, AppError> {
        Ok(self.store.attempts_after(scope, after_seq, limit).await?)
    }

    /// Tells the delivery worker that new deliveries are due, so they go
    /// out without waiting for its next poll.
    pub fn wake_deliveries(&self) {
        if let Some(wake) = self.wake.read().expect("wake lock").as_ref() {
            wake();
        }
    }

    /// Sets what [`App::wake_deliveries`] calls (the worker's notifier).
    pub fn on_new_deliveries(&self, wake: std::sync::Arc<dyn Fn() + Send + Sync>) {
        *self.wake.write().expect("wake lock") = Some(wake);
    }
}
