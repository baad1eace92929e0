//! Use cases both API dialects call: tenancy and keys, the catalog,
//! customers and discounts. A dialect parses its wire types into domain
//! types, calls one of these, and renders the result; it never touches the
//! store itself ([`request_fields`] is how it tells the server's edge which
//! request fields it ignored).

mod auth;
mod brands;
mod catalog;
mod checkout;
mod clock;
mod currency;
mod customers;
mod discounts;
mod error;
mod idempotency;
pub mod jobs;
mod links;
mod open_payment;
mod purchase;
pub mod request_fields;
mod saved_methods;
mod webhooks;

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use kassa_core::tenancy::Scope;

use kassa_core::clock::Clock;
use kassa_core::fx::FxRates;
use kassa_core::tax::TaxTable;
use kassa_processor::{PaymentProcessor, TestProcessor};
use kassa_store::{Changes, Conflict, Record, Records, Store, StoreError};

pub use auth::IssuedKey;
pub use brands::BrandArchived;
pub use checkout::PricedSession;
pub use clock::{Advance, ClockState};
pub use error::{AppError, DiscountProblem};
pub use kassa_store::{AttemptEntry, Claim, EndpointCursor};
pub use links::LinkUrls;
pub use open_payment::OpenPayment;
pub use purchase::{PayForm, PayOutcome, SAVED_PREFIX, SessionView};
pub use webhooks::{EndpointDraft, EndpointPatch, WebhookSettings};

/// The application: a store and a clock, shared by every request.
pub struct App {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    tax: TaxTable,
    /// Exchange rates for adaptive pricing; `None` turns it off.
    fx: Option<FxRates>,
    processor: Arc<dyn PaymentProcessor>,
    /// Verified API keys by secret hash: saves a store read per request,
    /// for at most [`auth::KEY_RECHECK`] (a revocation elsewhere).
    known_keys: RwLock<HashMap<String, auth::KnownKey>>,
    /// Base URL customers' browsers reach; set once the server is bound.
    public_url: RwLock<Option<String>>,
    webhooks: WebhookSettings,
    /// Wakes the delivery worker after a write that queued deliveries.
    wake: RwLock<Option<Arc<dyn Fn() + Send + Sync>>>,
    /// Test clocks' offsets, as last read or set.
    offsets: clock::Offsets,
}

impl App {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> App {
        App {
            store,
            clock,
            tax: TaxTable::builtin(),
            fx: None,
            processor: Arc::new(TestProcessor::default()),
            public_url: RwLock::new(None),
            known_keys: RwLock::new(HashMap::new()),
            webhooks: WebhookSettings::default(),
            wake: RwLock::new(None),
            offsets: clock::Offsets::default(),
        }
    }

    /// Replaces the default webhook settings (limit, target policy).
    pub fn with_webhook_settings(mut self, settings: WebhookSettings) -> App {
        self.webhooks = settings;
        self
    }

    /// Replaces the built-in tax rate table (an operator's own).
    pub fn with_tax_table(mut self, tax: TaxTable) -> App {
        self.tax = tax;
        self
    }

    /// Turns on adaptive pricing with the operator's exchange rates.
    pub fn with_fx_rates(mut self, fx: FxRates) -> App {
        self.fx = Some(fx);
        self
    }

    /// Sets the public base URL (`--public-url`), or, with `only_if_unset`,
    /// the default derived from the bound address.
    pub fn set_public_url(&self, url: &str, only_if_unset: bool) {
        let mut slot = self.public_url.write().expect("public_url lock");
        if slot.is_none() || !only_if_unset {
            *slot = Some(url.trim_end_matches('/').to_owned());
        }
    }

    pub fn public_url(&self) -> String {
        self.public_url
            .read()
            .expect("public_url lock")
            .clone()
            .unwrap_or_else(|| "http://127.0.0.1:8080".to_owned())
    }

    /// The shared store, for background workers that outlive a request.
    pub fn store_handle(&self) -> Arc<dyn Store> {
        self.store.clone()
    }

    /// The clock everything runs by (background workers share it).
    pub fn clock(&self) -> Arc<dyn Clock> {
        self.clock.clone()
    }

    pub fn now(&self) -> time::OffsetDateTime {
        self.clock.now()
    }

    /// Whether the backend answers (for `/readyz`).
    pub async fn ready(&self) -> Result<(), AppError> {
        Ok(self.store.ping().await?)
    }
}

/// How often a read-modify-write is retried when a concurrent change got
/// in first (each retry reads the record afresh).
const MODIFY_ATTEMPTS: usize = 5;

impl App {
    /// Commits a change, then wakes the delivery worker if it raised events.
    pub(crate) async fn commit(&self, scope: &Scope, changes: Changes) -> Result<(), StoreError> {
        let raised = !changes.events.is_empty();
        self.store.commit(scope, changes).await?;
        if raised {
            self.wake_deliveries();
        }
        Ok(())
    }

    /// Reads a record, changes it with `f` and writes it back guarded by
    /// the version read, again from the start if a concurrent write got in
    /// first: no update is ever lost to a race (a purchase counting a use
    /// of a discount while the merchant edits it).
    pub(crate) async fn modify<R, F>(
        &self,
        scope: &Scope,
        id: &str,
        what: &'static str,
        mut f: F,
    ) -> Result<R, AppError>
    where
        R: Record,
        F: FnMut(&mut R) -> Result<(), AppError> + Send,
    {
        let mut attempts = 0;
        loop {
            let (mut record, version) = self
                .store
                .get_versioned::<R>(scope, id)
                .await?
                .ok_or_else(|| AppError::not_found(what, id))?;
            f(&mut record)?;
            match self
                .store
                .commit(scope, Changes::new().update_from(&record, version))
                .await
            {
                Ok(()) => return Ok(record),
                Err(StoreError::Conflict(Conflict::Changed { .. }))
                    if attempts + 1 < MODIFY_ATTEMPTS =>
                {
                    attempts += 1;
                }
                Err(StoreError::Conflict(Conflict::Missing { .. })) => {
                    return Err(AppError::not_found(what, id));
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
}

/// Wraps an unexpected failure outside the store (e.g. an oversized body
/// in a middleware) as a storage-class error: logged, never shown.
pub fn store_error(e: impl std::error::Error + Send + Sync + 'static) -> kassa_store::StoreError {
    kassa_store::StoreError::backend(e)
}
