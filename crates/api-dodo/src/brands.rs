//! `/brands`: create, retrieve, update, list, archive.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use kassa_app::{App, AppError};
use kassa_core::catalog::{Brand, BrandDraft, BrandPatch};
use kassa_core::id::BrandId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ApiError;
use crate::extract::{Body, Caller, Query, RawBody, parse_json, path_id};
use crate::openapi::Email;
use crate::wire::{Items, nullable, ts, ts_opt};

/// `CreateBrandRequest`. Without a `statement_descriptor` one is made
/// from the name.
#[derive(Deserialize, ToSchema)]
pub struct CreateBrand {
    #[schema(max_length = 100)]
    name: Option<String>,
    #[schema(max_length = 1000)]
    description: Option<String>,
    /// What card statements show: at most 22 characters, not blank.
    #[schema(
        max_length = 22,
        pattern = r"[^\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
    )]
    statement_descriptor: Option<String>,
    #[schema(value_type = Option<Email>)]
    support_email: Option<String>,
    /// The brand's website: an `http` or `https` URL with a host, at most
    /// 2048 characters.
    #[schema(
        max_length = 2048,
        pattern = r"^[\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[Hh][Tt][Tt][Pp][Ss]?://([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?(:[1-9][0-9]{0,3})?(/[!-~]*)?[\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    url: Option<String>,
}

/// `PatchBrandRequest`: absent fields are kept, `null` clears.
#[derive(Deserialize, ToSchema)]
pub struct PatchBrand {
    #[serde(default, deserialize_with = "nullable")]
    #[schema(max_length = 100)]
    name: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(max_length = 1000)]
    description: Option<Option<String>>,
    #[schema(
        max_length = 22,
        pattern = r"[^\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
    )]
    statement_descriptor: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Email>)]
    support_email: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    /// The brand's website: an `http` or `https` URL with a host, at most
    /// 2048 characters.
    #[schema(
        max_length = 2048,
        pattern = r"^[\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[Hh][Tt][Tt][Pp][Ss]?://([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?(:[1-9][0-9]{0,3})?(/[!-~]*)?[\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    url: Option<Option<String>>,
    /// Image upload is not served yet: any image id is a 404.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(schema_with = crate::openapi::null_only)]
    image_id: Option<Option<String>>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// List archived brands too.
    include_archived: Option<bool>,
}

/// The optional body of an archive: where the brand's products go
/// (default: the business's primary brand).
#[derive(Deserialize, Default, ToSchema)]
pub struct ArchiveBrand {
    move_products_to: Option<String>,
}

/// The `{id}` of a brand route.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
struct BrandPath {
    /// A brand id (`bus_…`-scoped `brd_…`); any other string is a 404.
    id: String,
}

/// `BrandResponse`. Kassa verifies nothing, so every brand is enabled and
/// verified.
#[derive(Serialize, ToSchema)]
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
    #[schema(value_type = String)]
    verification_status: &'static str,
    reason_for_hold: Option<String>,
    #[schema(format = DateTime)]
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
#[derive(Serialize, ToSchema)]
pub struct ArchivedOut {
    brand_id: String,
    #[schema(format = DateTime)]
    archived_at: String,
    moved_to_brand_id: Option<String>,
    products_moved: u64,
    collections_moved: u64,
    subscriptions_moved: u64,
}

fn brand_id(raw: &str) -> Result<BrandId, ApiError> {
    path_id("brand", raw, BrandId::parse)
}

#[utoipa::path(post, path = "/brands", tag = "Dodo Payments", operation_id = "create_brand_handler",
    summary = "Create a brand", security(("bearer" = [])),
    request_body = CreateBrand,
    responses((status = 200, description = "The brand.", body = BrandOut)))]
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

#[utoipa::path(get, path = "/brands/{id}", tag = "Dodo Payments", operation_id = "get_brand_handler",
    summary = "Retrieve a brand", security(("bearer" = [])), params(BrandPath),
    responses((status = 200, description = "The brand.", body = BrandOut)))]
pub async fn retrieve(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<Json<BrandOut>, ApiError> {
    let brand = app.brand(&scope, &brand_id(&id)?).await?;
    Ok(Json(BrandOut::from(&brand)))
}

#[utoipa::path(patch, path = "/brands/{id}", tag = "Dodo Payments", operation_id = "patch_brand_handler",
    summary = "Update a brand", security(("bearer" = [])), params(BrandPath),
    request_body = PatchBrand,
    responses((status = 200, description = "The brand as updated.", body = BrandOut)))]
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
#[utoipa::path(get, path = "/brands", tag = "Dodo Payments", operation_id = "list_brands_handler",
    summary = "List brands", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, description = "Every brand (not paginated).", body = Items<BrandOut>)))]
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

#[utoipa::path(post, path = "/brands/{id}/archive", tag = "Dodo Payments", operation_id = "archive_brand_handler",
    summary = "Archive a brand", security(("bearer" = [])), params(BrandPath),
    request_body(content = Option<ArchiveBrand>, description = "Optional: an empty body moves the products to the primary brand."),
    responses((status = 200, description = "Archived, with what was moved.", body = ArchivedOut)))]
pub async fn archive(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
    RawBody(raw): RawBody,
) -> Result<Json<ArchivedOut>, ApiError> {
    let id = brand_id(&id)?;
    // The body is optional: an empty one (or `null`) means "move products
    // to the primary brand".
    let body: ArchiveBrand = if raw.is_empty() {
        ArchiveBrand::default()
    } else {
        parse_json::<Option<ArchiveBrand>>(&raw)?.unwrap_or_default()
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
