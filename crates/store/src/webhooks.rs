//! The named queries of webhook delivery: endpoint pages, leases,
//! attempts and the delivery log. Endpoints themselves are records.
//!
//! Events are written by the commit of the change that raises them (see
//! [`Changes::emit`](crate::Changes::emit)); each backend then adds, in the
//! same transaction, one pending delivery per enabled endpoint of the scope
//! that wants the event's type. Workers lease due deliveries: a lease is
//! exclusive until it expires, so two workers never make the same attempt,
//! and a crashed worker's deliveries come due again when its lease lapses.

use async_trait::async_trait;
use kassa_core::id::{EventId, WebhookEndpointId};
use kassa_core::tenancy::Scope;
use kassa_core::webhook::{
    Attempt, DeliveryKey, DeliveryLog, DeliveryStatus, Event, EventType, WebhookEndpoint,
};
use time::{Duration, OffsetDateTime};

use crate::StoreResult;

/// Where a page of endpoints starts (ids are time-ordered).
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum EndpointCursor {
    Start,
    /// The page after this id (the previous page's `iterator`).
    After(WebhookEndpointId),
    /// The page before this id (a page's `prev_iterator`).
    Before(WebhookEndpointId),
}

/// A due delivery, held by one worker until `lease_until`.
#[derive(Clone, PartialEq, Debug)]
pub struct LeasedDelivery {
    pub scope: Scope,
    pub event: Event,
    pub endpoint: WebhookEndpoint,
    /// The number of the attempt about to be made (1 for the first).
    pub attempt: u32,
    /// The delivery's job.
    pub job: String,
}

/// What an attempt leaves the delivery as.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AfterAttempt {
    Succeeded,
    RetryAt(OffsetDateTime),
    Failed,
}

/// One line of `kassa webhooks tail`: an attempt with what it was for.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct AttemptEntry {
    /// Increases with every recorded attempt; the tail's cursor.
    pub seq: i64,
    pub endpoint: WebhookEndpointId,
    pub event: EventId,
    pub event_type: EventType,
    pub attempt: Attempt,
}

#[async_trait]
pub trait WebhookStore {
    /// Oldest first; up to `limit` from the cursor.
    async fn list_endpoints(
        &self,
        scope: &Scope,
        cursor: &EndpointCursor,
        limit: usize,
    ) -> StoreResult<Vec<WebhookEndpoint>>;

    /// Leases up to `limit` deliveries due at `now` whose endpoint is
    /// enabled, for `lease_for`, to `worker`.
    async fn lease_deliveries(
        &self,
        worker: &str,
        now: OffsetDateTime,
        lease_for: Duration,
        limit: usize,
    ) -> StoreResult<Vec<LeasedDelivery>>;
    /// Records the attempt `worker` made under its lease and moves the
    /// delivery on; with `disable_endpoint` (a 410) the endpoint is
    /// disabled too. `Ok(false)` when the lease was lost meanwhile: nothing
    /// is written.
    async fn finish_attempt(
        &self,
        worker: &str,
        key: &DeliveryKey,
        attempt: &Attempt,
        after: AfterAttempt,
        disable_endpoint: bool,
    ) -> StoreResult<bool>;
    /// Gives a leased delivery back untried, due again at `at` (an
    /// endpoint's rate limit was reached).
    async fn defer_delivery(
        &self,
        worker: &str,
        key: &DeliveryKey,
        at: OffsetDateTime,
    ) -> StoreResult<()>;

    /// An endpoint's deliveries, newest first, with their attempts.
    async fn list_deliveries(
        &self,
        scope: &Scope,
        endpoint: &WebhookEndpointId,
        status: Option<DeliveryStatus>,
        limit: usize,
    ) -> StoreResult<Vec<DeliveryLog>>;
    /// Makes one delivery due now, whatever its status.
    async fn resend_delivery(
        &self,
        scope: &Scope,
        key: &DeliveryKey,
        now: OffsetDateTime,
    ) -> StoreResult<()>;
    /// Makes every failed delivery of the endpoint whose event happened at
    /// or after `since` due now; returns how many.
    async fn replay_failed(
        &self,
        scope: &Scope,
        endpoint: &WebhookEndpointId,
        since: OffsetDateTime,
        now: OffsetDateTime,
    ) -> StoreResult<u64>;
    /// The scope's attempts recorded after `after_seq`, oldest first.
    async fn attempts_after(
        &self,
        scope: &Scope,
        after_seq: i64,
        limit: usize,
    ) -> StoreResult<Vec<AttemptEntry>>;
}
