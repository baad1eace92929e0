//! `/checkouts`: open a session, preview its price, read it back.

mod page_options;
pub(crate) mod request;
mod response;
pub(crate) mod schema;

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use kassa_app::App;
use kassa_core::id::CheckoutSessionId;

use crate::ApiError;
use crate::extract::{Body, Caller, path_id};
use request::{CheckoutRequest, CheckoutRequestSchema};
use response::{PreviewOut, SessionCreatedOut, SessionStatusOut};

/// The `{id}` of a checkout session route.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
struct SessionPath {
    /// A checkout session id (`cks_…`); any other string is a 404.
    id: String,
}

#[utoipa::path(post, path = "/checkouts", tag = "Dodo Payments", operation_id = "create_session",
    summary = "Create a checkout session", security(("bearer" = [])),
    request_body = CheckoutRequestSchema,
    responses((status = 200, description = "The session and its hosted page.", body = SessionCreatedOut)))]
pub async fn create(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Body(body): Body<CheckoutRequest>,
) -> Result<Json<SessionCreatedOut>, ApiError> {
    let priced = app.create_checkout(&scope, body.into_draft()?).await?;
    Ok(Json(SessionCreatedOut::from(&priced)))
}

/// Prices a session request as `POST /checkouts` would, storing nothing.
#[utoipa::path(post, path = "/checkouts/preview", tag = "Dodo Payments", operation_id = "preview_session",
    summary = "Preview a checkout session's price", security(("bearer" = [])),
    request_body = CheckoutRequestSchema,
    responses((status = 200, description = "What the session would charge.", body = PreviewOut)))]
pub async fn preview(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Body(body): Body<CheckoutRequest>,
) -> Result<Json<PreviewOut>, ApiError> {
    let (_, quote) = app.preview_checkout(&scope, body.into_draft()?).await?;
    Ok(Json(PreviewOut::new(&quote, app.now_in(&scope).await?)))
}

#[utoipa::path(get, path = "/checkouts/{id}", tag = "Dodo Payments", operation_id = "get_checkout_sessions_status",
    summary = "Retrieve a checkout session", security(("bearer" = [])), params(SessionPath),
    responses((status = 200, description = "The session's status.", body = SessionStatusOut)))]
pub async fn retrieve(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<Json<SessionStatusOut>, ApiError> {
    let id = path_id("checkout session", &id, CheckoutSessionId::parse)?;
    let (session, payment) = app.checkout_status(&scope, &id).await?;
    Ok(Json(SessionStatusOut::new(&session, payment.as_ref())))
}

/// `POST /kassa/checkouts/{id}/expire`: Kassa's own extra (not in Dodo's
/// API) to end a session now, for testing expiry without waiting a day.
/// A session already completed or expired is left as it is.
#[utoipa::path(post, path = "/kassa/checkouts/{id}/expire", tag = "Kassa", operation_id = "kassa_expire_checkout",
    summary = "Expire an open checkout session now", security(("bearer" = [])), params(SessionPath),
    responses((status = 200, description = "The session, expired unless it had completed.", body = SessionStatusOut)))]
pub async fn expire(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<Json<SessionStatusOut>, ApiError> {
    let id = path_id("checkout session", &id, CheckoutSessionId::parse)?;
    app.expire_checkout(&scope, &id).await?;
    let (session, payment) = app.checkout_status(&scope, &id).await?;
    Ok(Json(SessionStatusOut::new(&session, payment.as_ref())))
}
