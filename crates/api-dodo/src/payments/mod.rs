//! `/payments`: open one (with a payment link), retrieve, list with
//! filters, line items.

mod create;

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use kassa_app::App;
use kassa_core::customer::Customer;
use kassa_core::id::{BrandId, CustomerId, PaymentId, ProductId};
use kassa_core::payment::{Payment, PaymentFilter, PaymentStatus};
use kassa_core::tenancy::Scope;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::ApiError;
use crate::extract::{Body, Caller, Query, path_id};
use crate::wire::{Items, currency, metadata_out, page, parse_ts_opt, ts};
use create::{PaymentCreatedOut, PaymentRequest};

#[derive(Deserialize)]
pub struct ListQuery {
    page_size: Option<i64>,
    page_number: Option<i64>,
    created_at_gte: Option<String>,
    created_at_lte: Option<String>,
    customer_id: Option<String>,
    subscription_id: Option<String>,
    status: Option<String>,
    brand_id: Option<String>,
    product_id: Option<String>,
    currency: Option<String>,
}

#[derive(Serialize)]
struct CustomerOut {
    customer_id: String,
    email: String,
    name: String,
    phone_number: Option<String>,
    metadata: Value,
}

fn customer_out(c: &Customer) -> CustomerOut {
    CustomerOut {
        customer_id: c.id.to_string(),
        email: c.email.clone(),
        name: c.name.clone(),
        phone_number: c.phone_number.clone(),
        metadata: metadata_out(&c.metadata),
    }
}

/// Kassa's test processor and any processor without a BYOP route show as
/// `dodo`, as on Dodo itself.
fn provider(name: &str) -> &'static str {
    match name {
        "stripe" => "stripe",
        "adyen" => "adyen",
        _ => "dodo",
    }
}

fn billing(p: &Payment) -> Value {
    json!({
        "country": p.billing.country.as_str(),
        "street": p.billing.street,
        "city": p.billing.city,
        "state": p.billing.state,
        "zipcode": p.billing.zipcode,
    })
}

/// `PaymentResponse`.
pub(crate) fn payment_out(p: &Payment, c: &Customer) -> Value {
    let card = p.card.as_ref();
    json!({
        "payment_id": p.id.as_str(),
        "business_id": p.business.as_str(),
        "brand_id": p.brand.as_str(),
        "created_at": ts(p.created_at),
        "updated_at": ts(p.updated_at),
        "status": p.status.as_str(),
        "total_amount": p.total_amount,
        "tax": p.tax,
        "currency": p.currency.code(),
        "settlement_amount": p.total_amount,
        "settlement_currency": p.currency.code(),
        "settlement_tax": p.tax,
        "billing": billing(p),
        "customer": customer_out(c),
        "metadata": metadata_out(&p.metadata),
        "product_cart": p.lines.iter().map(|l| json!({"product_id": l.product.as_str(), "quantity": l.quantity})).collect::<Vec<_>>(),
        "subscription_id": null,
        "checkout_session_id": p.checkout_session.as_ref().map(|s| s.to_string()),
        "payment_link": null,
        "payment_method": p.payment_method_type.as_deref().map(|t| if t.starts_with("upi") { "upi" } else { "card" }),
        "payment_method_type": p.payment_method_type,
        "payment_method_id": p.saved_method.as_ref().map(|m| m.as_str()),
        "payment_provider": provider(&p.provider),
        "card_last_four": card.map(|c| c.last_four.clone()),
        "card_network": card.map(|c| c.network.clone()),
        "card_type": card.map(|c| c.card_type.clone()),
        "card_issuing_country": null,
        "card_holder_name": card.and_then(|c| c.holder.clone()),
        "discounts": null,
        "discount_id": p.discounts.first().map(|d| d.to_string()),
        "disputes": [],
        "refunds": [],
        "refund_status": null,
        "retry_attempt": 0,
        "is_update_payment_method": false,
        "digital_products_delivered": false,
        "custom_field_responses": p.custom_field_responses.iter().map(|(k, v)| json!({"key": k, "value": v})).collect::<Vec<_>>(),
        "error_code": p.error_code,
        "error_message": p.error_message,
        "invoice_id": null,
        "invoice_url": null,
    })
}

/// `GetPaymentsListResponseItem`.
fn list_item(p: &Payment, c: &Customer) -> Value {
    let card = p.card.as_ref();
    json!({
        "payment_id": p.id.as_str(),
        "brand_id": p.brand.as_str(),
        "created_at": ts(p.created_at),
        "currency": p.currency.code(),
        "customer": customer_out(c),
        "total_amount": p.total_amount,
        "status": p.status.as_str(),
        "subscription_id": null,
        "payment_method": p.payment_method_type.as_deref().map(|t| if t.starts_with("upi") { "upi" } else { "card" }),
        "payment_method_type": p.payment_method_type,
        "payment_provider": provider(&p.provider),
        "card_last_four": card.map(|c| c.last_four.clone()),
        "card_network": card.map(|c| c.network.clone()),
        "digital_products_delivered": false,
        "has_license_key": false,
        "dispute_status": null,
        "refund_status": null,
        "invoice_id": null,
        "invoice_url": null,
        "metadata": metadata_out(&p.metadata),
    })
}

pub(crate) async fn with_customer(
    app: &App,
    scope: &Scope,
    p: &Payment,
) -> Result<Customer, ApiError> {
    Ok(app.customer(scope, &p.customer).await?)
}

pub async fn create(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Body(body): Body<PaymentRequest>,
) -> Result<Json<PaymentCreatedOut>, ApiError> {
    let ask = body.into_ask()?;
    let opened = app.create_payment(&scope, ask.draft).await?;
    Ok(Json(PaymentCreatedOut::new(&opened, ask.payment_link)))
}

pub async fn retrieve(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id("payment", &id, PaymentId::parse)?;
    let p = app.payment(&scope, &id).await?;
    let c = with_customer(&app, &scope, &p).await?;
    Ok(Json(payment_out(&p, &c)))
}

pub async fn line_items(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id("payment", &id, PaymentId::parse)?;
    let p = app.payment(&scope, &id).await?;
    let refundable = p.status == PaymentStatus::Succeeded;
    let items: Vec<Value> = p
        .lines
        .iter()
        .map(|l| {
            json!({
                "items_id": l.product.as_str(),
                "amount": l.amount,
                "tax": l.tax,
                "refundable_amount": if refundable { l.amount } else { 0 },
                "name": l.name,
                "description": l.description,
            })
        })
        .collect();
    Ok(Json(json!({"currency": p.currency.code(), "items": items})))
}

fn query_id<T>(
    name: &str,
    raw: Option<&str>,
    parse: impl Fn(&str) -> Result<T, kassa_core::id::IdError>,
) -> Result<Option<T>, ApiError> {
    raw.map(|r| {
        parse(r).map_err(|_| ApiError::InvalidQuery(format!("{name}: `{r}` is not a valid id")))
    })
    .transpose()
}

pub async fn list(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Query(q): Query<ListQuery>,
) -> Result<Json<Items<Value>>, ApiError> {
    let page = page(q.page_number, q.page_size)?;
    let status = q
        .status
        .as_deref()
        .map(|s| {
            PaymentStatus::parse(s).ok_or_else(|| {
                ApiError::InvalidQuery(format!("status: `{s}` is not a payment status"))
            })
        })
        .transpose()?;
    let filter = PaymentFilter {
        status,
        customer: query_id("customer_id", q.customer_id.as_deref(), CustomerId::parse)?,
        brand: query_id("brand_id", q.brand_id.as_deref(), BrandId::parse)?,
        product: query_id("product_id", q.product_id.as_deref(), ProductId::parse)?,
        currency: q
            .currency
            .as_deref()
            .map(|c| currency("currency", c))
            .transpose()?,
        created_at_gte: parse_ts_opt("created_at_gte", q.created_at_gte.as_deref())?,
        created_at_lte: parse_ts_opt("created_at_lte", q.created_at_lte.as_deref())?,
    };
    // Kassa has no subscriptions yet, so no payment belongs to one.
    let payments = if q.subscription_id.is_some() {
        Vec::new()
    } else {
        app.list_payments(&scope, &filter, page).await?
    };
    let mut items = Vec::with_capacity(payments.len());
    for p in &payments {
        items.push(list_item(p, &with_customer(&app, &scope, p).await?));
    }
    Ok(Json(Items { items }))
}
