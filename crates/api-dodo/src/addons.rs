//! `/addons`: create, retrieve, update, list, archive, unarchive.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use kassa_app::App;
use kassa_core::catalog::{Addon, AddonDraft, AddonPatch, TaxCategory};
use kassa_core::id::AddonId;
use serde::{Deserialize, Serialize};

use crate::ApiError;
use crate::extract::{Body, Caller, Query, path_id};
use crate::wire::{Items, amount, currency, nullable, page, ts};

#[derive(Deserialize)]
pub struct CreateAddon {
    name: String,
    price: i64,
    currency: String,
    tax_category: TaxCategory,
    description: Option<String>,
}

#[derive(Deserialize)]
pub struct PatchAddon {
    name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    description: Option<Option<String>>,
    price: Option<i64>,
    currency: Option<String>,
    tax_category: Option<TaxCategory>,
    #[serde(default, deserialize_with = "nullable")]
    image_id: Option<Option<String>>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    page_size: Option<i64>,
    page_number: Option<i64>,
}

/// `AddonResponse`.
#[derive(Serialize)]
pub struct AddonOut {
    id: String,
    business_id: String,
    name: String,
    description: Option<String>,
    price: i64,
    currency: &'static str,
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

pub async fn retrieve(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<Json<AddonOut>, ApiError> {
    let addon = app.addon(&scope, &addon_id(&id)?).await?;
    Ok(Json(AddonOut::from(&addon)))
}

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
pub async fn archive(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<(), ApiError> {
    app.set_addon_archived(&scope, &addon_id(&id)?, true)
        .await?;
    Ok(())
}

pub async fn unarchive(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<(), ApiError> {
    app.set_addon_archived(&scope, &addon_id(&id)?, false)
        .await?;
    Ok(())
}
