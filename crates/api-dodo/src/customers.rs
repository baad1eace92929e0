//! `/customers`: create, retrieve, update, list with filters.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use kassa_app::App;
use kassa_core::customer::{Customer, CustomerDraft, CustomerFilter, CustomerPatch};
use kassa_core::id::CustomerId;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::ApiError;
use crate::extract::{Body, Caller, Query, path_id};
use crate::openapi::{Email, MetadataSchema, Rfc3339};
use crate::wire::{Items, MetadataIn, metadata_in, metadata_out, nullable, page, parse_ts_opt, ts};

/// `CreateCustomerRequest`.
#[derive(Deserialize, ToSchema)]
pub struct CreateCustomer {
    #[schema(value_type = Email)]
    email: String,
    #[schema(
        max_length = 200,
        pattern = r"[^\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
    )]
    name: String,
    /// Digits with an optional leading `+`, and spaces, dashes, dots or
    /// parentheses; 6 to 15 digits.
    #[schema(pattern = r"^\s*\+?[-. ()]*([0-9][-. ()]*){6,15}\s*$")]
    phone_number: Option<String>,
    #[schema(value_type = Option<MetadataSchema>)]
    metadata: Option<MetadataIn>,
}

/// `PatchCustomerRequest`: absent fields are kept, a `null` phone number
/// clears it.
#[derive(Deserialize, ToSchema)]
pub struct PatchCustomer {
    #[schema(value_type = Option<Email>)]
    email: Option<String>,
    #[schema(
        max_length = 200,
        pattern = r"[^\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
    )]
    name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    /// Digits with an optional leading `+`, and spaces, dashes, dots or
    /// parentheses; 6 to 15 digits.
    #[schema(pattern = r"^\s*\+?[-. ()]*([0-9][-. ()]*){6,15}\s*$")]
    phone_number: Option<Option<String>>,
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
    /// Only the customer with this email.
    email: Option<String>,
    /// Only customers with this name.
    name: Option<String>,
    /// Created at or after this RFC 3339 instant.
    #[param(value_type = Option<Rfc3339>)]
    created_at_gte: Option<String>,
    /// Created at or before this RFC 3339 instant.
    #[param(value_type = Option<Rfc3339>)]
    created_at_lte: Option<String>,
}

/// The `{customer_id}` of a customer route.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub(crate) struct CustomerPath {
    /// A customer id (`cus_…`); any other string is a 404.
    customer_id: String,
}

/// `CustomerResponse`.
#[derive(Serialize, ToSchema)]
pub struct CustomerOut {
    customer_id: String,
    business_id: String,
    email: String,
    name: String,
    phone_number: Option<String>,
    #[schema(value_type = MetadataSchema)]
    metadata: Value,
    #[schema(format = DateTime)]
    created_at: String,
}

impl From<&Customer> for CustomerOut {
    fn from(c: &Customer) -> CustomerOut {
        CustomerOut {
            customer_id: c.id.to_string(),
            business_id: c.business.to_string(),
            email: c.email.clone(),
            name: c.name.clone(),
            phone_number: c.phone_number.clone(),
            metadata: metadata_out(&c.metadata),
            created_at: ts(c.created_at),
        }
    }
}

fn customer_id(raw: &str) -> Result<CustomerId, ApiError> {
    path_id("customer", raw, CustomerId::parse)
}

#[utoipa::path(post, path = "/customers", tag = "Dodo Payments", operation_id = "create_customer",
    summary = "Create a customer", security(("bearer" = [])),
    request_body = CreateCustomer,
    responses((status = 200, description = "The customer.", body = CustomerOut)))]
pub async fn create(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Body(body): Body<CreateCustomer>,
) -> Result<Json<CustomerOut>, ApiError> {
    let draft = CustomerDraft {
        email: body.email,
        name: body.name,
        phone_number: body.phone_number,
        metadata: metadata_in(body.metadata)?,
    };
    let customer = app.create_customer(&scope, draft).await?;
    Ok(Json(CustomerOut::from(&customer)))
}

#[utoipa::path(get, path = "/customers/{customer_id}", tag = "Dodo Payments", operation_id = "get_customer_handler",
    summary = "Retrieve a customer", security(("bearer" = [])), params(CustomerPath),
    responses((status = 200, description = "The customer.", body = CustomerOut)))]
pub async fn retrieve(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<Json<CustomerOut>, ApiError> {
    let customer = app.customer(&scope, &customer_id(&id)?).await?;
    Ok(Json(CustomerOut::from(&customer)))
}

#[utoipa::path(patch, path = "/customers/{customer_id}", tag = "Dodo Payments", operation_id = "patch_customer",
    summary = "Update a customer", security(("bearer" = [])), params(CustomerPath),
    request_body = PatchCustomer,
    responses((status = 200, description = "The customer as updated.", body = CustomerOut)))]
pub async fn update(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
    Body(body): Body<PatchCustomer>,
) -> Result<Json<CustomerOut>, ApiError> {
    let id = customer_id(&id)?;
    let patch = CustomerPatch {
        email: body.email,
        name: body.name,
        phone_number: body.phone_number,
        metadata: body.metadata.map(|m| metadata_in(Some(m))).transpose()?,
    };
    let customer = app.update_customer(&scope, &id, patch).await?;
    Ok(Json(CustomerOut::from(&customer)))
}

#[utoipa::path(get, path = "/customers", tag = "Dodo Payments", operation_id = "list_customers",
    summary = "List customers", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, description = "A page of customers, newest first.", body = Items<CustomerOut>)))]
pub async fn list(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Query(q): Query<ListQuery>,
) -> Result<Json<Items<CustomerOut>>, ApiError> {
    let page = page(q.page_number, q.page_size)?;
    let bad_query = |e: ApiError| ApiError::InvalidQuery(e.to_string());
    let filter = CustomerFilter {
        email: q.email,
        name: q.name,
        created_at_gte: parse_ts_opt("created_at_gte", q.created_at_gte.as_deref())
            .map_err(bad_query)?,
        created_at_lte: parse_ts_opt("created_at_lte", q.created_at_lte.as_deref())
            .map_err(bad_query)?,
    };
    let customers = app.list_customers(&scope, &filter, page).await?;
    Ok(Json(Items {
        items: customers.iter().map(CustomerOut::from).collect(),
    }))
}
