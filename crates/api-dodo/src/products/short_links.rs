//! `POST /products/{id}/short_links` and `GET /products/short_links`.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use kassa_app::{App, LinkUrls};
use kassa_core::id::ProductId;
use kassa_core::link::Slug;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ApiError;
use crate::extract::{Body, Caller, Query, path_id};
use crate::wire::{Items, page, ts};

/// `CreateShortLinkRequest`.
#[derive(Deserialize, ToSchema)]
pub struct CreateShortLink {
    /// 3 to 64 letters, digits, `-` or `_`; unique per business.
    #[schema(pattern = r"^[A-Za-z0-9_-]{3,64}$")]
    slug: String,
    /// Query parameters of the static link (`quantity`, `redirect_url`, …).
    static_checkout_params: Option<BTreeMap<String, String>>,
}

#[derive(Serialize, ToSchema)]
pub struct ShortLinkOut {
    short_url: String,
    full_url: String,
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
    /// Only links to this product (`pdt_…`).
    #[param(pattern = r"^pdt_[0-9A-Za-z]{21}$")]
    product_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ShortLinkItem {
    product_id: String,
    short_url: String,
    full_url: String,
    #[schema(format = DateTime)]
    created_at: String,
}

/// The `{id}` of a product.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
struct ProductPath {
    /// A product id (`pdt_…`); any other string is a 404.
    id: String,
}

#[utoipa::path(post, path = "/products/{id}/short_links", tag = "Dodo Payments", operation_id = "create_short_link_handler",
    summary = "Create a short link to a product's static checkout", security(("bearer" = [])), params(ProductPath),
    request_body = CreateShortLink,
    responses((status = 200, description = "The short and full URLs.", body = ShortLinkOut)))]
pub async fn create(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
    Body(body): Body<CreateShortLink>,
) -> Result<Json<ShortLinkOut>, ApiError> {
    let product = path_id("product", &id, ProductId::parse)?;
    let slug = Slug::parse("slug", &body.slug)?;
    let urls = app
        .create_product_short_link(
            &scope,
            &product,
            slug,
            body.static_checkout_params.unwrap_or_default(),
        )
        .await?;
    Ok(Json(ShortLinkOut {
        short_url: urls.short_url,
        full_url: urls.full_url,
    }))
}

#[utoipa::path(get, path = "/products/short_links", tag = "Dodo Payments", operation_id = "list_all_short_links_handler",
    summary = "List product short links", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, description = "A page of short links.", body = Items<ShortLinkItem>)))]
pub async fn list(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Query(q): Query<ListQuery>,
) -> Result<Json<Items<ShortLinkItem>>, ApiError> {
    let product = q
        .product_id
        .map(|p| {
            ProductId::parse(&p).map_err(|_| {
                ApiError::InvalidQuery(format!("product_id: `{p}` is not a product id"))
            })
        })
        .transpose()?;
    let links = app
        .list_short_links(&scope, product.as_ref(), page(q.page_number, q.page_size)?)
        .await?;
    Ok(Json(Items {
        items: links.into_iter().filter_map(item).collect(),
    }))
}

/// The store lists product links only; a link without one is skipped.
fn item(urls: LinkUrls) -> Option<ShortLinkItem> {
    Some(ShortLinkItem {
        product_id: urls.link.product?.to_string(),
        short_url: urls.short_url,
        full_url: urls.full_url,
        created_at: ts(urls.link.created_at),
    })
}
