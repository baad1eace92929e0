//! Webhook use cases: endpoint management under the business's limit and
//! the outbound URL policy, the delivery log, resends, replays and test
//! triggers. Deliveries themselves are made by the `jobs` worker.

use std::collections::BTreeMap;

use kassa_core::DomainError;
use kassa_core::id::{EventId, WebhookEndpointId};
use kassa_core::tenancy::Scope;
use kassa_core::webhook::{
    CustomHeaders, DeliveryKey, DeliveryLog, DeliveryStatus, EndpointUrl, Event, EventObject,
    EventType, PrivateTargets, WebhookEndpoint, WebhookSecret,
};
use kassa_store::{AttemptEntry, EndpointCursor, InsertedEndpoint};
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
        let now = self.now();
        let endpoint = WebhookEndpoint {
            id: WebhookEndpointId::generate(),
            url: draft.url,
            description: draft.description,
            metadata: draft.metadata,
            filter_types: draft.filter_types,
            headers: draft.headers,
            rate_limit: draft.rate_limit,
            disabled: draft.disabled,
            secret: WebhookSecret::generate(),
            previous_secret: None,
            created_at: now,
            updated_at: now,
        };
        let limit = self.webhooks.endpoint_limit;
        match self
            .store
            .insert_endpoint(scope, &endpoint, idempotency_key, limit)
            .await?
        {
            InsertedEndpoint::Created => Ok(endpoint),
            InsertedEndpoint::Existing(earlier) => Ok(*earlier),
            InsertedEndpoint::LimitReached => Err(AppError::LimitReached {
                what: "webhook endpoint",
                limit,
            }),
        }
    }

    pub async fn webhook(
        &self,
        scope: &Scope,
        id: &WebhookEndpointId,
    ) -> Result<WebhookEndpoint, AppError> {
        self.store
            .get_endpoint(scope, id)
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
        let mut endpoint = self.webhook(scope, id).await?;
        if let Some(url) = patch.url {
            self.check_target(scope, &url)?;
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
        endpoint.updated_at = self.now();
        self.store.update_endpoint(scope, &endpoint).await?;
        Ok(endpoint)
    }

    pub async fn delete_webhook(
        &self,
        scope: &Scope,
        id: &WebhookEndpointId,
    ) -> Result<(), AppError> {
        match self.store.delete_endpoint(scope, id).await {
            Err(kassa_store::StoreError::NotFound) => Err(AppError::not_found("webhook", id)),
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
        let mut endpoint = self.webhook(scope, id).await?;
        endpoint.headers.merge(headers);
        endpoint.updated_at = self.now();
        self.store.update_endpoint(scope, &endpoint).await?;
        Ok(())
    }

    /// A new signing secret; the old one keeps signing for 24 hours.
    pub async fn rotate_webhook_secret(
        &self,
        scope: &Scope,
        id: &WebhookEndpointId,
    ) -> Result<WebhookEndpoint, AppError> {
        let mut endpoint = self.webhook(scope, id).await?;
        endpoint.rotate_secret(self.now());
        self.store.update_endpoint(scope, &endpoint).await?;
        Ok(endpoint)
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
        match self.store.resend_delivery(scope, &key, self.now()).await {
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
            .replay_failed(scope, endpoint, since, self.now())
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
        let event = Event::new(kind, EventObject::Snapshot(sample), self.now());
        self.store
            .record_events(scope, std::slice::from_ref(&event), Some(endpoint))
            .await?;
        self.wake_deliveries();
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

/// Parses a list of event type names (`filter_types`).
pub fn parse_event_types(names: &[String]) -> Result<Vec<EventType>, DomainError> {
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let kind = EventType::parse(name)?;
        if !out.contains(&kind) {
            out.push(kind);
        }
    }
    Ok(out)
}
