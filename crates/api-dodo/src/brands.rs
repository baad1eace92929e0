//! `/brands`: create, retrieve, update, list, archive.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use kassa_app::{App, AppError};
use kassa_core::catalog::{Brand, BrandDraft, BrandPatch};
use kassa_core::id::BrandId;
use serde::{Deserialize, Serialize};

use crate::ApiError;
use crate::extract::{Body, Caller, Query, parse_json, path_id};
use crate::wire::{Items, nullable, ts, ts_opt};

#[derive(Deserialize)]
pub struct CreateBrand {
    name: Option<String>,
    description: Option<String>,
    statement_descriptor: Option<String>,
    support_email: Option<String>,
    url: Option<String>,
}

#[derive(Deserialize)]
pub struct PatchBrand {
    #[serde(default, deserialize_with = "nullable")]
    name: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    description: Option<Option<String>>,
    statement_descriptor: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    support_email: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    url: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    image_id: Option<Option<String>>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    include_archived: Option<bool>,
}

#[derive(Deserialize, Default)]
pub struct ArchiveBrand {
    move_products_to: Option<String>,
}

/// `BrandResponse`. Kassa verifies nothing, so every brand is enabled and
/// verified.
#[derive(Serialize)]
pub struct BrandOut {
    brand_id: String,
    business_id: String,
    name: Option<String>,
    description: Option<String>,
    statement_descriptor: String,
    support_email: Option<String>,
    url: Option<String>,
    image: Option<String>,
    enabled: bool,
    verification_enabled: bool,
    verification_status: &'static str,
    reason_for_hold: Option<String>,
    archived_at: Option<String>,
}

impl From<&Brand> for BrandOut {
    fn from(b: &Brand) -> BrandOut {
        BrandOut {
            brand_id: b.id.to_string(),
            business_id: b.business.to_string(),
            name: b.name.clone(),
            description: b.description.clone(),
            statement_descriptor: b.statement_descriptor.clone(),
            support_email: b.support_email.clone(),
            url: b.url.clone(),
            image: b.image.clone(),
            enabled: b.archived_at.is_none(),
            verification_enabled: false,
            verification_status: "Success",
            reason_for_hold: None,
            archived_at: ts_opt(b.archived_at),
        }
    }
}

/// `ArchiveBrandResponse`.
#[derive(Serialize)]
pub struct ArchivedOut {
    brand_id: String,
    archived_at: String,
    moved_to_brand_id: Option<String>,
    products_moved: u64,
    collections_moved: u64,
    subscriptions_moved: u64,
}

fn brand_id(raw: &str) -> Result<BrandId, ApiError> {
    path_id("brand", raw, BrandId::parse)
}

pub async fn create(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Body(body): Body<CreateBrand>,
) -> Result<Json<BrandOut>, ApiError> {
    let draft = BrandDraft {
        name: body.name,
        description: body.description,
        statement_descriptor: body.statement_descriptor,
        support_email: body.support_email,
        url: body.url,
    };
    let brand = app.create_brand(&scope, draft).await?;
    Ok(Json(BrandOut::from(&brand)))
}

pub async fn retrieve(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<Json<BrandOut>, ApiError> {
    let brand = app.brand(&scope, &brand_id(&id)?).await?;
    Ok(Json(BrandOut::from(&brand)))
}

pub async fn update(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
    Body(body): Body<PatchBrand>,
) -> Result<Json<BrandOut>, ApiError> {
    let id = brand_id(&id)?;
    if let Some(Some(image)) = &body.image_id {
        // Image upload is not served yet, so no image id can be valid.
        return Err(AppError::not_found("image", image).into());
    }
    let patch = BrandPatch {
        name: body.name,
        description: body.description,
        statement_descriptor: body.statement_descriptor,
        support_email: body.support_email,
        url: body.url,
        image: body.image_id.map(|_| None),
    };
    let brand = app.update_brand(&scope, &id, patch).await?;
    Ok(Json(BrandOut::from(&brand)))
}

/// Not paginated: `{items}` with every brand.
pub async fn list(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Query(q): Query<ListQuery>,
) -> Result<Json<Items<BrandOut>>, ApiError> {
    let brands = app
        .list_brands(&scope, q.include_archived.unwrap_or(false))
        .await?;
    Ok(Json(Items {
        items: brands.iter().map(BrandOut::from).collect(),
    }))
}

pub async fn archive(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
    raw: axum::body::Bytes,
) -> Result<Json<ArchivedOut>, ApiError> {
    let id = brand_id(&id)?;
    // The body is optional: an empty one means "move products to the primary brand".
    let body: ArchiveBrand = if raw.is_empty() {
        ArchiveBrand::default()
    } else {
        parse_json(&raw)?
    };
    let move_to = body
        .move_products_to
        .as_deref()
        .map(|raw| BrandId::parse(raw).map_err(|_| AppError::not_found("brand", raw)))
        .transpose()?;
    let done = app.archive_brand(&scope, &id, move_to).await?;
    Ok(Json(ArchivedOut {
        brand_id: done.brand.id.to_string(),
        archived_at: ts(done.brand.archived_at.unwrap_or_else(|| app.now())),
        moved_to_brand_id: done.moved_to.map(|b| b.to_string()),
        products_moved: done.products_moved,
        collections_moved: 0,
        subscriptions_moved: 0,
    }))
}
