//! Use cases both API dialects call: tenancy and keys, the catalog,
//! customers and discounts. A dialect parses its wire types into domain
//! types, calls one of these, and renders the result; it never touches the
//! store itself ([`request_fields`] is how it tells the server's edge which
//! request fields it ignored).

mod auth;
mod brands;
mod catalog;
mod checkout;
mod currency;
mod customers;
mod discounts;
mod error;
mod idempotency;
mod links;
mod payment_link;
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
use kassa_store::Store;

pub use auth::IssuedKey;
pub use brands::BrandArchived;
pub use checkout::PricedSession;
pub use error::{AppError, DiscountProblem};
pub use kassa_store::{AttemptEntry, Claim, EndpointCursor};
pub use links::LinkUrls;
pub use payment_link::OpenPayment;
pub use purchase::{PayForm, PayOutcome, SAVED_PREFIX, SessionView};
pub use webhooks::{EndpointDraft, EndpointPatch, WebhookSettings, parse_event_types};

/// The application: a store and a clock, shared by every request.
pub struct App {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    tax: TaxTable,
    /// Exchange rates for adaptive pricing; `None` turns it off.
    fx: Option<FxRates>,
    processor: Arc<dyn PaymentProcessor>,
    /// Verified API keys by secret hash: saves a store read per request.
    known_keys: RwLock<HashMap<String, Scope>>,
    /// Base URL customers' browsers reach; set once the server is bound.
    public_url: RwLock<Option<String>>,
    webhooks: WebhookSettings,
    /// Wakes the delivery worker after a write that queued deliveries.
    wake: RwLock<Option<Arc<dyn Fn() + Send + Sync>>>,
}

impl App {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> App {
        App {
            store,
            clock,
            tax: TaxTable::builtin(),
            fx: None,
            processor: Arc::new(TestProcessor),
            public_url: RwLock::new(None),
            known_keys: RwLock::new(HashMap::new()),
            webhooks: WebhookSettings::default(),
            wake: RwLock::new(None),
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

    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
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

/// Wraps an unexpected failure outside the store (e.g. an oversized body
/// in a middleware) as a storage-class error: logged, never shown.
pub fn store_error(e: impl std::error::Error + Send + Sync + 'static) -> kassa_store::StoreError {
    kassa_store::StoreError::backend(e)
}
