//! Request extractors that fail in Dodo's error shape: the authenticated
//! caller, JSON bodies that name the offending field, query strings, ids.

use std::sync::Arc;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use kassa_app::{App, AppError};
use kassa_core::tenancy::Scope;
use serde::de::DeserializeOwned;

use crate::ApiError;

/// The business and mode of the request's `Authorization: Bearer` key.
pub struct Caller(pub Scope);

impl FromRequestParts<Arc<App>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Caller, ApiError> {
        let secret = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or(AppError::Unauthorized)?;
        Ok(Caller(app.authenticate(secret.trim()).await?))
    }
}

/// A JSON body. Malformed JSON is a 400; JSON of the wrong shape is a 422
/// naming the path of the offending field (`price.price`).
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Body<T>, ApiError> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::MalformedJson(e.body_text()))?;
        parse_json(&bytes).map(Body)
    }
}

/// Parses JSON, telling syntax errors from shape errors.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // Good bodies take one plain pass; only a refused one pays for the
    // syntax check and the path-tracking pass that name the problem.
    if let Ok(value) = serde_json::from_slice(bytes) {
        return Ok(value);
    }
    if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
        return Err(ApiError::MalformedJson(e.to_string()));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { "body".to_owned() } else { path };
        let reason = strip_position(&e.into_inner().to_string());
        ApiError::InvalidBody { field, reason }
    })
}

/// serde_json appends " at line L column C"; the field path says more.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Query parameters; a malformed one is `INVALID_QUERY_PARAMS`.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Query<T>, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(Query)
            .map_err(|e| ApiError::InvalidQuery(format!("{}: {}", e.path(), e.inner())))
    }
}

/// Parses an id from the path. An id of the wrong shape cannot exist, so
/// it is a 404 like any other unknown id.
pub fn path_id<T>(
    what: &'static str,
    raw: &str,
    parse: impl Fn(&str) -> Result<T, kassa_core::id::IdError>,
) -> Result<T, ApiError> {
    parse(raw).map_err(|_| ApiError::App(AppError::not_found(what, raw)))
}
