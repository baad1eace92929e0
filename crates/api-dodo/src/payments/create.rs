//! `POST /payments`: `CreateOneTimePaymentRequest` parsed into a session
//! draft, and `CreateOneTimePaymentResponse` rendered from what was opened.

use kassa_app::OpenPayment;
use kassa_core::checkout::{FeatureFlags, SessionDraft};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::{CustomerOut, customer_out};
use crate::ApiError;
use crate::checkouts::request::{
    AddressIn, CartItemIn, CustomerIn, address, cart, codes, customer, invalid, method_types,
};
use crate::checkouts::schema::{
    PaymentCustomer, PaymentMethodType, WebUrl, empty_list, rule, with_rules,
};
use crate::openapi::{CurrencyCode, MetadataSchema, MinorUnits};
use crate::wire::{MetadataIn, currency, metadata_in, metadata_out, ts};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

/// Dodo caps a one-time payment's cart at 100 lines (the session it opens
/// holds at most 20: `kassa_core::checkout::MAX_CART_ITEMS`).
const MAX_CART: usize = 100;

/// `CreateOneTimePaymentRequest`: a pending payment for one-time products,
/// taken on its hosted page (the payment link) or at once with a saved
/// method.
///
/// Rules between fields, refused with a 422 naming the field (those a
/// schema can state are also in [`PaymentRequestSchema`]'s `allOf`):
/// - each product appears once in `product_cart`, exists (else 404), is
///   not archived, is a one-time product, and all share one currency; a
///   line's `amount` is at least a pay-what-you-want product's price;
/// - `discount_code` and `discount_codes` are not both given, and each
///   code exists, is redeemable for this cart and appears once;
/// - `payment_method_id` needs an existing customer (by `customer_id`, or
///   the email of one) who owns that method (else 404), and a
///   `billing.zipcode` that is not blank.
#[derive(Deserialize, ToSchema)]
pub struct PaymentRequest {
    billing: AddressIn,
    #[schema(value_type = PaymentCustomer)]
    customer: CustomerIn,
    /// 1 to 20 lines (Dodo allows 100), each product once.
    #[schema(value_type = Vec<OneTimeCartItem>, min_items = 1, max_items = 20)]
    product_cart: Vec<CartItemIn>,
    /// Answer with the hosted page's URL (`payment_link`).
    #[serde(default)]
    payment_link: Option<bool>,
    /// Where the customer goes after paying (or failing to).
    #[schema(value_type = Option<WebUrl>)]
    return_url: Option<String>,
    /// Make the payment link a short one.
    #[serde(default)]
    short_link: Option<bool>,
    /// Discount codes to stack, in order: at most 20, each once.
    #[schema(max_items = 20)]
    discount_codes: Option<Vec<String>>,
    /// One discount code (deprecated): not with `discount_codes`.
    #[schema(deprecated)]
    discount_code: Option<String>,
    /// The methods the page may offer; duplicates are allowed.
    #[schema(value_type = Option<Vec<PaymentMethodType>>)]
    allowed_payment_method_types: Option<Vec<String>>,
    /// Bill in this currency (adaptive pricing); ignored unless the
    /// operator has loaded exchange rates.
    #[schema(value_type = Option<CurrencyCode>)]
    billing_currency: Option<String>,
    /// Accepted and ignored: Kassa's currency conversion adds no fees.
    #[allow(dead_code)] // type-checked, then unused
    adaptive_currency_fees_inclusive: Option<bool>,
    /// A saved method (`pm_…`) of the customer's to charge now; the
    /// response then reflects the charge.
    payment_method_id: Option<String>,
    /// Offer a returning customer's saved methods.
    #[serde(default)]
    show_saved_payment_methods: bool,
    /// Send the customer to `return_url` as soon as the payment completes.
    #[serde(default)]
    redirect_immediately: bool,
    /// The page requires a phone number.
    #[serde(default)]
    require_phone_number: bool,
    /// Overrides the merchant's 3-D Secure default.
    force_3ds: Option<bool>,
    /// The customer's tax id; a valid EU VAT number of the billing country
    /// makes the sale reverse-charged.
    tax_id: Option<String>,
    /// The legal name to invoice with a tax id.
    customer_business_name: Option<String>,
    #[schema(value_type = Option<MetadataSchema>)]
    metadata: Option<MetadataIn>,
}

with_rules! {
    /// `CreateOneTimePaymentRequest`: [`PaymentRequest`]'s fields and the
    /// rules between them that a schema can state.
    PaymentRequestSchema as "CreateOneTimePaymentRequest" for PaymentRequest => [
        rule::not_both("discount_code", "discount_codes"),
        saved_method_rule(),
    ]
}

/// `payment_method_id` needs an existing customer and a zipcode. (An
/// existing customer's email would do on the server; the schema asks for
/// the id.)
fn saved_method_rule() -> Schema {
    rule::any(
        [
            rule::on()
                .property("payment_method_id", rule::unset())
                .into(),
            rule::on()
                .property(
                    "customer",
                    ObjectBuilder::new()
                        .required("customer_id")
                        .property("customer_id", rule::of_type(Type::String)),
                )
                .property(
                    "billing",
                    rule::on()
                        .required("zipcode")
                        .property("zipcode", rule::not_blank()),
                )
                .into(),
        ],
        "`payment_method_id` needs `customer.customer_id` and a `billing.zipcode` that is not blank.",
    )
}

/// `OneTimeProductCartItemReq`: a cart line of a one-time payment.
// Parsed as `CartItemIn`; only its schema differs (no addons).
#[derive(ToSchema)]
#[schema(as = OneTimeProductCartItemReq)]
#[allow(dead_code)] // a schema only
struct OneTimeCartItem {
    /// A product id (`pdt_…`) of a one-time product.
    #[schema(pattern = "^pdt_[0-9A-Za-z]{21}$")]
    product_id: String,
    /// At least 1 (Dodo allows 0).
    #[schema(minimum = 1, maximum = 4294967295_i64)]
    quantity: i64,
    /// The price a pay-what-you-want product is sold at, in minor units:
    /// at least the product's price; ignored for other products.
    #[schema(value_type = Option<MinorUnits>)]
    amount: Option<i64>,
    /// One-time products take no addons: null or empty only.
    #[schema(schema_with = no_addons)]
    addons: Option<Vec<Value>>,
    /// Credit entitlements are not served yet: null or empty only.
    #[schema(schema_with = empty_list)]
    credit_entitlements: Option<Vec<Value>>,
}

/// `null` or `[]`: a one-time product takes no addons (any addon is
/// refused with a 422).
fn no_addons() -> utoipa::openapi::schema::Schema {
    let mut schema = empty_list();
    if let utoipa::openapi::schema::Schema::Array(array) = &mut schema {
        array.description = Some(
            "One-time products take no addons: only null or an empty list is accepted.".into(),
        );
    }
    schema
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

/// A cart line as the payment was opened with it.
#[derive(Serialize, ToSchema)]
#[schema(as = OneTimeProductCartItem)]
struct CartLineOut {
    product_id: String,
    quantity: u32,
    /// The pay-what-you-want amount asked for, if any.
    #[schema(required)]
    amount: Option<i64>,
}

/// `CreateOneTimePaymentResponse`.
#[derive(Serialize, ToSchema)]
#[schema(as = CreateOneTimePaymentResponse)]
pub struct PaymentCreatedOut {
    payment_id: String,
    /// The session id, which the hosted page (or an embedded checkout)
    /// presents.
    client_secret: String,
    customer: CustomerOut,
    #[schema(value_type = MetadataSchema)]
    metadata: Value,
    /// Due, tax included, in minor units.
    total_amount: i64,
    /// The hosted page, with `payment_link: true`; null otherwise.
    #[schema(required)]
    payment_link: Option<String>,
    /// When the payment link expires, with `payment_link: true`.
    #[schema(required, format = DateTime)]
    expires_on: Option<String>,
    product_cart: Vec<CartLineOut>,
    /// The discounts applied, in order.
    discount_ids: Vec<String>,
    /// The first of `discount_ids` (deprecated by Dodo).
    #[schema(required)]
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
