//! Checkout responses: `CreateSessionResponse`, `CalculateSessionResponse`,
//! `GetCheckoutSessionsStatus`.

use kassa_app::PricedSession;
use kassa_core::catalog::TaxCategory;
use kassa_core::checkout::{CheckoutSession, Quote};
use kassa_core::pricing::CartBreakdown;
use serde::Serialize;
use serde_json::Value;
use time::{Duration, OffsetDateTime};

use crate::wire::ts;

#[derive(Serialize)]
pub struct SessionCreatedOut {
    session_id: String,
    checkout_url: Option<String>,
    client_secret: Option<String>,
    payment_id: Option<String>,
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

#[derive(Serialize)]
pub struct SessionStatusOut {
    id: String,
    created_at: String,
    customer_email: Option<String>,
    customer_name: Option<String>,
    payment_id: Option<String>,
    payment_status: Option<&'static str>,
}

impl From<&CheckoutSession> for SessionStatusOut {
    fn from(s: &CheckoutSession) -> SessionStatusOut {
        SessionStatusOut {
            id: s.id.to_string(),
            created_at: ts(s.created_at),
            customer_email: s.customer_email.clone(),
            customer_name: s.customer_name.clone(),
            payment_id: s.payment.as_ref().map(ToString::to_string),
            payment_status: s.completed_at.map(|_| "succeeded"),
        }
    }
}

#[derive(Serialize)]
struct BreakupOut {
    subtotal: i64,
    discount: i64,
    tax: Option<i64>,
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

#[derive(Serialize)]
struct LineOut {
    product_id: String,
    quantity: u32,
    name: Option<String>,
    description: Option<String>,
    /// The line before discounts (unit price × quantity) in the product's
    /// own currency, before adaptive pricing converted it.
    og_price: i64,
    og_currency: &'static str,
    /// The line after discounts, in `currency`; without conversion
    /// `og_price - discounted_price` is the deduction.
    discounted_price: i64,
    discount_amount: Option<u32>,
    discount_cycle: Option<u32>,
    currency: &'static str,
    tax: Option<i64>,
    /// Basis points.
    tax_rate: u32,
    tax_category: TaxCategory,
    tax_inclusive: bool,
    is_subscription: bool,
    is_usage_based: bool,
    meters: Vec<Value>,
    credit_entitlements: Vec<Value>,
    addons: Option<Vec<AddonOut>>,
}

/// `CalculatedAddonItem`: an addon's own line, nested under its product.
#[derive(Serialize)]
struct AddonOut {
    addon_id: String,
    quantity: u32,
    name: String,
    description: Option<String>,
    og_price: i64,
    og_currency: &'static str,
    discounted_price: i64,
    discount_amount: Option<u32>,
    currency: &'static str,
    tax: Option<i64>,
    tax_rate: u32,
    tax_category: TaxCategory,
    tax_inclusive: bool,
    single_quantity_price: i64,
}

#[derive(Serialize)]
pub struct PreviewOut {
    billing_country: String,
    currency: &'static str,
    total_price: i64,
    total_tax: Option<i64>,
    current_breakup: BreakupOut,
    recurring_breakup: Option<BreakupOut>,
    product_cart: Vec<LineOut>,
    is_byop: bool,
    next_billing_date: Option<String>,
    trial_amount: Option<i64>,
    trial_period_days: Option<u32>,
    tax_id_err_msg: Option<String>,
    tax_id_format_name: Option<&'static str>,
    tax_id_business_name: Option<String>,
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
