//! Checkout responses: `CreateSessionResponse`, `CalculateSessionResponse`,
//! `GetCheckoutSessionsStatus`.

use kassa_app::PricedSession;
use kassa_core::catalog::TaxCategory;
use kassa_core::checkout::{CheckoutSession, Quote};
use kassa_core::payment::{Payment, PaymentStatus};
use kassa_core::pricing::CartBreakdown;
use serde::Serialize;
use serde_json::Value;
use time::{Duration, OffsetDateTime};
use utoipa::ToSchema;

use super::schema::PaymentStatusSchema;
use crate::openapi::{CountryCode, CurrencyCode, TaxCategorySchema};
use crate::wire::ts;

/// `CreateSessionResponse`.
#[derive(Serialize, ToSchema)]
#[schema(as = CreateSessionResponse)]
pub struct SessionCreatedOut {
    /// The session's id (`cks_…`).
    session_id: String,
    /// The hosted page; null when a saved method was charged
    /// (`payment_method_id`).
    #[schema(required)]
    checkout_url: Option<String>,
    /// With `confirm: true`: the session id, which an embedded checkout
    /// presents; null otherwise.
    #[schema(required)]
    client_secret: Option<String>,
    /// With `confirm: true`: the payment the session opened.
    #[schema(required)]
    payment_id: Option<String>,
    /// Always null: Kassa has no embedded checkout SDK key.
    #[schema(required)]
    publishable_key: Option<String>,
}

impl From<&PricedSession> for SessionCreatedOut {
    fn from(p: &PricedSession) -> SessionCreatedOut {
        SessionCreatedOut {
            session_id: p.session.id.to_string(),
            // Charged with a saved method, the session has no page to visit.
            checkout_url: p
                .session
                .payment_method_id
                .is_none()
                .then(|| p.checkout_url.clone()),
            // A confirmed session carries its pending payment; the session id
            // is the capability an embedded checkout would present.
            client_secret: p.payment.as_ref().map(|_| p.session.id.to_string()),
            payment_id: p.payment.as_ref().map(|id| id.to_string()),
            publishable_key: None,
        }
    }
}

/// `GetCheckoutSessionsStatus`.
#[derive(Serialize, ToSchema)]
#[schema(as = GetCheckoutSessionsStatus)]
pub struct SessionStatusOut {
    /// The session's id (`cks_…`).
    id: String,
    #[schema(format = DateTime)]
    created_at: String,
    /// The customer's email as last entered on the page (or sent).
    #[schema(required)]
    customer_email: Option<String>,
    #[schema(required)]
    customer_name: Option<String>,
    /// The latest payment attempt; null before the customer pays.
    #[schema(required)]
    payment_id: Option<String>,
    /// The latest payment's status (`failed`, `processing`,
    /// `requires_customer_action`, `succeeded`…); null before any.
    #[schema(required, value_type = Option<PaymentStatusSchema>)]
    payment_status: Option<PaymentStatus>,
}

impl SessionStatusOut {
    /// The session with its latest payment, as the app reads them together.
    pub fn new(s: &CheckoutSession, payment: Option<&Payment>) -> SessionStatusOut {
        SessionStatusOut {
            id: s.id.to_string(),
            created_at: ts(s.created_at),
            customer_email: s.customer_email.clone(),
            customer_name: s.customer_name.clone(),
            payment_id: s.payment.as_ref().map(ToString::to_string),
            payment_status: payment.map(|p| p.status),
        }
    }
}

/// `CurrentBreakup` / `RecurringBreakup`: a cart's figures in minor units.
#[derive(Serialize, ToSchema)]
#[schema(as = Breakup)]
struct BreakupOut {
    /// Before discounts and tax.
    subtotal: i64,
    discount: i64,
    /// Always set by Kassa.
    #[schema(required)]
    tax: Option<i64>,
    /// What is charged: after discounts, tax included.
    total_amount: i64,
}

impl From<&CartBreakdown> for BreakupOut {
    fn from(b: &CartBreakdown) -> BreakupOut {
        BreakupOut {
            subtotal: b.subtotal,
            discount: b.discount,
            tax: Some(b.tax),
            total_amount: b.total,
        }
    }
}

/// `CalculatedProductCartItem`: a product's line, with its addons'.
#[derive(Serialize, ToSchema)]
#[schema(as = CalculatedProductCartItem)]
struct LineOut {
    product_id: String,
    quantity: u32,
    #[schema(required)]
    name: Option<String>,
    #[schema(required)]
    description: Option<String>,
    /// The line before discounts (unit price × quantity) in the product's
    /// own currency, before adaptive pricing converted it.
    og_price: i64,
    #[schema(value_type = CurrencyCode)]
    og_currency: &'static str,
    /// The line after discounts, in `currency`; without conversion
    /// `og_price - discounted_price` is the deduction.
    discounted_price: i64,
    /// Always null in Kassa.
    #[schema(required)]
    discount_amount: Option<u32>,
    /// Always null in Kassa.
    #[schema(required)]
    discount_cycle: Option<u32>,
    #[schema(value_type = CurrencyCode)]
    currency: &'static str,
    #[schema(required)]
    tax: Option<i64>,
    /// Basis points.
    tax_rate: u32,
    #[schema(value_type = TaxCategorySchema)]
    tax_category: TaxCategory,
    tax_inclusive: bool,
    is_subscription: bool,
    is_usage_based: bool,
    /// Always empty: meters are not served yet.
    meters: Vec<Value>,
    /// Always empty: credit entitlements are not served yet.
    credit_entitlements: Vec<Value>,
    /// A subscription line's addons (possibly none); null for one-time
    /// products.
    #[schema(required)]
    addons: Option<Vec<AddonOut>>,
}

/// `CalculatedAddonItem`: an addon's own line, nested under its product.
#[derive(Serialize, ToSchema)]
#[schema(as = CalculatedAddonItem)]
struct AddonOut {
    addon_id: String,
    quantity: u32,
    name: String,
    #[schema(required)]
    description: Option<String>,
    og_price: i64,
    #[schema(value_type = CurrencyCode)]
    og_currency: &'static str,
    discounted_price: i64,
    /// Always null in Kassa.
    #[schema(required)]
    discount_amount: Option<u32>,
    #[schema(value_type = CurrencyCode)]
    currency: &'static str,
    #[schema(required)]
    tax: Option<i64>,
    /// Basis points.
    tax_rate: u32,
    #[schema(value_type = TaxCategorySchema)]
    tax_category: TaxCategory,
    tax_inclusive: bool,
    /// One unit's price, before discounts and tax.
    single_quantity_price: i64,
}

/// `CalculateSessionResponse`: what the session would charge, today and
/// per period.
#[derive(Serialize, ToSchema)]
#[schema(as = CalculateSessionResponse)]
pub struct PreviewOut {
    /// The billing address's country, or `US` without one.
    #[schema(value_type = CountryCode)]
    billing_country: String,
    #[schema(value_type = CurrencyCode)]
    currency: &'static str,
    /// Charged today, in minor units.
    total_price: i64,
    #[schema(required)]
    total_tax: Option<i64>,
    /// Today's charge.
    current_breakup: BreakupOut,
    /// Each period's charge; null for a cart without subscriptions.
    #[schema(required)]
    recurring_breakup: Option<BreakupOut>,
    /// Product lines in cart order, each with its addons.
    product_cart: Vec<LineOut>,
    /// Always false: Kassa routes no payment to a merchant's own processor.
    is_byop: bool,
    /// Now plus the trial, or plus the first subscription's period; null
    /// for one-time carts.
    #[schema(required, format = DateTime)]
    next_billing_date: Option<String>,
    /// Always null in Kassa.
    #[schema(required)]
    trial_amount: Option<i64>,
    /// The cart's trial, when exactly one subscription has one.
    #[schema(required)]
    trial_period_days: Option<u32>,
    /// Why the tax id cannot exempt this sale, when one was given.
    #[schema(required)]
    tax_id_err_msg: Option<String>,
    /// `VAT Number` when the sale is reverse-charged.
    #[schema(required)]
    tax_id_format_name: Option<&'static str>,
    /// Always null: Kassa looks up no registry.
    #[schema(required)]
    tax_id_business_name: Option<String>,
    /// Whether the customer must give a payment method (something is due
    /// now or later).
    payment_method_required: bool,
}

impl PreviewOut {
    pub fn new(q: &Quote, now: OffsetDateTime) -> PreviewOut {
        let currency = q.currency.code();
        PreviewOut {
            billing_country: q.country.as_str().to_owned(),
            currency,
            total_price: q.today.total,
            total_tax: Some(q.today.tax),
            current_breakup: BreakupOut::from(&q.today),
            recurring_breakup: q.recurring.as_ref().map(BreakupOut::from),
            product_cart: cart_out(q),
            is_byop: false,
            next_billing_date: next_billing_date(q, now),
            trial_amount: None,
            trial_period_days: q.trial_days,
            tax_id_err_msg: q.tax_id_error.clone(),
            tax_id_format_name: q.reverse_charge.then_some("VAT Number"),
            tax_id_business_name: None,
            payment_method_required: q.today.total > 0 || q.recurring.is_some(),
        }
    }
}

/// Product lines in cart order, each addon line nested in its product's.
fn cart_out(q: &Quote) -> Vec<LineOut> {
    let currency = q.currency.code();
    let mut out: Vec<LineOut> = Vec::with_capacity(q.lines.len());
    for l in &q.lines {
        if let Some(addon) = &l.addon {
            let nested = AddonOut {
                addon_id: addon.to_string(),
                quantity: l.quantity,
                name: l.name.clone(),
                description: l.description.clone(),
                og_price: l.original.0,
                og_currency: l.original.1.code(),
                discounted_price: l.subtotal - l.discount,
                discount_amount: None,
                currency,
                tax: Some(l.tax),
                tax_rate: l.tax_rate.basis_points(),
                tax_category: l.tax_category,
                tax_inclusive: l.tax_inclusive,
                single_quantity_price: l.unit_amount,
            };
            if let Some(parent) = out.last_mut() {
                parent.addons.get_or_insert_with(Vec::new).push(nested);
            }
            continue;
        }
        out.push(LineOut {
            product_id: l.product.to_string(),
            quantity: l.quantity,
            name: Some(l.name.clone()),
            description: l.description.clone(),
            og_price: l.original.0,
            og_currency: l.original.1.code(),
            discounted_price: l.subtotal - l.discount,
            discount_amount: None,
            discount_cycle: None,
            currency,
            tax: Some(l.tax),
            tax_rate: l.tax_rate.basis_points(),
            tax_category: l.tax_category,
            tax_inclusive: l.tax_inclusive,
            is_subscription: l.is_subscription,
            is_usage_based: l.is_usage_based,
            meters: Vec::new(),
            credit_entitlements: Vec::new(),
            addons: l.is_subscription.then(Vec::new),
        });
    }
    out
}

/// With a trial, now + trial days; otherwise now + the first subscription's
/// payment frequency; none for one-time carts.
fn next_billing_date(q: &Quote, now: OffsetDateTime) -> Option<String> {
    let first = q.lines.iter().find(|l| l.is_subscription)?;
    if first.trial_days > 0 {
        return Some(ts(now + Duration::days(i64::from(first.trial_days))));
    }
    first.payment_frequency.map(|p| ts(p.after(now)))
}
