//! Failure injection for tests of what happens when a commit fails at the
//! worst moment: a store that is the real one in every way, except that
//! it refuses the next N commits that would record a payment as
//! `succeeded` (the settle commit after the processor has charged).
//! Everything else reaches the real store untouched.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use kassa_core::catalog::{Brand, Product};
use kassa_core::id::{ApiKeyId, BusinessId, ProductId, WebhookEndpointId};
use kassa_core::page::Page;
use kassa_core::tenancy::{ApiKey, Business, Mode, Scope};
use kassa_core::webhook::{Attempt, DeliveryKey, DeliveryLog, DeliveryStatus, WebhookEndpoint};
use kassa_store::{
    AfterAttempt, AttemptEntry, Changes, Claim, EndpointCursor, Filter, IdempotencyStore, JobEnd,
    JobStore, LeasedDelivery, LeasedJob, Op, RecordStore, Row, Store, StoreError, StoreResult,
    StoredResponse, Table, TenantStore, Val, WebhookStore,
};
use time::{Duration, OffsetDateTime};

pub struct FailingSettles {
    inner: Arc<dyn Store>,
    left: AtomicUsize,
}

impl FailingSettles {
    pub fn new(inner: Arc<dyn Store>, failures: usize) -> FailingSettles {
        FailingSettles {
            inner,
            left: AtomicUsize::new(failures),
        }
    }

    fn settles(changes: &Changes) -> bool {
        changes.ops.iter().any(|op| match op {
            Op::Update { row, .. } => {
                row.table == Table::Payments
                    && row
                        .columns
                        .iter()
                        .any(|(c, v)| *c == "status" && *v == Val::Text("succeeded".into()))
            }
            _ => false,
        })
    }
}

#[async_trait]
impl RecordStore for FailingSettles {
    async fn get_row(&self, table: Table, scope: &Scope, id: &str) -> StoreResult<Option<Row>> {
        self.inner.get_row(table, scope, id).await
    }
    async fn find_row(&self, table: Table, id: &str) -> StoreResult<Option<(Scope, Row)>> {
        self.inner.find_row(table, id).await
    }
    async fn list_rows(
        &self,
        table: Table,
        scope: &Scope,
        filter: &Filter,
        page: Option<Page>,
    ) -> StoreResult<Vec<Row>> {
        self.inner.list_rows(table, scope, filter, page).await
    }
    async fn commit(&self, scope: &Scope, changes: Changes) -> StoreResult<()> {
        if Self::settles(&changes)
            && self
                .left
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok()
        {
            return Err(StoreError::Backend("injected: the disk went away".into()));
        }
        self.inner.commit(scope, changes).await
    }
    async fn get_product(&self, scope: &Scope, id: &ProductId) -> StoreResult<Option<Product>> {
        self.inner.get_product(scope, id).await
    }
}

#[async_trait]
impl TenantStore for FailingSettles {
    async fn create_business(&self, b: &Business, brands: &[(Mode, Brand)]) -> StoreResult<()> {
        self.inner.create_business(b, brands).await
    }
    async fn list_businesses(&self) -> StoreResult<Vec<Business>> {
        self.inner.list_businesses().await
    }
    async fn get_business(&self, id: &BusinessId) -> StoreResult<Option<Business>> {
        self.inner.get_business(id).await
    }
    async fn insert_api_key(&self, key: &ApiKey) -> StoreResult<()> {
        self.inner.insert_api_key(key).await
    }
    async fn find_api_key(&self, hash: &str) -> StoreResult<Option<ApiKey>> {
        self.inner.find_api_key(hash).await
    }
    async fn list_api_keys(&self, business: &BusinessId) -> StoreResult<Vec<ApiKey>> {
        self.inner.list_api_keys(business).await
    }
    async fn revoke_api_key(
        &self,
        business: &BusinessId,
        id: &ApiKeyId,
        at: OffsetDateTime,
    ) -> StoreResult<Option<ApiKey>> {
        self.inner.revoke_api_key(business, id, at).await
    }
    async fn touch_api_key(&self, id: &ApiKeyId, at: OffsetDateTime) -> StoreResult<()> {
        self.inner.touch_api_key(id, at).await
    }
}

#[async_trait]
impl IdempotencyStore for FailingSettles {
    async fn claim_key(
        &self,
        scope: &Scope,
        key: &str,
        fingerprint: &str,
        now: OffsetDateTime,
        expired_before: OffsetDateTime,
    ) -> StoreResult<Claim> {
        self.inner
            .claim_key(scope, key, fingerprint, now, expired_before)
            .await
    }
    async fn finish_key(&self, scope: &Scope, key: &str, r: &StoredResponse) -> StoreResult<()> {
        self.inner.finish_key(scope, key, r).await
    }
    async fn release_key(&self, scope: &Scope, key: &str) -> StoreResult<()> {
        self.inner.release_key(scope, key).await
    }
}

#[async_trait]
impl WebhookStore for FailingSettles {
    async fn list_endpoints(
        &self,
        scope: &Scope,
        cursor: &EndpointCursor,
        limit: usize,
    ) -> StoreResult<Vec<WebhookEndpoint>> {
        self.inner.list_endpoints(scope, cursor, limit).await
    }
    async fn lease_deliveries(
        &self,
        worker: &str,
        now: OffsetDateTime,
        lease_for: Duration,
        limit: usize,
    ) -> StoreResult<Vec<LeasedDelivery>> {
        self.inner
            .lease_deliveries(worker, now, lease_for, limit)
            .await
    }
    async fn finish_attempt(
        &self,
        worker: &str,
        key: &DeliveryKey,
        attempt: &Attempt,
        after: AfterAttempt,
        disable: bool,
    ) -> StoreResult<bool> {
        self.inner
            .finish_attempt(worker, key, attempt, after, disable)
            .await
    }
    async fn defer_delivery(
        &self,
        w: &str,
        key: &DeliveryKey,
        at: OffsetDateTime,
    ) -> StoreResult<()> {
        self.inner.defer_delivery(w, key, at).await
    }
    async fn list_deliveries(
        &self,
        scope: &Scope,
        endpoint: &WebhookEndpointId,
        status: Option<DeliveryStatus>,
        limit: usize,
    ) -> StoreResult<Vec<DeliveryLog>> {
        self.inner
            .list_deliveries(scope, endpoint, status, limit)
            .await
    }
    async fn resend_delivery(
        &self,
        s: &Scope,
        k: &DeliveryKey,
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        self.inner.resend_delivery(s, k, now).await
    }
    async fn replay_failed(
        &self,
        scope: &Scope,
        endpoint: &WebhookEndpointId,
        since: OffsetDateTime,
        now: OffsetDateTime,
    ) -> StoreResult<u64> {
        self.inner.replay_failed(scope, endpoint, since, now).await
    }
    async fn attempts_after(
        &self,
        s: &Scope,
        after: i64,
        limit: usize,
    ) -> StoreResult<Vec<AttemptEntry>> {
        self.inner.attempts_after(s, after, limit).await
    }
}

#[async_trait]
impl JobStore for FailingSettles {
    async fn lease_jobs(
        &self,
        worker: &str,
        kinds: &[&'static str],
        now: OffsetDateTime,
        lease_for: Duration,
        limit: usize,
    ) -> StoreResult<Vec<LeasedJob>> {
        self.inner
            .lease_jobs(worker, kinds, now, lease_for, limit)
            .await
    }
    async fn next_due(
        &self,
        scope: &Scope,
        until: OffsetDateTime,
    ) -> StoreResult<Option<(OffsetDateTime, u64)>> {
        self.inner.next_due(scope, until).await
    }
    async fn finish_job(
        &self,
        w: &str,
        id: &str,
        end: &JobEnd,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        self.inner.finish_job(w, id, end, now).await
    }
    async fn defer_job(&self, w: &str, id: &str, at: OffsetDateTime) -> StoreResult<()> {
        self.inner.defer_job(w, id, at).await
    }
    async fn clock_offset(&self, business: &BusinessId) -> StoreResult<Duration> {
        self.inner.clock_offset(business).await
    }
    async fn advance_clock(
        &self,
        business: &BusinessId,
        offset: Duration,
    ) -> StoreResult<Duration> {
        self.inner.advance_clock(business, offset).await
    }
}

#[async_trait]
impl Store for FailingSettles {
    async fn ping(&self) -> StoreResult<()> {
        self.inner.ping().await
    }
}
