//! The storage layer: records kept as rows of generic tables, changes
//! committed as one value, and the few named queries that earn their name.
//!
//! - A [`Record`] is a domain value with a table and index columns; every
//!   backend reads, lists and writes any record through four generic
//!   operations ([`RecordStore`]), with typed sugar in [`Records`].
//! - A use case builds one [`Changes`] (rows written, guards that must
//!   hold, domain events) and the store commits it atomically, refusing it
//!   with a typed [`Conflict`] naming the step that failed.
//! - Named queries remain where the shape is not a record's: tenancy and
//!   API keys, idempotency keys, and webhook delivery leases and logs.
//!
//! Every call takes a [`Scope`] (business + mode) except the lookups of
//! URLs that are capabilities (`find_row`) and the tenancy lookups, so no
//! backend can serve one business's objects to another. Lists are newest
//! first unless a filter asks otherwise. [`conformance`] holds the
//! behaviour every backend must show; [`testing`] decides whether a
//! PostgreSQL test runs.

mod changes;
pub mod conformance;
mod error;
mod filter;
pub mod filters;
mod jobs;
mod record;
mod table;
pub mod testing;
mod typed;
mod webhooks;

use async_trait::async_trait;
use kassa_core::catalog::Product;
use kassa_core::id::{ApiKeyId, BusinessId, ProductId};
use kassa_core::page::Page;
use kassa_core::tenancy::{ApiKey, Business, Mode, Scope};
use time::OffsetDateTime;

pub use changes::{Changes, Guard, JobFinish, Op, RowWrite};
pub use error::{Conflict, StoreError, StoreResult};
pub use filter::{Cmp, Cond, Filter, Order};
pub use jobs::{DELIVER, JobEnd, JobStatus, JobStore, LeasedJob, NewJob};
pub use record::{Record, discount_type_name};
pub use table::{Kind, Table, Val, from_micros, micros};
pub use typed::Records;
pub use webhooks::{AfterAttempt, AttemptEntry, EndpointCursor, LeasedDelivery, WebhookStore};

/// A stored row: the record's body and the version its last write left.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Row {
    pub version: u64,
    pub body: String,
}

/// The generic operations every backend implements once, for every table.
#[async_trait]
pub trait RecordStore: Send + Sync {
    /// The row with this id in this scope.
    async fn get_row(&self, table: Table, scope: &Scope, id: &str) -> StoreResult<Option<Row>>;
    /// The row with this id in whatever scope holds it, with that scope:
    /// for the URLs that are capabilities (a session's page, a product's
    /// static link, a short link), where no API key names the business.
    async fn find_row(&self, table: Table, id: &str) -> StoreResult<Option<(Scope, Row)>>;
    /// The scope's rows matching `filter`, in its order; one page of them,
    /// or all with `None`.
    async fn list_rows(
        &self,
        table: Table,
        scope: &Scope,
        filter: &Filter,
        page: Option<Page>,
    ) -> StoreResult<Vec<Row>>;
    /// Applies every step of `changes` in order and writes its events to
    /// the outbox, in one transaction; the first step or guard that fails
    /// refuses the whole change with its [`Conflict`].
    async fn commit(&self, scope: &Scope, changes: Changes) -> StoreResult<()>;

    /// A product by id: the read every checkout makes for each cart line,
    /// which a backend may serve from memory when it can keep that true.
    async fn get_product(&self, scope: &Scope, id: &ProductId) -> StoreResult<Option<Product>> {
        match self.get_row(Table::Products, scope, id.as_str()).await? {
            Some(row) => typed::decode(&row.body).map(Some),
            None => Ok(None),
        }
    }
}

#[async_trait]
pub trait TenantStore {
    /// Creates a business with its primary brand for each mode, atomically.
    async fn create_business(
        &self,
        business: &Business,
        primary_brands: &[(Mode, kassa_core::catalog::Brand)],
    ) -> StoreResult<()>;
    /// All businesses, oldest first.
    async fn list_businesses(&self) -> StoreResult<Vec<Business>>;
    async fn get_business(&self, id: &BusinessId) -> StoreResult<Option<Business>>;
    async fn insert_api_key(&self, key: &ApiKey) -> StoreResult<()>;
    /// The key whose secret hashes to `secret_hash`, if any (revoked or
    /// not).
    async fn find_api_key(&self, secret_hash: &str) -> StoreResult<Option<ApiKey>>;
    /// The business's keys in both modes, oldest first.
    async fn list_api_keys(&self, business: &BusinessId) -> StoreResult<Vec<ApiKey>>;
    /// Revokes the business's key `id` at `at`; a key revoked before keeps
    /// its first time. `None` when the business has no such key.
    async fn revoke_api_key(
        &self,
        business: &BusinessId,
        id: &ApiKeyId,
        at: OffsetDateTime,
    ) -> StoreResult<Option<ApiKey>>;
    /// Records that the key authenticated a request at `at`.
    async fn touch_api_key(&self, id: &ApiKeyId, at: OffsetDateTime) -> StoreResult<()>;
}

/// A response remembered under an `Idempotency-Key`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct StoredResponse {
    pub status: u16,
    pub body: Vec<u8>,
}

/// What claiming an idempotency key found.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Claim {
    /// The key is new and now held by this request, which must
    /// [`finish`](IdempotencyStore::finish_key) or
    /// [`release`](IdempotencyStore::release_key) it.
    Fresh,
    /// The same request finished before: replay this.
    Replay(StoredResponse),
    /// The key was used with a different request.
    Mismatch,
    /// The same request is still running elsewhere.
    InFlight,
}

#[async_trait]
pub trait IdempotencyStore {
    /// Atomically claims `key` in `scope` for a request whose method, path
    /// and body hash to `fingerprint`. Keys older than `expired_before` are
    /// forgotten first.
    async fn claim_key(
        &self,
        scope: &Scope,
        key: &str,
        fingerprint: &str,
        now: OffsetDateTime,
        expired_before: OffsetDateTime,
    ) -> StoreResult<Claim>;
    /// Remembers the response of a claimed key.
    async fn finish_key(
        &self,
        scope: &Scope,
        key: &str,
        response: &StoredResponse,
    ) -> StoreResult<()>;
    /// Gives a claimed key up (the request failed in a way worth retrying).
    async fn release_key(&self, scope: &Scope, key: &str) -> StoreResult<()>;
}

/// A complete backend.
#[async_trait]
pub trait Store:
    RecordStore + TenantStore + IdempotencyStore + WebhookStore + JobStore + Send + Sync
{
    /// Cheap liveness check of the backend (for `/readyz`).
    async fn ping(&self) -> StoreResult<()>;
}
