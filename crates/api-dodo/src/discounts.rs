//! `/discounts`: create, retrieve (by id or code), update, delete, list.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kassa_app::{App, AppError};
use kassa_core::discount::{
    CurrencyOption, CustomerEligibility, Discount, DiscountDraft, DiscountFilter, DiscountPatch,
    DiscountType,
};
use kassa_core::id::{DiscountId, ProductId};
use kassa_core::money::Amount;
use kassa_core::{DomainError, FieldPath};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::ApiError;
use crate::extract::{Body, Caller, Query, path_id};
use crate::openapi::{CurrencyCode, MetadataSchema, MinorUnits, Rfc3339};
use crate::wire::{
    Items, MetadataIn, amount, currency, metadata_in, metadata_out, nullable, page, parse_ts, ts,
    ts_opt,
};

/// Per-currency settings of a discount.
#[derive(Deserialize, ToSchema)]
pub struct CurrencyOptionIn {
    #[schema(value_type = CurrencyCode)]
    currency: String,
    #[serde(default)]
    is_default: bool,
    #[schema(value_type = Option<MinorUnits>)]
    max_amount_possible: Option<i64>,
    #[serde(default)]
    #[schema(value_type = MinorUnits)]
    minimum_subtotal: i64,
}

#[derive(Serialize, ToSchema)]
pub struct CurrencyOptionOut {
    #[schema(value_type = CurrencyCode)]
    currency: &'static str,
    is_default: bool,
    max_amount_possible: Option<i64>,
    minimum_subtotal: i64,
}

/// `CreateDiscountRequest`. Rules between fields, refused with a 422
/// naming the field: `amount` is basis points for a percentage code (at
/// most 10000) and minor units for a flat one; a flat one needs
/// `currency_options`, each with `max_amount_possible`, and one option or
/// one marked `is_default`; at most one default; each currency once;
/// `starts_at` before `expires_at`; `per_customer_usage_limit` at most
/// `usage_limit`.
#[derive(Deserialize, ToSchema)]
pub struct CreateDiscount {
    #[schema(minimum = 1, maximum = 2147483647)]
    amount: i64,
    #[serde(rename = "type")]
    #[schema(value_type = DiscountTypeSchema)]
    discount_type: DiscountType,
    /// 3 to 16 letters, digits, `-` or `_` (stored upper-case); generated
    /// when absent.
    #[schema(
        pattern = r"^[\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[A-Za-z0-9_-]{3,16}[\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    code: Option<String>,
    #[schema(max_length = 100)]
    name: Option<String>,
    currency_options: Option<Vec<CurrencyOptionIn>>,
    #[schema(value_type = Option<CustomerEligibilitySchema>)]
    customer_eligibility: Option<CustomerEligibility>,
    #[schema(value_type = Option<Rfc3339>)]
    starts_at: Option<String>,
    #[schema(value_type = Option<Rfc3339>)]
    expires_at: Option<String>,
    #[schema(minimum = 1, maximum = 2147483647)]
    usage_limit: Option<i64>,
    #[schema(minimum = 1, maximum = 2147483647)]
    per_customer_usage_limit: Option<i64>,
    /// Product ids the code is limited to.
    restricted_to: Option<Vec<String>>,
    #[schema(minimum = 1, maximum = 2147483647)]
    subscription_cycles: Option<i64>,
    preserve_on_plan_change: Option<bool>,
    #[schema(value_type = Option<MetadataSchema>)]
    metadata: Option<MetadataIn>,
}

crate::checkouts::schema::with_rules! {
    /// `CreateDiscountRequest`: [`CreateDiscount`]'s fields and the rule
    /// between them a schema can state.
    CreateDiscountSchema as "CreateDiscountRequest" for CreateDiscount => [
        percentage_at_most_100(),
    ]
}

/// A percentage code's `amount` is at most 10000 basis points (100 %).
fn percentage_at_most_100() -> utoipa::openapi::schema::Schema {
    use crate::checkouts::schema::rule;
    let at_most = utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::Integer)
        .maximum(Some(10_000))
        .build();
    rule::any(
        [
            rule::on().property("type", rule::is("flat")).build().into(),
            rule::on().property("amount", at_most).build().into(),
        ],
        "A percentage discount's `amount` is at most 10000 basis points (100 %).",
    )
}

/// `PatchDiscountRequest`: absent fields are kept, `null` clears.
#[derive(Deserialize, ToSchema)]
pub struct PatchDiscount {
    #[schema(minimum = 1, maximum = 2147483647)]
    amount: Option<i64>,
    #[serde(rename = "type")]
    #[schema(value_type = Option<DiscountTypeSchema>)]
    discount_type: Option<DiscountType>,
    #[schema(
        pattern = r"^[\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[A-Za-z0-9_-]{3,16}[\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    code: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(max_length = 100)]
    name: Option<Option<String>>,
    currency_options: Option<Vec<CurrencyOptionIn>>,
    #[schema(value_type = Option<CustomerEligibilitySchema>)]
    customer_eligibility: Option<CustomerEligibility>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Rfc3339>)]
    starts_at: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Rfc3339>)]
    expires_at: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(minimum = 1, maximum = 2147483647)]
    usage_limit: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(minimum = 1, maximum = 2147483647)]
    per_customer_usage_limit: Option<Option<i64>>,
    restricted_to: Option<Vec<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(minimum = 1, maximum = 2147483647)]
    subscription_cycles: Option<Option<i64>>,
    preserve_on_plan_change: Option<bool>,
    #[schema(value_type = Option<MetadataSchema>)]
    metadata: Option<MetadataIn>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Page size, 1 to 100 (default 10).
    #[param(minimum = 1, maximum = 100)]
    page_size: Option<i64>,
    /// Zero-based page number.
    #[param(minimum = 0, maximum = 2147483647)]
    page_number: Option<i64>,
    /// Only the discount with this code.
    code: Option<String>,
    #[param(value_type = Option<DiscountTypeSchema>)]
    discount_type: Option<DiscountType>,
    /// Only discounts usable now (started, not expired, not used up).
    active: Option<bool>,
    /// Only discounts that apply to this product.
    product_id: Option<String>,
}

/// The `{discount_id}` of a discount route.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
struct DiscountPath {
    /// A discount id (`dsc_…`); any other string is a 404.
    discount_id: String,
}

/// The `{code}` of a discount.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
struct CodePath {
    /// The code customers type.
    code: String,
}

/// `DiscountResponse`.
#[derive(Serialize, ToSchema)]
pub struct DiscountOut {
    discount_id: String,
    business_id: String,
    code: String,
    name: Option<String>,
    #[serde(rename = "type")]
    #[schema(value_type = DiscountTypeSchema)]
    discount_type: DiscountType,
    amount: u32,
    currency_options: Vec<CurrencyOptionOut>,
    #[schema(value_type = CustomerEligibilitySchema)]
    customer_eligibility: CustomerEligibility,
    #[schema(value_type = Option<Rfc3339>)]
    starts_at: Option<String>,
    #[schema(value_type = Option<Rfc3339>)]
    expires_at: Option<String>,
    usage_limit: Option<u32>,
    per_customer_usage_limit: Option<u32>,
    restricted_to: Vec<String>,
    subscription_cycles: Option<u32>,
    preserve_on_plan_change: bool,
    #[schema(value_type = MetadataSchema)]
    metadata: Value,
    times_used: u32,
    #[schema(format = DateTime)]
    created_at: String,
}

crate::openapi::mirror! {
    /// A percentage (in basis points) or a flat amount.
    DiscountTypeSchema as DiscountType for DiscountType {
        Percentage = "percentage",
        Flat = "flat",
    }
}

crate::openapi::mirror! {
    /// Which customers may use a code.
    CustomerEligibilitySchema as CustomerEligibility for CustomerEligibility {
        Any = "any",
        FirstTime = "first_time",
        Existing = "existing",
        Specific = "specific",
    }
}

impl From<&Discount> for DiscountOut {
    fn from(d: &Discount) -> DiscountOut {
        DiscountOut {
            discount_id: d.id.to_string(),
            business_id: d.business.to_string(),
            code: d.code.clone(),
            name: d.name.clone(),
            discount_type: d.discount_type,
            amount: d.amount,
            currency_options: d
                .currency_options
                .iter()
                .map(|o| CurrencyOptionOut {
                    currency: o.currency.code(),
                    is_default: o.is_default,
                    max_amount_possible: o.max_amount_possible.map(Amount::minor),
                    minimum_subtotal: o.minimum_subtotal.minor(),
                })
                .collect(),
            customer_eligibility: d.customer_eligibility,
            starts_at: ts_opt(d.starts_at),
            expires_at: ts_opt(d.expires_at),
            usage_limit: d.usage_limit,
            per_customer_usage_limit: d.per_customer_usage_limit,
            restricted_to: d.restricted_to.iter().map(ToString::to_string).collect(),
            subscription_cycles: d.subscription_cycles,
            preserve_on_plan_change: d.preserve_on_plan_change,
            metadata: metadata_out(&d.metadata),
            times_used: d.times_used,
            created_at: ts(d.created_at),
        }
    }
}

fn options(raw: Vec<CurrencyOptionIn>) -> Result<Vec<CurrencyOption>, ApiError> {
    raw.into_iter()
        .enumerate()
        .map(|(i, o)| {
            let field = |f: &str| format!("currency_options[{i}].{f}");
            Ok(CurrencyOption {
                currency: currency(&field("currency"), &o.currency)?,
                is_default: o.is_default,
                max_amount_possible: o
                    .max_amount_possible
                    .map(|m| amount(&field("max_amount_possible"), m))
                    .transpose()?,
                minimum_subtotal: amount(&field("minimum_subtotal"), o.minimum_subtotal)?,
            })
        })
        .collect()
}

fn products(raw: Vec<String>) -> Result<Vec<ProductId>, ApiError> {
    raw.iter()
        .map(|id| ProductId::parse(id).map_err(|_| AppError::not_found("product", id).into()))
        .collect()
}

/// A percentage over 100 % has its own Dodo code.
fn percentage_error(e: ApiError) -> ApiError {
    match e {
        ApiError::App(AppError::Invalid(DomainError::Invalid { field, reason }))
            if field == FieldPath::named("amount") =>
        {
            ApiError::InvalidPercentage(format!("amount: {reason}"))
        }
        other => other,
    }
}

fn discount_id(raw: &str) -> Result<DiscountId, ApiError> {
    path_id("discount", raw, DiscountId::parse)
}

#[utoipa::path(post, path = "/discounts", tag = "Dodo Payments", operation_id = "create_discount_handler",
    summary = "Create a discount", security(("bearer" = [])),
    request_body = CreateDiscountSchema,
    responses((status = 200, description = "The discount.", body = DiscountOut)))]
pub async fn create(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Body(body): Body<CreateDiscount>,
) -> Result<Json<DiscountOut>, ApiError> {
    let draft = DiscountDraft {
        code: body.code,
        name: body.name,
        discount_type: body.discount_type,
        amount: body.amount,
        currency_options: options(body.currency_options.unwrap_or_default())?,
        starts_at: body
            .starts_at
            .map(|t| parse_ts("starts_at", &t))
            .transpose()?,
        expires_at: body
            .expires_at
            .map(|t| parse_ts("expires_at", &t))
            .transpose()?,
        usage_limit: body.usage_limit,
        per_customer_usage_limit: body.per_customer_usage_limit,
        restricted_to: products(body.restricted_to.unwrap_or_default())?,
        subscription_cycles: body.subscription_cycles,
        preserve_on_plan_change: body.preserve_on_plan_change.unwrap_or(false),
        customer_eligibility: body.customer_eligibility.unwrap_or_default(),
        metadata: metadata_in(body.metadata)?,
    };
    let discount = app
        .create_discount(&scope, draft)
        .await
        .map_err(|e| percentage_error(e.into()))?;
    Ok(Json(DiscountOut::from(&discount)))
}

#[utoipa::path(get, path = "/discounts/{discount_id}", tag = "Dodo Payments", operation_id = "get_discount_handler",
    summary = "Retrieve a discount", security(("bearer" = [])), params(DiscountPath),
    responses((status = 200, description = "The discount.", body = DiscountOut)))]
pub async fn retrieve(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<Json<DiscountOut>, ApiError> {
    let discount = app.discount(&scope, &discount_id(&id)?).await?;
    Ok(Json(DiscountOut::from(&discount)))
}

#[utoipa::path(get, path = "/discounts/code/{code}", tag = "Dodo Payments", operation_id = "get_discount_by_code_handler",
    summary = "Retrieve a discount by code", security(("bearer" = [])), params(CodePath),
    responses((status = 200, description = "The discount.", body = DiscountOut)))]
pub async fn retrieve_by_code(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(code): Path<String>,
) -> Result<Json<DiscountOut>, ApiError> {
    let discount = app.discount_by_code(&scope, &code).await?;
    Ok(Json(DiscountOut::from(&discount)))
}

#[utoipa::path(patch, path = "/discounts/{discount_id}", tag = "Dodo Payments", operation_id = "patch_discount_handler",
    summary = "Update a discount", security(("bearer" = [])), params(DiscountPath),
    request_body = PatchDiscount,
    responses((status = 200, description = "The discount as updated.", body = DiscountOut)))]
pub async fn update(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
    Body(body): Body<PatchDiscount>,
) -> Result<Json<DiscountOut>, ApiError> {
    let id = discount_id(&id)?;
    let nullable_ts = |field: &str, v: Option<Option<String>>| {
        v.map(|t| t.map(|t| parse_ts(field, &t)).transpose())
            .transpose()
    };
    let patch = DiscountPatch {
        code: body.code,
        name: body.name,
        discount_type: body.discount_type,
        amount: body.amount,
        currency_options: body.currency_options.map(options).transpose()?,
        starts_at: nullable_ts("starts_at", body.starts_at)?,
        expires_at: nullable_ts("expires_at", body.expires_at)?,
        usage_limit: body.usage_limit,
        per_customer_usage_limit: body.per_customer_usage_limit,
        restricted_to: body.restricted_to.map(products).transpose()?,
        subscription_cycles: body.subscription_cycles,
        preserve_on_plan_change: body.preserve_on_plan_change,
        customer_eligibility: body.customer_eligibility,
        metadata: body.metadata.map(|m| metadata_in(Some(m))).transpose()?,
    };
    let discount = app
        .update_discount(&scope, &id, patch)
        .await
        .map_err(|e| percentage_error(e.into()))?;
    Ok(Json(DiscountOut::from(&discount)))
}

/// Soft delete; 204 like Dodo.
#[utoipa::path(delete, path = "/discounts/{discount_id}", tag = "Dodo Payments", operation_id = "delete_discount_handler",
    summary = "Delete a discount", security(("bearer" = [])), params(DiscountPath),
    responses((status = 204, description = "Deleted.")))]
pub async fn delete(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    app.delete_discount(&scope, &discount_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/discounts", tag = "Dodo Payments", operation_id = "list_discounts_handler",
    summary = "List discounts", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, description = "A page of discounts.", body = Items<DiscountOut>)))]
pub async fn list(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Query(q): Query<ListQuery>,
) -> Result<Json<Items<DiscountOut>>, ApiError> {
    let page = page(q.page_number, q.page_size)?;
    let product = match q.product_id.as_deref().map(ProductId::parse) {
        // No discount can apply to a product id of the wrong shape.
        Some(Err(_)) => return Ok(Json(Items { items: vec![] })),
        Some(Ok(id)) => Some(id),
        None => None,
    };
    let now = app.now_in(&scope).await?;
    let filter = DiscountFilter {
        code: q.code,
        discount_type: q.discount_type,
        active: q.active.map(|a| (a, now)),
        product,
    };
    let discounts = app.list_discounts(&scope, &filter, page).await?;
    Ok(Json(Items {
        items: discounts.iter().map(DiscountOut::from).collect(),
    }))
}
