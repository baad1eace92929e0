//! Checkout sessions: a cart and the merchant's choices, open for a while,
//! then completed by a payment or expired.
//!
//! The rules here are those that need nothing but the request itself; the
//! app layer adds the ones that need the catalog (products exist and are
//! active, codes are redeemable) before a session is stored.

mod options;
mod quote;
#[cfg(test)]
mod tests;

pub use options::*;
pub use quote::{Quote, QuoteItem, QuotedLine, TaxContext, quote};

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::DomainError;
use crate::customer::CustomerDraft;
use crate::field::{self, FieldPath};
use crate::id::{AddonId, BusinessId, CheckoutSessionId, CustomerId, PaymentId, ProductId};
use crate::metadata::Metadata;
use crate::money::{Amount, Currency};

/// How long a session stays open: a day, or a quarter of an hour once the
/// merchant has confirmed it with every detail filled in.
pub const OPEN_FOR: Duration = Duration::hours(24);
pub const CONFIRMED_OPEN_FOR: Duration = Duration::minutes(15);
pub const MAX_CART_ITEMS: usize = 20;
pub const MAX_DISCOUNT_CODES: usize = 20;
pub const MAX_TRIAL_DAYS: u32 = 10_000;

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct AddonLine {
    pub addon: AddonId,
    pub quantity: u32,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct CartItem {
    pub product: ProductId,
    pub quantity: u32,
    /// Pay-what-you-want amount chosen by the merchant for the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addons: Vec<AddonLine>,
}

/// Who pays: a known customer, or details for a new (or matched) one.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerRef {
    Existing(CustomerId),
    New {
        email: String,
        name: Option<String>,
        phone_number: Option<String>,
    },
}

/// Everything a merchant sends to open a session (wire-independent).
#[derive(Clone, PartialEq, Debug, Default)]
pub struct SessionDraft {
    pub cart: Vec<CartItem>,
    pub customer: Option<CustomerRef>,
    pub billing: Option<BillingAddress>,
    pub minimal_address: Option<bool>,
    pub confirm: bool,
    pub payment_method_id: Option<String>,
    pub return_url: Option<String>,
    pub cancel_url: Option<String>,
    pub billing_currency: Option<Currency>,
    pub allowed_payment_method_types: Vec<&'static str>,
    pub show_saved_payment_methods: bool,
    pub discount_codes: Vec<String>,
    pub custom_fields: Vec<CustomField>,
    pub metadata: Metadata,
    pub tax_id: Option<String>,
    pub customer_business_name: Option<String>,
    pub short_link: bool,
    pub trial_period_days: Option<u32>,
    pub force_3ds: Option<bool>,
    pub customization: Customization,
    pub flags: FeatureFlags,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    Open,
    Completed,
    Expired,
}

/// Stored as JSON without its empty parts (absent options, empty lists,
/// false flags, default settings): every stored byte is written on the
/// commit path of `POST /checkouts`.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct CheckoutSession {
    pub id: CheckoutSessionId,
    pub business: BusinessId,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cart: Vec<CartItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<CustomerRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing: Option<BillingAddress>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub minimal_address: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub confirm: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_currency: Option<Currency>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_payment_method_types: Vec<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub show_saved_payment_methods: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub discount_codes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custom_fields: Vec<CustomField>,
    pub metadata: Metadata,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_business_name: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub short_link: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial_period_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force_3ds: Option<bool>,
    /// Stored only when it differs from the default: most sessions keep
    /// Dodo's defaults, and every stored byte is written on the commit path.
    #[serde(default, skip_serializing_if = "is_default")]
    pub customization: Customization,
    #[serde(default, skip_serializing_if = "is_default")]
    pub flags: FeatureFlags,
    /// The customer's details as last entered on the page (or sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_name: Option<String>,
    /// The latest payment attempt and the one that completed the session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment: Option<PaymentId>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub completed_at: Option<OffsetDateTime>,
}

impl CheckoutSession {
    /// Opens a session, enforcing every rule that needs only the draft.
    /// `customer_details` are the known customer's, when `customer` names one.
    pub fn create(
        id: CheckoutSessionId,
        business: BusinessId,
        draft: SessionDraft,
        customer_details: Option<&CustomerDraft>,
        now: OffsetDateTime,
    ) -> Result<CheckoutSession, DomainError> {
        check_cart(&draft.cart)?;
        if draft.discount_codes.len() > MAX_DISCOUNT_CODES {
            return Err(DomainError::invalid(
                "discount_codes",
                format!("at most {MAX_DISCOUNT_CODES} codes"),
            ));
        }
        if draft.custom_fields.len() > MAX_CUSTOM_FIELDS {
            return Err(DomainError::invalid(
                "custom_fields",
                format!("at most {MAX_CUSTOM_FIELDS} custom fields"),
            ));
        }
        for (i, field) in draft.custom_fields.iter().enumerate() {
            field.check(i)?;
            if draft.custom_fields[..i].iter().any(|f| f.key == field.key) {
                return Err(DomainError::invalid(
                    format!("custom_fields[{i}].key"),
                    "keys must be unique",
                ));
            }
        }
        draft.flags.check()?;
        if draft.trial_period_days.is_some_and(|d| d > MAX_TRIAL_DAYS) {
            return Err(DomainError::invalid(
                "subscription_data.trial_period_days",
                format!("must be between 0 and {MAX_TRIAL_DAYS}"),
            ));
        }
        if draft.tax_id.is_some() && draft.billing.is_none() {
            return Err(DomainError::invalid(
                "tax_id",
                "needs billing_address.country",
            ));
        }
        if draft.payment_method_id.is_some() {
            if !draft.confirm {
                return Err(DomainError::invalid(
                    "payment_method_id",
                    "needs confirm: true",
                ));
            }
            if !matches!(draft.customer, Some(CustomerRef::Existing(_))) {
                return Err(DomainError::invalid(
                    "payment_method_id",
                    "needs an existing customer (customer.customer_id)",
                ));
            }
        }
        let minimal_address = draft.minimal_address.unwrap_or(draft.flags.single_page);
        let (customer_email, customer_name) = match (&draft.customer, customer_details) {
            (Some(CustomerRef::New { email, name, .. }), _) => (
                Some(crate::text::email("customer.email", email)?),
                name.clone(),
            ),
            (Some(CustomerRef::Existing(_)), Some(known)) => {
                (Some(known.email.clone()), Some(known.name.clone()))
            }
            _ => (None, None),
        };
        if draft.confirm {
            check_confirmable(&draft, customer_email.is_some(), minimal_address)?;
        }
        let open_for = if draft.confirm {
            CONFIRMED_OPEN_FOR
        } else {
            OPEN_FOR
        };
        Ok(CheckoutSession {
            id,
            business,
            cart: draft.cart,
            customer: draft.customer,
            billing: draft.billing,
            minimal_address,
            confirm: draft.confirm,
            payment_method_id: draft.payment_method_id,
            return_url: draft
                .return_url
                .map(|u| web_url("return_url", &u))
                .transpose()?,
            cancel_url: draft
                .cancel_url
                .map(|u| web_url("cancel_url", &u))
                .transpose()?,
            billing_currency: draft.billing_currency,
            allowed_payment_method_types: draft
                .allowed_payment_method_types
                .iter()
                .map(|t| t.to_string())
                .collect(),
            show_saved_payment_methods: draft.show_saved_payment_methods,
            discount_codes: draft
                .discount_codes
                .iter()
                .map(|c| c.trim().to_ascii_uppercase())
                .collect(),
            custom_fields: draft.custom_fields,
            metadata: draft.metadata,
            tax_id: draft.tax_id,
            customer_business_name: draft.customer_business_name,
            short_link: draft.short_link,
            trial_period_days: draft.trial_period_days,
            force_3ds: draft.force_3ds,
            customization: draft.customization,
            flags: draft.flags,
            customer_email,
            customer_name,
            payment: None,
            created_at: now,
            expires_at: now + open_for,
            completed_at: None,
        })
    }

    pub fn status(&self, now: OffsetDateTime) -> SessionStatus {
        if self.completed_at.is_some() {
            SessionStatus::Completed
        } else if now >= self.expires_at {
            SessionStatus::Expired
        } else {
            SessionStatus::Open
        }
    }
}

fn check_cart(cart: &[CartItem]) -> Result<(), DomainError> {
    if cart.is_empty() {
        return Err(DomainError::invalid(
            FieldPath::named(field::CART),
            "must hold at least one product",
        ));
    }
    if cart.len() > MAX_CART_ITEMS {
        return Err(DomainError::invalid(
            FieldPath::named(field::CART),
            format!("at most {MAX_CART_ITEMS} items"),
        ));
    }
    for (i, item) in cart.iter().enumerate() {
        if item.quantity == 0 {
            return Err(DomainError::invalid(
                FieldPath::cart_line(i).field("quantity"),
                "must be at least 1",
            ));
        }
        if cart[..i].iter().any(|other| other.product == item.product) {
            return Err(DomainError::invalid(
                FieldPath::cart_line(i).field(field::PRODUCT),
                "the same product appears twice; use quantity",
            ));
        }
    }
    Ok(())
}

/// `confirm: true` promises every detail the payment needs is present.
fn check_confirmable(
    draft: &SessionDraft,
    has_email: bool,
    minimal_address: bool,
) -> Result<(), DomainError> {
    if !has_email {
        return Err(DomainError::invalid(
            "customer",
            "confirm: true needs a customer (customer_id, or email)",
        ));
    }
    let Some(billing) = &draft.billing else {
        return Err(DomainError::invalid(
            "billing_address",
            "confirm: true needs a billing address",
        ));
    };
    let missing = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
    let required: &[(&str, &Option<String>)] = if minimal_address {
        &[("zipcode", &billing.zipcode)]
    } else {
        &[
            ("street", &billing.street),
            ("city", &billing.city),
            ("state", &billing.state),
            ("zipcode", &billing.zipcode),
        ]
    };
    for (name, value) in required {
        if missing(value) {
            return Err(DomainError::invalid(
                format!("billing_address.{name}"),
                "is required with confirm: true",
            ));
        }
    }
    if draft.flags.require_tax_id && draft.tax_id.is_none() {
        return Err(DomainError::invalid(
            "tax_id",
            "is required with confirm: true and feature_flags.require_tax_id",
        ));
    }
    Ok(())
}

fn is_false(value: &bool) -> bool {
    !*value
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}
