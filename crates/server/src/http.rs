//! The router: the Dodo dialect at the root, Kassa's own endpoints beside
//! it, and the middleware every request passes ([`crate::edge`]).

use std::sync::Arc;

use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use kassa_app::App;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::dialects::{self, Refusal};
use crate::edge::EdgeLayer;
use crate::idempotency::IdempotencyLayer;
use crate::{observe, openapi};

pub fn router(app: Arc<App>, edge: &crate::edge::EdgeConfig) -> Router {
    let (dodo, dodo_doc) = kassa_api_dodo::router();
    let dodo = dodo.layer(IdempotencyLayer {
        app: app.clone(),
        render: dialects::dodo,
    });
    let (own, own_doc) = OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .routes(routes!(metrics))
        .routes(routes!(openapi_json))
        .split_for_parts();
    let mut doc = dodo_doc;
    doc.merge(own_doc);
    openapi::publish(doc);
    Router::new()
        .merge(dodo)
        .merge(own)
        .merge(kassa_pages::router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(EdgeLayer::new(edge))
        .with_state(app)
}

/// `{"status": …}`.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // a schema only
struct Status {
    status: String,
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "Kassa", operation_id = "kassa_healthz",
    summary = "Liveness: the process answers",
    responses((status = 200, description = "Alive.", body = Status, example = json!({"status": "ok"}))))]
async fn healthz() -> Json<serde_json::Value> {
    Json(json!({"status": "ok"}))
}

/// Readiness: the store answers too.
#[utoipa::path(get, path = "/readyz", tag = "Kassa", operation_id = "kassa_readyz",
    summary = "Readiness: the store answers",
    responses(
        (status = 200, description = "Ready.", body = Status, example = json!({"status": "ready"})),
        (status = 503, description = "The store does not answer.", body = Status, example = json!({"status": "unavailable"})),
    ))]
async fn readyz(State(app): State<Arc<App>>) -> Response {
    match app.ready().await {
        Ok(()) => Json(json!({"status": "ready"})).into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "store not ready");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "unavailable"})),
            )
                .into_response()
        }
    }
}

/// Prometheus metrics in the text exposition format.
#[utoipa::path(get, path = "/metrics", tag = "Kassa", operation_id = "kassa_metrics",
    summary = "Prometheus metrics",
    responses((status = 200, description = "Metrics in Prometheus' text format.", content_type = "text/plain", body = String)))]
async fn metrics() -> Response {
    observe::metrics().await.into_response()
}

/// This document.
#[utoipa::path(get, path = "/openapi.json", tag = "Kassa", operation_id = "kassa_openapi",
    summary = "Kassa's OpenAPI document (this one)",
    responses((status = 200, description = "An OpenAPI 3.1 document.", content_type = "application/json", body = Object)))]
async fn openapi_json() -> Response {
    ([(CONTENT_TYPE, "application/json")], openapi::published()).into_response()
}

async fn not_found(req: Request) -> Response {
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| req.uri().path().to_owned());
    dialects::for_path(req.uri().path())(Refusal::no_route(&req, path))
}

async fn method_not_allowed(req: Request) -> Response {
    dialects::for_path(req.uri().path())(Refusal::MethodNotAllowed {
        method: req.method().to_string(),
        path: req.uri().path().to_owned(),
    })
}
