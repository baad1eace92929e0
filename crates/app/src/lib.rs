//! Use cases both API dialects call: tenancy and keys, the catalog,
//! customers and discounts. A dialect parses its wire types into domain
//! types, calls one of these, and renders the result; it never touches the
//! store itself.

mod auth;
mod brands;
mod catalog;
mod customers;
mod discounts;
mod error;

use std::sync::Arc;

use kassa_core::clock::Clock;
use kassa_store::Store;

pub use auth::IssuedKey;
pub use brands::BrandArchived;
pub use error::AppError;

/// The application: a store and a clock, shared by every request.
pub struct App {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

impl App {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> App {
        App { store, clock }
    }

    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    pub fn now(&self) -> time::OffsetDateTime {
        self.clock.now()
    }

    /// Whether the backend answers (for `/readyz`).
    pub async fn ready(&self) -> Result<(), AppError> {
        Ok(self.store.ping().await?)
    }
}
