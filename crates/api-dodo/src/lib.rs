//! The Dodo Payments dialect: wire types, handlers and error mapping, so the
//! official `dodopayments` SDKs work against Kassa with only the base URL set.
//!
//! Handlers parse wire types into domain types at the edge, call `kassa_app`,
//! and render Dodo's response shapes (`{items}` pages, `{code, message}`
//! errors, RFC 3339 microsecond timestamps, required-nullable fields as null).

mod addons;
mod brands;
mod checkouts;
mod customers;
mod discounts;
mod error;
mod extract;
mod idempotency;
mod misc;
mod payment_methods;
mod payments;
mod products;
mod webhooks;
mod wire;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use kassa_app::App;

pub use error::ApiError;
pub use webhooks::render_event;

/// Every Dodo route Kassa serves, as (method, path template, summary); the
/// server builds its OpenAPI document from this list.
pub const OPERATIONS: &[(&str, &str, &str)] = &[
    (
        "get",
        "/checkout/supported_countries",
        "List supported countries",
    ),
    ("post", "/checkouts", "Create a checkout session"),
    (
        "post",
        "/checkouts/preview",
        "Preview a checkout session's price",
    ),
    ("get", "/checkouts/{id}", "Retrieve a checkout session"),
    (
        "post",
        "/kassa/checkouts/{id}/expire",
        "Kassa extra: expire an open checkout session now",
    ),
    (
        "post",
        "/payments",
        "Create a one-time payment (with a payment link)",
    ),
    ("get", "/payments", "List payments"),
    ("get", "/payments/{payment_id}", "Retrieve a payment"),
    (
        "get",
        "/payments/{payment_id}/line-items",
        "List a payment's line items",
    ),
    ("post", "/products", "Create a product"),
    ("get", "/products", "List products"),
    ("get", "/products/{id}", "Retrieve a product"),
    ("patch", "/products/{id}", "Update a product"),
    ("delete", "/products/{id}", "Archive a product"),
    ("post", "/products/{id}/unarchive", "Unarchive a product"),
    (
        "post",
        "/products/{id}/short_links",
        "Create a short link to a product's static checkout",
    ),
    ("get", "/products/short_links", "List product short links"),
    ("post", "/addons", "Create an addon"),
    ("get", "/addons", "List addons"),
    ("get", "/addons/{id}", "Retrieve an addon"),
    ("patch", "/addons/{id}", "Update an addon"),
    ("delete", "/addons/{id}", "Archive an addon"),
    ("post", "/addons/{id}/unarchive", "Unarchive an addon"),
    ("post", "/customers", "Create a customer"),
    ("get", "/customers", "List customers"),
    ("get", "/customers/{customer_id}", "Retrieve a customer"),
    ("patch", "/customers/{customer_id}", "Update a customer"),
    (
        "get",
        "/customers/{customer_id}/payment-methods",
        "List a customer's saved payment methods",
    ),
    (
        "delete",
        "/customers/{customer_id}/payment-methods/{payment_method_id}",
        "Remove a customer's saved payment method",
    ),
    ("post", "/discounts", "Create a discount"),
    ("get", "/discounts", "List discounts"),
    ("get", "/discounts/{discount_id}", "Retrieve a discount"),
    ("patch", "/discounts/{discount_id}", "Update a discount"),
    ("delete", "/discounts/{discount_id}", "Delete a discount"),
    (
        "get",
        "/discounts/code/{code}",
        "Retrieve a discount by code",
    ),
    ("post", "/brands", "Create a brand"),
    ("get", "/brands", "List brands"),
    ("get", "/brands/{id}", "Retrieve a brand"),
    ("patch", "/brands/{id}", "Update a brand"),
    ("post", "/brands/{id}/archive", "Archive a brand"),
    ("post", "/webhooks", "Create a webhook endpoint"),
    ("get", "/webhooks", "List webhook endpoints (cursor pages)"),
    (
        "get",
        "/webhooks/{webhook_id}",
        "Retrieve a webhook endpoint",
    ),
    (
        "patch",
        "/webhooks/{webhook_id}",
        "Update a webhook endpoint",
    ),
    (
        "delete",
        "/webhooks/{webhook_id}",
        "Delete a webhook endpoint",
    ),
    (
        "get",
        "/webhooks/{webhook_id}/secret",
        "Retrieve a webhook endpoint's signing secret",
    ),
    (
        "get",
        "/webhooks/{webhook_id}/headers",
        "Retrieve a webhook endpoint's custom headers",
    ),
    (
        "patch",
        "/webhooks/{webhook_id}/headers",
        "Add or replace a webhook endpoint's custom headers",
    ),
    (
        "post",
        "/kassa/webhooks/{webhook_id}/secret/rotate",
        "Kassa extra: rotate the signing secret (the old one signs too for 24 h)",
    ),
    (
        "get",
        "/kassa/webhooks/{webhook_id}/deliveries",
        "Kassa extra: the endpoint's delivery log (status=pending|succeeded|failed, limit)",
    ),
    (
        "post",
        "/kassa/webhooks/{webhook_id}/deliveries/{event_id}/resend",
        "Kassa extra: send one delivery again now",
    ),
    (
        "post",
        "/kassa/webhooks/{webhook_id}/replay",
        "Kassa extra: send every failed delivery since {since} again",
    ),
    (
        "post",
        "/kassa/webhooks/{webhook_id}/trigger",
        "Kassa extra (test mode): send a sample event {event_type} to this endpoint",
    ),
    (
        "get",
        "/kassa/webhook-attempts",
        "Kassa extra: delivery attempts after a cursor (after, limit), for tailing",
    ),
];

/// The Dodo API, to be mounted at the root.
pub fn router(app: Arc<App>) -> Router<Arc<App>> {
    Router::new()
        .route(
            "/checkout/supported_countries",
            get(misc::supported_countries),
        )
        .route("/checkouts", post(checkouts::create))
        .route("/checkouts/preview", post(checkouts::preview))
        .route("/checkouts/{id}", get(checkouts::retrieve))
        .route("/kassa/checkouts/{id}/expire", post(checkouts::expire))
        .route("/payments", post(payments::create).get(payments::list))
        .route("/payments/{payment_id}", get(payments::retrieve))
        .route(
            "/payments/{payment_id}/line-items",
            get(payments::line_items),
        )
        .route("/products", post(products::create).get(products::list))
        .route("/products/short_links", get(products::short_links::list))
        .route(
            "/products/{id}/short_links",
            post(products::short_links::create),
        )
        .route(
            "/products/{id}",
            get(products::retrieve)
                .patch(products::update)
                .delete(products::archive),
        )
        .route("/products/{id}/unarchive", post(products::unarchive))
        .route("/addons", post(addons::create).get(addons::list))
        .route(
            "/addons/{id}",
            get(addons::retrieve)
                .patch(addons::update)
                .delete(addons::archive),
        )
        .route("/addons/{id}/unarchive", post(addons::unarchive))
        .route("/customers", post(customers::create).get(customers::list))
        .route(
            "/customers/{customer_id}",
            get(customers::retrieve).patch(customers::update),
        )
        .route(
            "/customers/{customer_id}/payment-methods",
            get(payment_methods::list),
        )
        .route(
            "/customers/{customer_id}/payment-methods/{payment_method_id}",
            axum::routing::delete(payment_methods::delete),
        )
        .route("/discounts", post(discounts::create).get(discounts::list))
        .route(
            "/discounts/{discount_id}",
            get(discounts::retrieve)
                .patch(discounts::update)
                .delete(discounts::delete),
        )
        .route("/discounts/code/{code}", get(discounts::retrieve_by_code))
        .route("/brands", post(brands::create).get(brands::list))
        .route("/brands/{id}", get(brands::retrieve).patch(brands::update))
        .route("/brands/{id}/archive", post(brands::archive))
        .route("/webhooks", post(webhooks::create).get(webhooks::list))
        .route(
            "/webhooks/{id}",
            get(webhooks::retrieve)
                .patch(webhooks::update)
                .delete(webhooks::delete),
        )
        .route("/webhooks/{id}/secret", get(webhooks::secret))
        .route(
            "/webhooks/{id}/headers",
            get(webhooks::headers).patch(webhooks::update_headers),
        )
        .route(
            "/kassa/webhooks/{id}/secret/rotate",
            post(webhooks::rotate_secret),
        )
        .route("/kassa/webhooks/{id}/deliveries", get(webhooks::deliveries))
        .route(
            "/kassa/webhooks/{id}/deliveries/{event_id}/resend",
            post(webhooks::resend),
        )
        .route("/kassa/webhooks/{id}/replay", post(webhooks::replay))
        .route("/kassa/webhooks/{id}/trigger", post(webhooks::trigger))
        .route("/kassa/webhook-attempts", get(webhooks::attempts))
        .layer(idempotency::IdempotencyLayer { app })
}
