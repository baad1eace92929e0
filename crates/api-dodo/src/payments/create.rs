//! `POST /payments`: `CreateOneTimePaymentRequest` parsed into a session
//! draft, and `CreateOneTimePaymentResponse` rendered from what was opened.

use kassa_app::OpenPayment;
use kassa_core::checkout::{FeatureFlags, SessionDraft};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{CustomerOut, customer_out};
use crate::ApiError;
use crate::checkouts::request::{
    AddressIn, CartItemIn, CustomerIn, address, cart, codes, customer, invalid, method_types,
};
use crate::wire::{MetadataIn, currency, metadata_in, metadata_out, ts};

/// Dodo caps a one-time payment's cart at 100 lines.
const MAX_CART: usize = 100;

#[derive(Deserialize)]
pub struct PaymentRequest {
    billing: AddressIn,
    customer: CustomerIn,
    product_cart: Vec<CartItemIn>,
    #[serde(default)]
    payment_link: Option<bool>,
    return_url: Option<String>,
    #[serde(default)]
    short_link: Option<bool>,
    discount_codes: Option<Vec<String>>,
    discount_code: Option<String>,
    allowed_payment_method_types: Option<Vec<String>>,
    billing_currency: Option<String>,
    /// Type-checked, then unused: Kassa's currency conversion adds no fees.
    #[allow(dead_code)]
    adaptive_currency_fees_inclusive: Option<bool>,
    payment_method_id: Option<String>,
    #[serde(default)]
    show_saved_payment_methods: bool,
    #[serde(default)]
    redirect_immediately: bool,
    #[serde(default)]
    require_phone_number: bool,
    force_3ds: Option<bool>,
    tax_id: Option<String>,
    customer_business_name: Option<String>,
    metadata: Option<MetadataIn>,
}

/// What the request asked for besides the session itself.
pub struct PaymentAsk {
    pub draft: SessionDraft,
    /// Whether the response carries the hosted page's URL.
    pub payment_link: bool,
}

impl PaymentRequest {
    pub fn into_ask(self) -> Result<PaymentAsk, ApiError> {
        if self.product_cart.is_empty() || self.product_cart.len() > MAX_CART {
            return Err(invalid(
                "product_cart",
                format!(
                    "must hold 1 to {MAX_CART} items, got {}",
                    self.product_cart.len()
                ),
            ));
        }
        let flags = FeatureFlags {
            redirect_immediately: self.redirect_immediately,
            require_phone_number: self.require_phone_number,
            ..FeatureFlags::default()
        };
        let draft = SessionDraft {
            cart: cart(self.product_cart)?,
            customer: Some(customer(self.customer)?),
            billing: Some(address(self.billing, "billing")?),
            // Naming a saved method charges at once: the session is confirmed,
            // and only what a card charge needs is asked of the address.
            minimal_address: self.payment_method_id.as_ref().map(|_| true),
            confirm: self.payment_method_id.is_some(),
            payment_method_id: self.payment_method_id,
            return_url: self.return_url,
            cancel_url: None,
            billing_currency: self
                .billing_currency
                .map(|c| currency("billing_currency", &c))
                .transpose()?,
            allowed_payment_method_types: method_types(self.allowed_payment_method_types)?,
            show_saved_payment_methods: self.show_saved_payment_methods,
            discount_codes: codes(self.discount_codes, self.discount_code)?,
            custom_fields: Vec::new(),
            metadata: metadata_in(self.metadata)?,
            tax_id: self.tax_id,
            customer_business_name: self.customer_business_name,
            short_link: self.short_link.unwrap_or(false),
            trial_period_days: None,
            force_3ds: self.force_3ds,
            customization: Default::default(),
            flags,
        };
        Ok(PaymentAsk {
            draft,
            payment_link: self.payment_link.unwrap_or(false),
        })
    }
}

#[derive(Serialize)]
struct CartLineOut {
    product_id: String,
    quantity: u32,
    amount: Option<i64>,
}

/// `CreateOneTimePaymentResponse`.
#[derive(Serialize)]
pub struct PaymentCreatedOut {
    payment_id: String,
    client_secret: String,
    customer: CustomerOut,
    metadata: Value,
    total_amount: i64,
    payment_link: Option<String>,
    expires_on: Option<String>,
    product_cart: Vec<CartLineOut>,
    discount_ids: Vec<String>,
    discount_id: Option<String>,
}

impl PaymentCreatedOut {
    pub fn new(opened: &OpenPayment, payment_link: bool) -> PaymentCreatedOut {
        let p = &opened.payment;
        let c = &opened.customer;
        let discount_ids: Vec<String> = p.discounts.iter().map(|d| d.to_string()).collect();
        PaymentCreatedOut {
            payment_id: p.id.to_string(),
            // The session id is the capability the hosted page needs; an
            // embedded checkout would present it as the client secret.
            client_secret: opened.session.id.to_string(),
            customer: customer_out(c),
            metadata: metadata_out(&p.metadata),
            total_amount: p.total_amount,
            payment_link: payment_link.then(|| opened.link.clone()),
            expires_on: payment_link.then(|| ts(opened.session.expires_at)),
            product_cart: opened
                .session
                .cart
                .iter()
                .map(|i| CartLineOut {
                    product_id: i.product.to_string(),
                    quantity: i.quantity,
                    amount: i.amount.map(|a| a.minor()),
                })
                .collect(),
            discount_id: discount_ids.first().cloned(),
            discount_ids,
        }
    }
}
