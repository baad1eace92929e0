//! The router: the Dodo dialect at the root, Kassa's own endpoints beside
//! it, and the middleware every request passes ([`crate::edge`]).

use std::sync::Arc;

use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use kassa_app::App;
use serde_json::json;

use crate::edge::EdgeLayer;
use crate::{observe, openapi};

pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .merge(kassa_api_dodo::router(app.clone()))
        .merge(crate::pages::router())
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(observe::metrics))
        .route("/openapi.json", get(|| async { Json(openapi::document()) }))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(EdgeLayer)
        .with_state(app)
}

/// Liveness: the process answers.
async fn healthz() -> Json<serde_json::Value> {
    Json(json!({"status": "ok"}))
}

/// Readiness: the store answers too.
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

async fn not_found(req: Request) -> Response {
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| req.uri().path().to_owned());
    error(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        format!("no route for {} {path}", req.method()),
    )
}

async fn method_not_allowed(req: Request) -> Response {
    error(
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
        format!("{} is not allowed on {}", req.method(), req.uri().path()),
    )
}

pub(crate) fn error(status: StatusCode, code: &str, message: String) -> Response {
    (status, Json(json!({"code": code, "message": message}))).into_response()
}
