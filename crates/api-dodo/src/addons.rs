//! `/addons`: create, retrieve, update, list, archive, unarchive.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use kassa_app::App;
use kassa_core::catalog::{Addon, AddonDraft, AddonPatch, TaxCategory};
use kassa_core::id::AddonId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ApiError;
use crate::extract::{Body, Caller, Query, path_id};
use crate::openapi::{CurrencyCode, MinorUnits, TaxCategorySchema};
use crate::wire::{Items, amount, currency, nullable, page, ts};

/// `CreateAddonRequest`.
#[derive(Deserialize, ToSchema)]
pub struct CreateAddon {
    #[schema(
        max_length = 100,
        pattern = r"[^\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
    )]
    name: String,
    #[schema(value_type = MinorUnits)]
    price: i64,
    #[schema(value_type = CurrencyCode)]
    currency: String,
    #[schema(value_type = TaxCategorySchema)]
    tax_category: TaxCategory,
    #[schema(max_length = 1000)]
    description: Option<String>,
}

/// `PatchAddonRequest`: absent fields are kept, `null` clears.
#[derive(Deserialize, ToSchema)]
pub struct PatchAddon {
    #[schema(
        max_length = 100,
        pattern = r"[^\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
    )]
    name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(max_length = 1000)]
    description: Option<Option<String>>,
    #[schema(value_type = Option<MinorUnits>)]
    price: Option<i64>,
    #[schema(value_type = Option<CurrencyCode>)]
    currency: Option<String>,
    #[schema(value_type = Option<TaxCategorySchema>)]
    tax_category: Option<TaxCategory>,
    /// Image upload is not served yet: any image id is a 404.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(schema_with = crate::openapi::null_only)]
    image_id: Option<Option<String>>,
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
}

/// The `{id}` of an addon route.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
struct AddonPath {
    /// An addon id (`adn_…`); any other string is a 404.
    id: String,
}

/// `AddonResponse`.
#[derive(Serialize, ToSchema)]
pub struct AddonOut {
    id: String,
    business_id: String,
    name: String,
    description: Option<String>,
    price: i64,
    #[schema(value_type = CurrencyCode)]
    currency: &'static str,
    #[schema(value_type = TaxCategorySchema)]
    tax_category: TaxCategory,
    image: Option<String>,
    created_at: String,
    updated_at: String,
}

impl From<&Addon> for AddonOut {
    fn from(a: &Addon) -> AddonOut {
        AddonOut {
            id: a.id.to_string(),
            business_id: a.business.to_string(),
            name: a.name.clone(),
            description: a.description.clone(),
            price: a.price.minor(),
            currency: a.currency.code(),
            tax_category: a.tax_category,
            image: a.image.clone(),
            created_at: ts(a.created_at),
            updated_at: ts(a.updated_at),
        }
    }
}

fn addon_id(raw: &str) -> Result<AddonId, ApiError> {
    path_id("addon", raw, AddonId::parse)
}

#[utoipa::path(post, path = "/addons", tag = "Dodo Payments", operation_id = "create_addon",
    summary = "Create an addon", security(("bearer" = [])),
    request_body = CreateAddon,
    responses((status = 200, description = "The addon.", body = AddonOut)))]
pub async fn create(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Body(body): Body<CreateAddon>,
) -> Result<Json<AddonOut>, ApiError> {
    let draft = AddonDraft {
        name: body.name,
        description: body.description,
        price: amount("price", body.price)?,
        currency: currency("currency", &body.currency)?,
        tax_category: body.tax_category,
    };
    let addon = app.create_addon(&scope, draft).await?;
    Ok(Json(AddonOut::from(&addon)))
}

#[utoipa::path(get, path = "/addons/{id}", tag = "Dodo Payments", operation_id = "get_addon_handler",
    summary = "Retrieve an addon", security(("bearer" = [])), params(AddonPath),
    responses((status = 200, description = "The addon.", body = AddonOut)))]
pub async fn retrieve(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<Json<AddonOut>, ApiError> {
    let addon = app.addon(&scope, &addon_id(&id)?).await?;
    Ok(Json(AddonOut::from(&addon)))
}

#[utoipa::path(patch, path = "/addons/{id}", tag = "Dodo Payments", operation_id = "patch_addon",
    summary = "Update an addon", security(("bearer" = [])), params(AddonPath),
    request_body = PatchAddon,
    responses((status = 200, description = "The addon as updated.", body = AddonOut)))]
pub async fn update(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
    Body(body): Body<PatchAddon>,
) -> Result<Json<AddonOut>, ApiError> {
    let id = addon_id(&id)?;
    if let Some(Some(image)) = &body.image_id {
        // Image upload is not served yet, so no image id can be valid.
        return Err(kassa_app::AppError::not_found("image", image).into());
    }
    let patch = AddonPatch {
        name: body.name,
        description: body.description,
        price: body.price.map(|p| amount("price", p)).transpose()?,
        currency: body
            .currency
            .as_deref()
            .map(|c| currency("currency", c))
            .transpose()?,
        tax_category: body.tax_category,
        image: body.image_id.map(|_| None),
    };
    let addon = app.update_addon(&scope, &id, patch).await?;
    Ok(Json(AddonOut::from(&addon)))
}

#[utoipa::path(get, path = "/addons", tag = "Dodo Payments", operation_id = "list_addons",
    summary = "List addons", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, description = "A page of addons.", body = Items<AddonOut>)))]
pub async fn list(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Query(q): Query<ListQuery>,
) -> Result<Json<Items<AddonOut>>, ApiError> {
    let addons = app
        .list_addons(&scope, page(q.page_number, q.page_size)?)
        .await?;
    Ok(Json(Items {
        items: addons.iter().map(AddonOut::from).collect(),
    }))
}

/// `DELETE /addons/{id}` archives; empty 200.
#[utoipa::path(delete, path = "/addons/{id}", tag = "Dodo Payments", operation_id = "kassa_archive_addon",
    summary = "Archive an addon", security(("bearer" = [])), params(AddonPath),
    responses((status = 200, description = "Archived; the body is empty.")))]
pub async fn archive(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<(), ApiError> {
    app.set_addon_archived(&scope, &addon_id(&id)?, true)
        .await?;
    Ok(())
}

#[utoipa::path(post, path = "/addons/{id}/unarchive", tag = "Dodo Payments", operation_id = "kassa_unarchive_addon",
    summary = "Unarchive an addon", security(("bearer" = [])), params(AddonPath),
    responses((status = 200, description = "Unarchived; the body is empty.")))]
pub async fn unarchive(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<(), ApiError> {
    app.set_addon_archived(&scope, &addon_id(&id)?, false)
        .await?;
    Ok(())
}
