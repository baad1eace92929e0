//! What makes a domain value storable: its table, id, creation time and
//! the index columns derived from it. One short impl per aggregate; the
//! backends need nothing else to read, list and write it.
//!
//! The body is the value's serde form, so core's derives are the storage
//! format: `tests/golden.rs` pins each record's body, and a change to a
//! derive that would silently change stored rows fails there first.

use kassa_core::catalog::{Addon, Brand, Product};
use kassa_core::checkout::CheckoutSession;
use kassa_core::customer::Customer;
use kassa_core::discount::{Discount, DiscountType};
use kassa_core::link::ShortLink;
use kassa_core::payment::{Payment, SavedMethod};
use kassa_core::webhook::WebhookEndpoint;
use serde::Serialize;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;

use crate::table::{Table, Val};

/// A domain value kept as one row of [`Record::TABLE`].
pub trait Record: Serialize + DeserializeOwned + Send + Sync + 'static {
    const TABLE: Table;
    fn id(&self) -> &str;
    fn created_at(&self) -> OffsetDateTime;
    /// The table's index columns, every one of them, from the value.
    fn columns(&self) -> Vec<(&'static str, Val)>;
}

impl Record for Brand {
    const TABLE: Table = Table::Brands;
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn created_at(&self) -> OffsetDateTime {
        self.created_at
    }
    fn columns(&self) -> Vec<(&'static str, Val)> {
        vec![
            ("is_primary", self.primary.into()),
            ("archived", self.archived_at.is_some().into()),
        ]
    }
}

impl Record for Product {
    const TABLE: Table = Table::Products;
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn created_at(&self) -> OffsetDateTime {
        self.created_at
    }
    fn columns(&self) -> Vec<(&'static str, Val)> {
        vec![
            ("brand_id", self.brand.as_str().into()),
            ("is_recurring", self.price.is_recurring().into()),
            ("archived", self.archived.into()),
        ]
    }
}

impl Record for Addon {
    const TABLE: Table = Table::Addons;
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn created_at(&self) -> OffsetDateTime {
        self.created_at
    }
    fn columns(&self) -> Vec<(&'static str, Val)> {
        vec![("archived", self.archived.into())]
    }
}

impl Record for Customer {
    const TABLE: Table = Table::Customers;
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn created_at(&self) -> OffsetDateTime {
        self.created_at
    }
    fn columns(&self) -> Vec<(&'static str, Val)> {
        vec![
            ("email_lower", self.email.to_ascii_lowercase().into()),
            ("name", self.name.as_str().into()),
        ]
    }
}

/// How a discount's type is named in its column.
pub fn discount_type_name(t: DiscountType) -> &'static str {
    match t {
        DiscountType::Percentage => "percentage",
        DiscountType::Flat => "flat",
    }
}

impl Record for Discount {
    const TABLE: Table = Table::Discounts;
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn created_at(&self) -> OffsetDateTime {
        self.created_at
    }
    fn columns(&self) -> Vec<(&'static str, Val)> {
        vec![
            ("code", self.code.as_str().into()),
            (
                "discount_type",
                discount_type_name(self.discount_type).into(),
            ),
            ("deleted", self.deleted_at.is_some().into()),
            ("starts_at", Val::opt_time(self.starts_at)),
            ("expires_at", Val::opt_time(self.expires_at)),
            ("usage_limit", self.usage_limit.into()),
            ("times_used", self.times_used.into()),
            (
                "restricted_to",
                Val::set(self.restricted_to.iter().map(|p| p.as_str())),
            ),
        ]
    }
}

impl Record for CheckoutSession {
    const TABLE: Table = Table::CheckoutSessions;
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn created_at(&self) -> OffsetDateTime {
        self.created_at
    }
    fn columns(&self) -> Vec<(&'static str, Val)> {
        Vec::new()
    }
}

impl Record for Payment {
    const TABLE: Table = Table::Payments;
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn created_at(&self) -> OffsetDateTime {
        self.created_at
    }
    fn columns(&self) -> Vec<(&'static str, Val)> {
        let mut products: Vec<&str> = self.lines.iter().map(|l| l.product.as_str()).collect();
        products.sort_unstable();
        products.dedup();
        vec![
            ("status", self.status.as_str().into()),
            ("customer_id", self.customer.as_str().into()),
            ("brand_id", self.brand.as_str().into()),
            ("currency", self.currency.code().into()),
            ("products", Val::set(products)),
            (
                "discounts",
                Val::set(self.discounts.iter().map(|d| d.as_str())),
            ),
        ]
    }
}

impl Record for ShortLink {
    const TABLE: Table = Table::ShortLinks;
    fn id(&self) -> &str {
        self.slug.as_str()
    }
    fn created_at(&self) -> OffsetDateTime {
        self.created_at
    }
    fn columns(&self) -> Vec<(&'static str, Val)> {
        vec![(
            "product_id",
            self.product.as_ref().map(|p| p.as_str()).into(),
        )]
    }
}

impl Record for SavedMethod {
    const TABLE: Table = Table::PaymentMethods;
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn created_at(&self) -> OffsetDateTime {
        self.created_at
    }
    fn columns(&self) -> Vec<(&'static str, Val)> {
        vec![("customer_id", self.customer.as_str().into())]
    }
}

impl Record for WebhookEndpoint {
    const TABLE: Table = Table::WebhookEndpoints;
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn created_at(&self) -> OffsetDateTime {
        self.created_at
    }
    fn columns(&self) -> Vec<(&'static str, Val)> {
        vec![
            ("disabled", self.disabled.into()),
            (
                "filter_types",
                Val::set(self.filter_types.iter().map(|t| t.key())),
            ),
            ("idempotency_key", self.idempotency_key.as_deref().into()),
        ]
    }
}
