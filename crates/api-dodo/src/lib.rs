//! The Dodo Payments dialect: wire types, handlers and error mapping, so the
//! official `dodopayments` SDKs work against Kassa with only the base URL set.
//!
//! Handlers parse wire types into domain types at the edge, call `kassa_app`,
//! and render Dodo's response shapes (`{items}` pages, `{code, message}`
//! errors, RFC 3339 microsecond timestamps, required-nullable fields as null).

mod addons;
mod api_keys;
mod brands;
mod checkouts;
mod customers;
mod discounts;
mod error;
mod extract;
mod misc;
mod objects_only;
mod openapi;
mod payment_methods;
mod payments;
mod products;
mod test_clock;
pub mod vocabulary;
mod webhooks;
mod wire;

use std::sync::Arc;

use axum::Router;
use kassa_app::App;
use utoipa::OpenApi as _;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use error::ApiError;
pub use webhooks::{DodoWebhooks, render_event, to_canonical_json};

/// The Dodo API, to be mounted at the root, and its part of Kassa's
/// OpenAPI document. Both come from the handlers' `#[utoipa::path]`
/// descriptions (`routes!`), so they list the same operations.
pub fn router() -> (Router<Arc<App>>, utoipa::openapi::OpenApi) {
    let (router, mut doc) = OpenApiRouter::with_openapi(openapi::DodoDoc::openapi())
        .merge(catalog_routes())
        .merge(purchase_routes())
        .merge(webhook_routes())
        .routes(routes!(test_clock::show))
        .routes(routes!(api_keys::list))
        .routes(routes!(api_keys::revoke))
        .routes(routes!(test_clock::advance))
        .split_for_parts();
    openapi::add_error_responses(&mut doc);
    openapi::add_links(&mut doc);
    (router, doc)
}

/// Products, addons, customers, discounts, brands and short links.
fn catalog_routes() -> OpenApiRouter<Arc<App>> {
    OpenApiRouter::new()
        .routes(routes!(products::create, products::list))
        .routes(routes!(
            products::retrieve,
            products::update,
            products::archive
        ))
        .routes(routes!(products::unarchive))
        .routes(routes!(products::short_links::list))
        .routes(routes!(products::short_links::create))
        .routes(routes!(addons::create, addons::list))
        .routes(routes!(addons::retrieve, addons::update, addons::archive))
        .routes(routes!(addons::unarchive))
        .routes(routes!(customers::create, customers::list))
        .routes(routes!(customers::retrieve, customers::update))
        .routes(routes!(payment_methods::list))
        .routes(routes!(payment_methods::delete))
        .routes(routes!(discounts::create, discounts::list))
        .routes(routes!(
            discounts::retrieve,
            discounts::update,
            discounts::delete
        ))
        .routes(routes!(discounts::retrieve_by_code))
        .routes(routes!(brands::create, brands::list))
        .routes(routes!(brands::retrieve, brands::update))
        .routes(routes!(brands::archive))
        .routes(routes!(misc::supported_countries))
}

/// Checkout sessions and payments.
fn purchase_routes() -> OpenApiRouter<Arc<App>> {
    OpenApiRouter::new()
        .routes(routes!(checkouts::create))
        .routes(routes!(checkouts::preview))
        .routes(routes!(checkouts::retrieve))
        .routes(routes!(checkouts::expire))
        .routes(routes!(payments::create, payments::list))
        .routes(routes!(payments::retrieve))
        .routes(routes!(payments::line_items))
}

/// Webhook endpoints and Kassa's delivery tools.
fn webhook_routes() -> OpenApiRouter<Arc<App>> {
    OpenApiRouter::new()
        .routes(routes!(webhooks::create, webhooks::list))
        .routes(routes!(
            webhooks::retrieve,
            webhooks::update,
            webhooks::delete
        ))
        .routes(routes!(webhooks::secret))
        .routes(routes!(webhooks::headers, webhooks::update_headers))
        .routes(routes!(webhooks::log::rotate_secret))
        .routes(routes!(webhooks::log::deliveries))
        .routes(routes!(webhooks::log::resend))
        .routes(routes!(webhooks::log::replay))
        .routes(routes!(webhooks::log::trigger))
        .routes(routes!(webhooks::log::attempts))
}
