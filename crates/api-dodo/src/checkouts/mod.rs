//! `/checkouts`: open a session, preview its price, read it back.

mod page_options;
pub(crate) mod request;
mod response;

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use kassa_app::App;
use kassa_core::id::CheckoutSessionId;

use crate::ApiError;
use crate::extract::{Body, Caller, path_id};
use request::CheckoutRequest;
use response::{PreviewOut, SessionCreatedOut, SessionStatusOut};

pub async fn create(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Body(body): Body<CheckoutRequest>,
) -> Result<Json<SessionCreatedOut>, ApiError> {
    let priced = app.create_checkout(&scope, body.into_draft()?).await?;
    Ok(Json(SessionCreatedOut::from(&priced)))
}

pub async fn preview(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Body(body): Body<CheckoutRequest>,
) -> Result<Json<PreviewOut>, ApiError> {
    let (_, quote) = app.preview_checkout(&scope, body.into_draft()?).await?;
    Ok(Json(PreviewOut::new(&quote, app.now())))
}

pub async fn retrieve(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<Json<SessionStatusOut>, ApiError> {
    let id = path_id("checkout session", &id, CheckoutSessionId::parse)?;
    let session = app.checkout(&scope, &id).await?;
    Ok(Json(SessionStatusOut::from(&session)))
}

/// `POST /kassa/checkouts/{id}/expire`: Kassa's own extra (not in Dodo's
/// API) to end a session now, for testing expiry without waiting a day.
pub async fn expire(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<Json<SessionStatusOut>, ApiError> {
    let id = path_id("checkout session", &id, CheckoutSessionId::parse)?;
    let session = app.expire_checkout(&scope, &id).await?;
    Ok(Json(SessionStatusOut::from(&session)))
}
