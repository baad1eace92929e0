//! Storage traits, one per aggregate, that every backend implements.
//!
//! Every call takes a [`Scope`] (business + mode) except the few tenancy
//! lookups that find the scope in the first place, so no backend can serve
//! one business's objects to another. Writes are atomic per call. Lists are
//! newest first (`created_at` descending, then id descending) and paged.
//! [`conformance`] holds the behaviour every backend must show.

pub mod conformance;
mod webhooks;

use async_trait::async_trait;
use kassa_core::catalog::{Addon, Brand, Product, ProductFilter};
use kassa_core::checkout::CheckoutSession;
use kassa_core::customer::{Customer, CustomerFilter};
use kassa_core::discount::{Discount, DiscountFilter};
use kassa_core::id::{
    AddonId, BrandId, CheckoutSessionId, CustomerId, DiscountId, PaymentId, PaymentMethodId,
    ProductId,
};
use kassa_core::link::{ShortLink, Slug};
use kassa_core::page::Page;
use kassa_core::payment::{Payment, PaymentFilter, SavedMethod};
use kassa_core::tenancy::{ApiKey, Business, Mode, Scope};
use kassa_core::webhook::Event;
use time::OffsetDateTime;

pub use webhooks::{
    AfterAttempt, AttemptEntry, EndpointCursor, InsertedEndpoint, LeasedDelivery, WebhookStore,
};

/// The storage layer's one error type.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The object to update or delete does not exist in this scope.
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was broken; `what` names it (e.g. "discount code").
    #[error("{what} already exists")]
    Conflict { what: &'static str },
    /// The backend failed (I/O, driver, corrupt row). Never shown to clients.
    #[error("storage backend failed: {0}")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl StoreError {
    pub fn backend(e: impl std::error::Error + Send + Sync + 'static) -> StoreError {
        StoreError::Backend(Box::new(e))
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

#[async_trait]
pub trait TenantStore {
    /// Creates a business with its primary brand for each mode, atomically.
    async fn create_business(
        &self,
        business: &Business,
        primary_brands: &[(Mode, Brand)],
    ) -> StoreResult<()>;
    /// All businesses, oldest first.
    async fn list_businesses(&self) -> StoreResult<Vec<Business>>;
    async fn insert_api_key(&self, key: &ApiKey) -> StoreResult<()>;
    /// The key whose secret hashes to `secret_hash`, if any.
    async fn find_api_key(&self, secret_hash: &str) -> StoreResult<Option<ApiKey>>;
}

#[async_trait]
pub trait ProductStore {
    /// A product by id alone, with its scope: static payment links name
    /// only the product.
    async fn find_product(&self, id: &ProductId) -> StoreResult<Option<(Scope, Product)>>;
    async fn insert_product(&self, scope: &Scope, product: &Product) -> StoreResult<()>;
    async fn get_product(&self, scope: &Scope, id: &ProductId) -> StoreResult<Option<Product>>;
    /// Replaces the stored product; `NotFound` if it is not in this scope.
    async fn update_product(&self, scope: &Scope, product: &Product) -> StoreResult<()>;
    /// `filter.archived == Some(true)` lists archived products only; any
    /// other value lists active products only.
    async fn list_products(
        &self,
        scope: &Scope,
        filter: &ProductFilter,
        page: Page,
    ) -> StoreResult<Vec<Product>>;
}

#[async_trait]
pub trait AddonStore {
    async fn insert_addon(&self, scope: &Scope, addon: &Addon) -> StoreResult<()>;
    async fn get_addon(&self, scope: &Scope, id: &AddonId) -> StoreResult<Option<Addon>>;
    async fn update_addon(&self, scope: &Scope, addon: &Addon) -> StoreResult<()>;
    /// Active (not archived) addons.
    async fn list_addons(&self, scope: &Scope, page: Page) -> StoreResult<Vec<Addon>>;
}

#[async_trait]
pub trait CustomerStore {
    async fn insert_customer(&self, scope: &Scope, customer: &Customer) -> StoreResult<()>;
    async fn get_customer(&self, scope: &Scope, id: &CustomerId) -> StoreResult<Option<Customer>>;
    async fn update_customer(&self, scope: &Scope, customer: &Customer) -> StoreResult<()>;
    /// `email` matches exactly ignoring ASCII case; `name` is a
    /// case-insensitive substring; date bounds are inclusive.
    async fn list_customers(
        &self,
        scope: &Scope,
        filter: &CustomerFilter,
        page: Page,
    ) -> StoreResult<Vec<Customer>>;
}

#[async_trait]
pub trait DiscountStore {
    /// `Conflict { what: "discount code" }` if a live discount in this scope
    /// already has the code.
    async fn insert_discount(&self, scope: &Scope, discount: &Discount) -> StoreResult<()>;
    /// Deleted discounts are not returned.
    async fn get_discount(&self, scope: &Scope, id: &DiscountId) -> StoreResult<Option<Discount>>;
    async fn get_discount_by_code(
        &self,
        scope: &Scope,
        code: &str,
    ) -> StoreResult<Option<Discount>>;
    /// Same conflict rule as insert (a code may be changed to a free one).
    async fn update_discount(&self, scope: &Scope, discount: &Discount) -> StoreResult<()>;
    /// Soft delete: the code becomes free again. `NotFound` if absent.
    async fn delete_discount(&self, scope: &Scope, id: &DiscountId) -> StoreResult<()>;
    /// Live discounts matching the filter: `code` is a case-insensitive
    /// substring; `active` compares against the instant carried in the
    /// filter (started, not expired, uses left).
    async fn list_discounts(
        &self,
        scope: &Scope,
        filter: &DiscountFilter,
        page: Page,
    ) -> StoreResult<Vec<Discount>>;
}

#[async_trait]
pub trait BrandStore {
    async fn insert_brand(&self, scope: &Scope, brand: &Brand) -> StoreResult<()>;
    async fn get_brand(&self, scope: &Scope, id: &BrandId) -> StoreResult<Option<Brand>>;
    async fn primary_brand(&self, scope: &Scope) -> StoreResult<Option<Brand>>;
    async fn update_brand(&self, scope: &Scope, brand: &Brand) -> StoreResult<()>;
    /// All brands of the scope, oldest first, archived ones only when asked.
    async fn list_brands(&self, scope: &Scope, include_archived: bool) -> StoreResult<Vec<Brand>>;
    /// Marks the brand archived at `at` and, atomically, moves its products
    /// to `move_to` (when given). Returns how many products moved.
    async fn archive_brand(
        &self,
        scope: &Scope,
        id: &BrandId,
        move_to: Option<&BrandId>,
        at: OffsetDateTime,
    ) -> StoreResult<u64>;
}

#[async_trait]
pub trait CheckoutStore {
    async fn insert_session(&self, scope: &Scope, session: &CheckoutSession) -> StoreResult<()>;
    async fn get_session(
        &self,
        scope: &Scope,
        id: &CheckoutSessionId,
    ) -> StoreResult<Option<CheckoutSession>>;
    /// The session and its scope by id alone: the hosted page knows only
    /// the id in its URL (which is unguessable).
    async fn find_session(
        &self,
        id: &CheckoutSessionId,
    ) -> StoreResult<Option<(Scope, CheckoutSession)>>;
    async fn update_session(&self, scope: &Scope, session: &CheckoutSession) -> StoreResult<()>;
}

/// Everything a successful checkout changes, committed together or not at all.
#[derive(Clone, PartialEq, Debug)]
pub struct Purchase {
    /// The succeeded payment (inserted, or replacing the pending attempt).
    pub payment: Payment,
    /// The customer the checkout created, if it did not match one.
    pub new_customer: Option<Customer>,
    /// The session, marked completed.
    pub session: CheckoutSession,
    /// The card this purchase saved for the customer, if any.
    pub saved_method: Option<SavedMethod>,
    /// Codes to count one use of each; the commit fails with
    /// `Conflict { what: "discount usage" }` if any has no use left.
    pub discounts: Vec<DiscountId>,
    /// What webhooks announce (`payment.succeeded`), with the purchase.
    pub events: Vec<Event>,
}

/// A payment opened by the API before anyone pays it (`POST /payments`):
/// its customer, the pending payment and the session its link opens.
#[derive(Clone, PartialEq, Debug)]
pub struct OpenedPayment {
    /// Pending (`requires_payment_method`), pointing at `session`.
    pub payment: Payment,
    /// The customer the request created, if it did not name or match one.
    pub new_customer: Option<Customer>,
    /// The session whose page takes the payment; its `payment` is set.
    pub session: CheckoutSession,
}

#[async_trait]
pub trait PaymentStore {
    /// Inserts the payment with the events it causes, in one transaction.
    async fn insert_payment(
        &self,
        scope: &Scope,
        payment: &Payment,
        events: &[Event],
    ) -> StoreResult<()>;
    async fn get_payment(&self, scope: &Scope, id: &PaymentId) -> StoreResult<Option<Payment>>;
    /// Updates the payment with the events it causes, in one transaction.
    async fn update_payment(
        &self,
        scope: &Scope,
        payment: &Payment,
        events: &[Event],
    ) -> StoreResult<()>;
    /// Newest first; every field of the filter is applied by the backend.
    async fn list_payments(
        &self,
        scope: &Scope,
        filter: &PaymentFilter,
        page: Page,
    ) -> StoreResult<Vec<Payment>>;
    /// Commits a purchase atomically. `Conflict { what: "checkout session" }`
    /// if the session was completed meanwhile (a double submit).
    async fn complete_purchase(&self, scope: &Scope, purchase: &Purchase) -> StoreResult<()>;
    /// Writes an opened payment's customer, payment and session together.
    async fn open_payment(&self, scope: &Scope, opened: &OpenedPayment) -> StoreResult<()>;
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

#[async_trait]
pub trait MethodStore {
    async fn insert_saved_method(&self, scope: &Scope, method: &SavedMethod) -> StoreResult<()>;
    async fn get_saved_method(
        &self,
        scope: &Scope,
        id: &PaymentMethodId,
    ) -> StoreResult<Option<SavedMethod>>;
    /// The customer's methods, newest first.
    async fn list_saved_methods(
        &self,
        scope: &Scope,
        customer: &CustomerId,
    ) -> StoreResult<Vec<SavedMethod>>;
    /// `NotFound` if it is not in this scope.
    async fn delete_saved_method(&self, scope: &Scope, id: &PaymentMethodId) -> StoreResult<()>;
}

#[async_trait]
pub trait LinkStore {
    /// `Conflict { what: "short link" }` when the slug is taken by anyone.
    async fn insert_short_link(&self, scope: &Scope, link: &ShortLink) -> StoreResult<()>;
    /// By slug alone (the URL is the capability), with its scope.
    async fn find_short_link(&self, slug: &Slug) -> StoreResult<Option<(Scope, ShortLink)>>;
    /// Product links (not sessions'), newest first; only that product's
    /// when `product` is given.
    async fn list_short_links(
        &self,
        scope: &Scope,
        product: Option<&ProductId>,
        page: Page,
    ) -> StoreResult<Vec<ShortLink>>;
}

/// A complete backend.
#[async_trait]
pub trait Store:
    TenantStore
    + ProductStore
    + AddonStore
    + CustomerStore
    + DiscountStore
    + BrandStore
    + CheckoutStore
    + PaymentStore
    + IdempotencyStore
    + LinkStore
    + MethodStore
    + WebhookStore
    + Send
    + Sync
{
    /// Cheap liveness check of the backend (for `/readyz`).
    async fn ping(&self) -> StoreResult<()>;
}
