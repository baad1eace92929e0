//! `/customers`: create, retrieve, update, list with filters.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use kassa_app::App;
use kassa_core::customer::{Customer, CustomerDraft, CustomerFilter, CustomerPatch};
use kassa_core::id::CustomerId;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ApiError;
use crate::extract::{Body, Caller, Query, path_id};
use crate::wire::{Items, MetadataIn, metadata_in, metadata_out, nullable, page, parse_ts_opt, ts};

#[derive(Deserialize)]
pub struct CreateCustomer {
    email: String,
    name: String,
    phone_number: Option<String>,
    metadata: Option<MetadataIn>,
}

#[derive(Deserialize)]
pub struct PatchCustomer {
    email: Option<String>,
    name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    phone_number: Option<Option<String>>,
    metadata: Option<MetadataIn>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    page_size: Option<i64>,
    page_number: Option<i64>,
    email: Option<String>,
    name: Option<String>,
    created_at_gte: Option<String>,
    created_at_lte: Option<String>,
}

/// `CustomerResponse`.
#[derive(Serialize)]
pub struct CustomerOut {
    customer_id: String,
    business_id: String,
    email: String,
    name: String,
    phone_number: Option<String>,
    metadata: Value,
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

pub async fn retrieve(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<Json<CustomerOut>, ApiError> {
    let customer = app.customer(&scope, &customer_id(&id)?).await?;
    Ok(Json(CustomerOut::from(&customer)))
}

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
