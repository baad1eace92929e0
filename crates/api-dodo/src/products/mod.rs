//! `/products`: create, retrieve, update, list, archive, unarchive.

mod price;
pub(crate) mod short_links;
mod wire;

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use kassa_app::App;
use kassa_core::catalog::ProductFilter;
use kassa_core::id::{BrandId, ProductId};

use crate::ApiError;
use crate::extract::{Body, Caller, Query, path_id};
use crate::wire::{Items, page};
use wire::{CreateProduct, ListQuery, PatchProduct, ProductListItem, ProductOut};

/// The `{id}` path parameter of every product route.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
struct ProductPath {
    /// A product id (`pdt_…`); any other string is a 404.
    id: String,
}

fn product_id(raw: &str) -> Result<ProductId, ApiError> {
    path_id("product", raw, ProductId::parse)
}

#[utoipa::path(post, path = "/products", tag = "Dodo Payments", operation_id = "create_product",
    summary = "Create a product", security(("bearer" = [])),
    request_body = CreateProduct,
    responses((status = 200, description = "The product.", body = ProductOut)))]
pub async fn create(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Body(body): Body<CreateProduct>,
) -> Result<Json<ProductOut>, ApiError> {
    let draft = body.into_draft()?;
    let product = app.create_product(&scope, draft).await?;
    Ok(Json(ProductOut::from(&product)))
}

#[utoipa::path(get, path = "/products/{id}", tag = "Dodo Payments", operation_id = "get_product_handler",
    summary = "Retrieve a product", security(("bearer" = [])), params(ProductPath),
    responses((status = 200, description = "The product.", body = ProductOut)))]
pub async fn retrieve(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<Json<ProductOut>, ApiError> {
    let product = app.product(&scope, &product_id(&id)?).await?;
    Ok(Json(ProductOut::from(&product)))
}

/// Dodo answers a product PATCH with an empty 200.
#[utoipa::path(patch, path = "/products/{id}", tag = "Dodo Payments", operation_id = "patch_product",
    summary = "Update a product", security(("bearer" = [])), params(ProductPath),
    request_body = PatchProduct,
    responses((status = 200, description = "Updated; the body is empty, as on Dodo.")))]
pub async fn update(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
    Body(body): Body<PatchProduct>,
) -> Result<(), ApiError> {
    let id = product_id(&id)?;
    let patch = body.into_patch()?;
    app.update_product(&scope, &id, patch).await?;
    Ok(())
}

#[utoipa::path(get, path = "/products", tag = "Dodo Payments", operation_id = "list_products_handler",
    summary = "List products", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, description = "A page of products.", body = Items<ProductListItem>)))]
pub async fn list(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Query(q): Query<ListQuery>,
) -> Result<Json<Items<ProductListItem>>, ApiError> {
    let page = page(q.page_number, q.page_size)?;
    let brand = match q.brand_id.as_deref().map(BrandId::parse) {
        // No product can carry a malformed brand id.
        Some(Err(_)) => return Ok(Json(Items { items: vec![] })),
        Some(Ok(id)) => Some(id),
        None => None,
    };
    let filter = ProductFilter {
        archived: q.archived,
        recurring: q.recurring,
        brand,
    };
    let products = app.list_products(&scope, &filter, page).await?;
    Ok(Json(Items {
        items: products.iter().map(ProductListItem::from).collect(),
    }))
}

/// `DELETE /products/{id}` archives (soft delete); empty 200.
#[utoipa::path(delete, path = "/products/{id}", tag = "Dodo Payments", operation_id = "delete_product",
    summary = "Archive a product", security(("bearer" = [])), params(ProductPath),
    responses((status = 200, description = "Archived; the body is empty.")))]
pub async fn archive(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<(), ApiError> {
    app.set_product_archived(&scope, &product_id(&id)?, true)
        .await?;
    Ok(())
}

#[utoipa::path(post, path = "/products/{id}/unarchive", tag = "Dodo Payments", operation_id = "undelete_product",
    summary = "Unarchive a product", security(("bearer" = [])), params(ProductPath),
    responses((status = 200, description = "Unarchived; the body is empty.")))]
pub async fn unarchive(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<(), ApiError> {
    app.set_product_archived(&scope, &product_id(&id)?, false)
        .await?;
    Ok(())
}
