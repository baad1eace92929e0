//! `POST /products/{id}/short_links` and `GET /products/short_links`.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use kassa_app::{App, LinkUrls};
use kassa_core::id::ProductId;
use kassa_core::link::Slug;
use serde::{Deserialize, Serialize};

use crate::ApiError;
use crate::extract::{Body, Caller, Query, path_id};
use crate::wire::{Items, page, ts};

#[derive(Deserialize)]
pub struct CreateShortLink {
    slug: String,
    static_checkout_params: Option<BTreeMap<String, String>>,
}

#[derive(Serialize)]
pub struct ShortLinkOut {
    short_url: String,
    full_url: String,
}

#[derive(Deserialize)]
pub struct ListQuery {
    page_size: Option<i64>,
    page_number: Option<i64>,
    product_id: Option<String>,
}

#[derive(Serialize)]
pub struct ShortLinkItem {
    product_id: String,
    short_url: String,
    full_url: String,
    created_at: String,
}

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
