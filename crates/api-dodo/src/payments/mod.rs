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
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::ApiError;
use crate::checkouts::schema::PaymentStatusSchema;
use crate::extract::{Body, Caller, Query, path_id};
use crate::openapi::{CountryCode, CurrencyCode, MetadataSchema, Rfc3339};
use crate::wire::{Items, currency, metadata_out, page, parse_ts_opt, ts};
use create::{PaymentCreatedOut, PaymentRequest, PaymentRequestSchema};

/// `GET /payments` filters. Kassa has no subscriptions yet, so a
/// `subscription_id` matches no payment.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Page size, 1 to 100 (default 10).
    #[param(minimum = 1, maximum = 100)]
    page_size: Option<i64>,
    /// Zero-based page number.
    #[param(minimum = 0, maximum = 2147483647)]
    page_number: Option<i64>,
    /// Created at or after this RFC 3339 instant.
    #[param(value_type = Option<Rfc3339>)]
    created_at_gte: Option<String>,
    /// Created at or before this RFC 3339 instant.
    #[param(value_type = Option<Rfc3339>)]
    created_at_lte: Option<String>,
    /// Only this customer's payments (`cus_…`; another shape is a 422).
    #[param(pattern = "^cus_[0-9A-Za-z]{21}$")]
    customer_id: Option<String>,
    /// Matches no payment: Kassa has no subscriptions yet.
    subscription_id: Option<String>,
    /// Only payments in this state (one of Kassa's; Dodo's others are a
    /// 422).
    #[param(value_type = Option<PaymentStatusSchema>)]
    status: Option<String>,
    /// Only this brand's payments (`brnd_…`; another shape is a 422).
    #[param(pattern = "^brnd_[0-9A-Za-z]{21}$")]
    brand_id: Option<String>,
    /// Only payments with a line of this product (`pdt_…`; another shape
    /// is a 422).
    #[param(pattern = "^pdt_[0-9A-Za-z]{21}$")]
    product_id: Option<String>,
    /// Only payments in this currency.
    #[param(value_type = Option<CurrencyCode>)]
    currency: Option<String>,
}

/// The `{payment_id}` of a payment route.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
struct PaymentPath {
    /// A payment id (`pay_…`); any other string is a 404.
    payment_id: String,
}

/// `CustomerLimitedDetailsResponse`: the paying customer.
#[derive(Serialize, ToSchema)]
#[schema(as = CustomerLimitedDetailsResponse)]
pub(crate) struct CustomerOut {
    customer_id: String,
    email: String,
    #[schema(value_type = MetadataSchema)]
    metadata: Value,
    name: String,
    #[schema(required)]
    phone_number: Option<String>,
}

pub(crate) fn customer_out(c: &Customer) -> CustomerOut {
    CustomerOut {
        customer_id: c.id.to_string(),
        email: c.email.clone(),
        metadata: metadata_out(&c.metadata),
        name: c.name.clone(),
        phone_number: c.phone_number.clone(),
    }
}

/// `PaymentProvider`: who processed the payment. Kassa's test processor
/// and any processor without a BYOP route show as `dodo`, as on Dodo.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = PaymentProvider)]
enum Provider {
    Stripe,
    Adyen,
    Dodo,
}

fn provider(name: &str) -> Provider {
    match name {
        "stripe" => Provider::Stripe,
        "adyen" => Provider::Adyen,
        _ => Provider::Dodo,
    }
}

/// `card` or `upi`, from the method type.
fn payment_method(p: &Payment) -> Option<&'static str> {
    p.payment_method_type
        .as_deref()
        .map(|t| if t.starts_with("upi") { "upi" } else { "card" })
}

/// `BillingAddress` as a payment records it.
#[derive(Serialize, ToSchema)]
#[schema(as = BillingAddress)]
struct BillingOut {
    #[schema(required)]
    city: Option<String>,
    #[schema(value_type = CountryCode)]
    country: String,
    #[schema(required)]
    state: Option<String>,
    #[schema(required)]
    street: Option<String>,
    #[schema(required)]
    zipcode: Option<String>,
}

fn billing(p: &Payment) -> BillingOut {
    BillingOut {
        city: p.billing.city.clone(),
        country: p.billing.country.as_str().to_owned(),
        state: p.billing.state.clone(),
        street: p.billing.street.clone(),
        zipcode: p.billing.zipcode.clone(),
    }
}

/// `OneTimeProductCartItemResponse`.
#[derive(Serialize, ToSchema)]
#[schema(as = OneTimeProductCartItemResponse)]
struct PaidLineOut {
    product_id: String,
    quantity: u32,
}

/// `CustomFieldResponse`: the customer's answer to a custom field.
#[derive(Serialize, ToSchema)]
#[schema(as = CustomFieldResponse)]
struct CustomFieldAnswerOut {
    key: String,
    value: String,
}

/// `PaymentResponse`. Fields Kassa has nothing for yet (subscriptions,
/// refunds, disputes, invoices) are null or empty.
// Fields in alphabetical order: the body was first rendered with `json!`
// (sorted keys), and webhook payloads still go through a `Value`.
#[derive(Serialize, ToSchema)]
#[schema(as = PaymentResponse)]
pub(crate) struct PaymentOut {
    billing: BillingOut,
    brand_id: String,
    business_id: String,
    #[schema(required)]
    card_holder_name: Option<String>,
    /// Always null in Kassa.
    #[schema(required, value_type = Option<CountryCode>)]
    card_issuing_country: Option<String>,
    #[schema(required)]
    card_last_four: Option<String>,
    #[schema(required)]
    card_network: Option<String>,
    /// `credit` or `debit`.
    #[schema(required)]
    card_type: Option<String>,
    #[schema(required)]
    checkout_session_id: Option<String>,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(value_type = CurrencyCode)]
    currency: &'static str,
    custom_field_responses: Vec<CustomFieldAnswerOut>,
    customer: CustomerOut,
    digital_products_delivered: bool,
    /// The first discount applied (deprecated by Dodo).
    #[schema(required)]
    discount_id: Option<String>,
    /// Always null in Kassa: see `discount_id`.
    #[schema(required)]
    discounts: Option<Vec<Value>>,
    /// Always empty in Kassa.
    disputes: Vec<Value>,
    #[schema(required)]
    error_code: Option<String>,
    #[schema(required)]
    error_message: Option<String>,
    /// Always null in Kassa.
    #[schema(required)]
    invoice_id: Option<String>,
    /// Always null in Kassa.
    #[schema(required)]
    invoice_url: Option<String>,
    is_update_payment_method: bool,
    #[schema(value_type = MetadataSchema)]
    metadata: Value,
    payment_id: String,
    /// Always null in Kassa.
    #[schema(required)]
    payment_link: Option<String>,
    /// `card` or `upi`, once paid.
    #[schema(required)]
    payment_method: Option<&'static str>,
    /// The saved method used or saved, if any.
    #[schema(required)]
    payment_method_id: Option<String>,
    #[schema(required)]
    payment_method_type: Option<String>,
    payment_provider: Provider,
    product_cart: Vec<PaidLineOut>,
    /// Always null in Kassa.
    #[schema(required)]
    refund_status: Option<String>,
    /// Always empty in Kassa.
    refunds: Vec<Value>,
    retry_attempt: u32,
    settlement_amount: i64,
    #[schema(value_type = CurrencyCode)]
    settlement_currency: &'static str,
    settlement_tax: i64,
    #[schema(value_type = PaymentStatusSchema)]
    status: PaymentStatus,
    /// Always null: Kassa has no subscriptions yet.
    #[schema(required)]
    subscription_id: Option<String>,
    /// Tax included in `total_amount`.
    tax: i64,
    /// Charged in total, tax included, in minor units.
    total_amount: i64,
    #[schema(format = DateTime)]
    updated_at: String,
}

impl PaymentOut {
    pub(crate) fn new(p: &Payment, c: &Customer) -> PaymentOut {
        let card = p.card.as_ref();
        PaymentOut {
            billing: billing(p),
            brand_id: p.brand.to_string(),
            business_id: p.business.to_string(),
            card_holder_name: card.and_then(|c| c.holder.clone()),
            card_issuing_country: None,
            card_last_four: card.map(|c| c.last_four.clone()),
            card_network: card.map(|c| c.network.clone()),
            card_type: card.map(|c| c.card_type.clone()),
            checkout_session_id: p.checkout_session.as_ref().map(ToString::to_string),
            created_at: ts(p.created_at),
            currency: p.currency.code(),
            custom_field_responses: p
                .custom_field_responses
                .iter()
                .map(|(key, value)| CustomFieldAnswerOut {
                    key: key.clone(),
                    value: value.clone(),
                })
                .collect(),
            customer: customer_out(c),
            digital_products_delivered: false,
            discount_id: p.discounts.first().map(ToString::to_string),
            discounts: None,
            disputes: vec![],
            error_code: p
                .error_code
                .map(|r| crate::vocabulary::decline_code(r).to_owned()),
            error_message: p.error_message.clone(),
            invoice_id: None,
            invoice_url: None,
            is_update_payment_method: false,
            metadata: metadata_out(&p.metadata),
            payment_id: p.id.to_string(),
            payment_link: None,
            payment_method: payment_method(p),
            payment_method_id: p.saved_method.as_ref().map(ToString::to_string),
            payment_method_type: p.payment_method_type.clone(),
            payment_provider: provider(&p.provider),
            product_cart: p
                .lines
                .iter()
                .map(|l| PaidLineOut {
                    product_id: l.product.to_string(),
                    quantity: l.quantity,
                })
                .collect(),
            refund_status: None,
            refunds: vec![],
            retry_attempt: 0,
            settlement_amount: p.total_amount,
            settlement_currency: p.currency.code(),
            settlement_tax: p.tax,
            status: p.status,
            subscription_id: None,
            tax: p.tax,
            total_amount: p.total_amount,
            updated_at: ts(p.updated_at),
        }
    }
}

/// `PaymentResponse` as a JSON value, for webhook payloads.
pub(crate) fn payment_out(p: &Payment, c: &Customer) -> Value {
    serde_json::to_value(PaymentOut::new(p, c)).expect("a payment serializes")
}

/// `GetPaymentsListResponseItem`.
// Fields in alphabetical order, as the body was first rendered (`json!`).
#[derive(Serialize, ToSchema)]
#[schema(as = GetPaymentsListResponseItem)]
pub struct PaymentListItem {
    brand_id: String,
    #[schema(required)]
    card_last_four: Option<String>,
    #[schema(required)]
    card_network: Option<String>,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(value_type = CurrencyCode)]
    currency: &'static str,
    customer: CustomerOut,
    digital_products_delivered: bool,
    /// Always null in Kassa.
    #[schema(required)]
    dispute_status: Option<String>,
    has_license_key: bool,
    /// Always null in Kassa.
    #[schema(required)]
    invoice_id: Option<String>,
    /// Always null in Kassa.
    #[schema(required)]
    invoice_url: Option<String>,
    #[schema(value_type = MetadataSchema)]
    metadata: Value,
    payment_id: String,
    #[schema(required)]
    payment_method: Option<&'static str>,
    #[schema(required)]
    payment_method_type: Option<String>,
    payment_provider: Provider,
    /// Always null in Kassa.
    #[schema(required)]
    refund_status: Option<String>,
    #[schema(value_type = PaymentStatusSchema)]
    status: PaymentStatus,
    /// Always null: Kassa has no subscriptions yet.
    #[schema(required)]
    subscription_id: Option<String>,
    total_amount: i64,
}

impl PaymentListItem {
    fn new(p: &Payment, c: &Customer) -> PaymentListItem {
        let card = p.card.as_ref();
        PaymentListItem {
            brand_id: p.brand.to_string(),
            card_last_four: card.map(|c| c.last_four.clone()),
            card_network: card.map(|c| c.network.clone()),
            created_at: ts(p.created_at),
            currency: p.currency.code(),
            customer: customer_out(c),
            digital_products_delivered: false,
            dispute_status: None,
            has_license_key: false,
            invoice_id: None,
            invoice_url: None,
            metadata: metadata_out(&p.metadata),
            payment_id: p.id.to_string(),
            payment_method: payment_method(p),
            payment_method_type: p.payment_method_type.clone(),
            payment_provider: provider(&p.provider),
            refund_status: None,
            status: p.status,
            subscription_id: None,
            total_amount: p.total_amount,
        }
    }
}

/// `PaymentLineItemsResponse`.
#[derive(Serialize, ToSchema)]
#[schema(as = PaymentLineItemsResponse)]
pub struct LineItemsOut {
    #[schema(value_type = CurrencyCode)]
    currency: &'static str,
    items: Vec<LineItemOut>,
}

/// `PaymentLineItem`: a product line as charged.
// Fields in alphabetical order, as the body was first rendered (`json!`).
#[derive(Serialize, ToSchema)]
#[schema(as = PaymentLineItem)]
struct LineItemOut {
    /// The line's charge after discounts, tax included.
    amount: i64,
    #[schema(required)]
    description: Option<String>,
    /// The product's id.
    items_id: String,
    name: String,
    /// What a refund could return: the whole line once the payment
    /// succeeded, else 0.
    refundable_amount: i64,
    tax: i64,
}

pub(crate) async fn with_customer(
    app: &App,
    scope: &Scope,
    p: &Payment,
) -> Result<Customer, ApiError> {
    Ok(app.customer(scope, &p.customer).await?)
}

#[utoipa::path(post, path = "/payments", tag = "Dodo Payments", operation_id = "create_one_time_payment_handler",
    summary = "Create a one-time payment", security(("bearer" = [])),
    request_body = PaymentRequestSchema,
    responses((status = 200, description = "The pending payment, with its payment link when asked for.", body = PaymentCreatedOut)))]
pub async fn create(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Body(body): Body<PaymentRequest>,
) -> Result<Json<PaymentCreatedOut>, ApiError> {
    let ask = body.into_ask()?;
    let opened = app.create_payment(&scope, ask.draft).await?;
    Ok(Json(PaymentCreatedOut::new(&opened, ask.payment_link)))
}

#[utoipa::path(get, path = "/payments/{payment_id}", tag = "Dodo Payments", operation_id = "get_payment_handler",
    summary = "Retrieve a payment", security(("bearer" = [])), params(PaymentPath),
    responses((status = 200, description = "The payment.", body = PaymentOut)))]
pub async fn retrieve(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<Json<PaymentOut>, ApiError> {
    let id = path_id("payment", &id, PaymentId::parse)?;
    let p = app.payment(&scope, &id).await?;
    let c = with_customer(&app, &scope, &p).await?;
    Ok(Json(PaymentOut::new(&p, &c)))
}

#[utoipa::path(get, path = "/payments/{payment_id}/line-items", tag = "Dodo Payments", operation_id = "get_payment_line_items_handler",
    summary = "List a payment's line items", security(("bearer" = [])), params(PaymentPath),
    responses((status = 200, description = "The payment's product lines.", body = LineItemsOut)))]
pub async fn line_items(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<Json<LineItemsOut>, ApiError> {
    let id = path_id("payment", &id, PaymentId::parse)?;
    let p = app.payment(&scope, &id).await?;
    let refundable = p.status == PaymentStatus::Succeeded;
    let items = p
        .lines
        .iter()
        .map(|l| LineItemOut {
            amount: l.amount,
            description: l.description.clone(),
            items_id: l.product.to_string(),
            name: l.name.clone(),
            refundable_amount: if refundable { l.amount } else { 0 },
            tax: l.tax,
        })
        .collect();
    Ok(Json(LineItemsOut {
        currency: p.currency.code(),
        items,
    }))
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

#[utoipa::path(get, path = "/payments", tag = "Dodo Payments", operation_id = "list_payments_handler",
    summary = "List payments", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, description = "A page of payments.", body = Items<PaymentListItem>)))]
pub async fn list(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Query(q): Query<ListQuery>,
) -> Result<Json<Items<PaymentListItem>>, ApiError> {
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
        created_at_gte: parse_ts_opt("created_at_gte", q.created_at_gte.as_deref())
            .map_err(bad_query)?,
        created_at_lte: parse_ts_opt("created_at_lte", q.created_at_lte.as_deref())
            .map_err(bad_query)?,
    };
    // Kassa has no subscriptions yet, so no payment belongs to one.
    let payments = if q.subscription_id.is_some() {
        Vec::new()
    } else {
        app.list_payments(&scope, &filter, page).await?
    };
    let ids: Vec<_> = payments.iter().map(|p| p.customer.clone()).collect();
    let customers = app.customers_by_id(&scope, &ids).await?;
    let mut items = Vec::with_capacity(payments.len());
    for p in &payments {
        let customer = customers
            .get(&p.customer)
            .ok_or_else(|| kassa_app::AppError::not_found("customer", &p.customer))?;
        items.push(PaymentListItem::new(p, customer));
    }
    Ok(Json(Items { items }))
}

/// A filter that does not parse is the query's fault, named as such.
fn bad_query(e: ApiError) -> ApiError {
    ApiError::InvalidQuery(e.to_string())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use kassa_core::checkout::BillingAddress;
    use kassa_core::country::Country;
    use kassa_core::id::{BusinessId, CheckoutSessionId, DiscountId, PaymentMethodId};
    use kassa_core::metadata::{Metadata, MetadataValue};
    use kassa_core::money::Currency;
    use kassa_core::payment::{CardSummary, PaymentLine};
    use serde_json::json;
    use time::macros::datetime;

    use super::*;

    fn customer() -> Customer {
        Customer {
            id: CustomerId::generate(),
            business: BusinessId::generate(),
            email: "ada@example.com".into(),
            name: "Ada".into(),
            phone_number: None,
            metadata: Metadata::new(BTreeMap::from([(
                "tier".to_owned(),
                MetadataValue::String("gold".into()),
            )]))
            .unwrap(),
            created_at: datetime!(2026-01-02 03:04:05.123456 UTC),
        }
    }

    /// A payment with every optional part set, and one with none.
    fn payments() -> [Payment; 2] {
        let full = Payment {
            id: PaymentId::generate(),
            business: BusinessId::generate(),
            brand: BrandId::generate(),
            checkout_session: Some(CheckoutSessionId::generate()),
            customer: CustomerId::generate(),
            status: PaymentStatus::Succeeded,
            currency: Currency::parse("EUR").unwrap(),
            total_amount: 1210,
            tax: 210,
            lines: vec![PaymentLine {
                product: ProductId::generate(),
                name: "Book".into(),
                description: Some("A book".into()),
                quantity: 2,
                amount: 1210,
                tax: 210,
            }],
            discounts: vec![DiscountId::generate(), DiscountId::generate()],
            billing: BillingAddress {
                country: Country::parse("DE").unwrap(),
                street: Some("Hauptstr. 1".into()),
                city: Some("Berlin".into()),
                state: None,
                zipcode: Some("10115".into()),
            },
            metadata: Metadata::default(),
            payment_method_type: Some("upi_collect".into()),
            card: Some(CardSummary {
                network: "VISA".into(),
                last_four: "4242".into(),
                exp_month: 12,
                exp_year: 2030,
                card_type: "credit".into(),
                holder: Some("ADA L".into()),
            }),
            saved_method: Some(PaymentMethodId::generate()),
            provider: "stripe".into(),
            processor_reference: None,
            challenge: None,
            challenged_card_token: None,
            error_code: Some(kassa_core::payment::DeclineReason::CardDeclined),
            error_message: Some("declined".into()),
            custom_field_responses: vec![("size".into(), "L".into())],
            tax_id: None,
            customer_business_name: None,
            created_at: datetime!(2026-01-02 03:04:05.123456 UTC),
            updated_at: datetime!(2026-01-02 03:05:06 UTC),
        };
        let mut bare = full.clone();
        bare.checkout_session = None;
        bare.discounts = vec![];
        bare.payment_method_type = None;
        bare.card = None;
        bare.saved_method = None;
        bare.provider = "test".into();
        bare.error_code = None;
        bare.error_message = None;
        bare.custom_field_responses = vec![];
        bare.status = PaymentStatus::RequiresPaymentMethod;
        [full, bare]
    }

    fn json_customer(c: &Customer) -> Value {
        json!({
            "customer_id": c.id.as_str(),
            "email": c.email,
            "name": c.name,
            "phone_number": c.phone_number,
            "metadata": metadata_out(&c.metadata),
        })
    }

    fn json_method(p: &Payment) -> Option<&'static str> {
        p.payment_method_type
            .as_deref()
            .map(|t| if t.starts_with("upi") { "upi" } else { "card" })
    }

    fn json_provider(name: &str) -> &'static str {
        match name {
            "stripe" => "stripe",
            "adyen" => "adyen",
            _ => "dodo",
        }
    }

    /// `PaymentResponse` as it was rendered with `json!` before it had a
    /// type (keys sorted, as a `serde_json::Map` keeps them).
    fn json_payment(p: &Payment, c: &Customer) -> Value {
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
            "billing": {
                "country": p.billing.country.as_str(),
                "street": p.billing.street,
                "city": p.billing.city,
                "state": p.billing.state,
                "zipcode": p.billing.zipcode,
            },
            "customer": json_customer(c),
            "metadata": metadata_out(&p.metadata),
            "product_cart": p.lines.iter().map(|l| json!({"product_id": l.product.as_str(), "quantity": l.quantity})).collect::<Vec<_>>(),
            "subscription_id": null,
            "checkout_session_id": p.checkout_session.as_ref().map(|s| s.to_string()),
            "payment_link": null,
            "payment_method": json_method(p),
            "payment_method_type": p.payment_method_type,
            "payment_method_id": p.saved_method.as_ref().map(|m| m.as_str()),
            "payment_provider": json_provider(&p.provider),
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
            "error_code": p.error_code.map(crate::vocabulary::decline_code),
            "error_message": p.error_message,
            "invoice_id": null,
            "invoice_url": null,
        })
    }

    /// `GetPaymentsListResponseItem` as it was rendered with `json!`.
    fn json_list_item(p: &Payment, c: &Customer) -> Value {
        let card = p.card.as_ref();
        json!({
            "payment_id": p.id.as_str(),
            "brand_id": p.brand.as_str(),
            "created_at": ts(p.created_at),
            "currency": p.currency.code(),
            "customer": json_customer(c),
            "total_amount": p.total_amount,
            "status": p.status.as_str(),
            "subscription_id": null,
            "payment_method": json_method(p),
            "payment_method_type": p.payment_method_type,
            "payment_provider": json_provider(&p.provider),
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

    #[test]
    fn typed_payment_bodies_render_byte_for_byte_as_the_json_they_replace() {
        let c = customer();
        for p in payments() {
            assert_eq!(
                serde_json::to_string(&PaymentOut::new(&p, &c)).unwrap(),
                json_payment(&p, &c).to_string()
            );
            assert_eq!(payment_out(&p, &c), json_payment(&p, &c));
            assert_eq!(
                serde_json::to_string(&PaymentListItem::new(&p, &c)).unwrap(),
                json_list_item(&p, &c).to_string()
            );
        }
    }
}
