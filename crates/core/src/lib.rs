//! Kassa's pure domain: money, ids, tenancy, catalog, customers and discounts.
//!
//! Nothing here does I/O or knows a wire format. Dialects parse their wire
//! types into these types at the edge; stores persist them. Every rule that
//! must hold whichever dialect or backend is used lives here.

pub mod catalog;
pub mod checkout;
pub mod clock;
pub mod country;
mod country_codes;
pub mod customer;
pub mod discount;
pub mod error;
pub mod field;
pub mod fx;
pub mod id;
pub mod link;
pub mod metadata;
pub mod money;
pub mod page;
pub mod payment;
pub mod pricing;
pub mod tax;
pub mod tenancy;
pub mod text;
pub mod webhook;

pub use error::DomainError;
pub use field::FieldPath;
