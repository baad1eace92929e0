//! `/webhooks`: endpoint management as Dodo (Svix) shapes it, with cursor
//! pages, filter types, custom headers (credentials shown by name only)
//! and the signing secret.

mod events;
mod log;
mod samples;

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kassa_app::{App, EndpointCursor, EndpointDraft, EndpointPatch, parse_event_types};
use kassa_core::DomainError;
use kassa_core::id::WebhookEndpointId;
use kassa_core::webhook::{CustomHeaders, EndpointUrl, WebhookEndpoint};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use events::render_event;
pub(crate) use log::{attempts, deliveries, replay, resend, rotate_secret, trigger};

use crate::ApiError;
use crate::extract::{Body, Caller, Query, path_id};
use crate::wire::{nullable, ts};

/// Svix's default and largest page.
const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 250;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhook {
    url: String,
    description: Option<String>,
    disabled: Option<bool>,
    filter_types: Option<Vec<String>>,
    headers: Option<BTreeMap<String, String>>,
    metadata: Option<BTreeMap<String, String>>,
    rate_limit: Option<i64>,
    idempotency_key: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatchWebhook {
    url: Option<String>,
    description: Option<String>,
    disabled: Option<bool>,
    filter_types: Option<Vec<String>>,
    metadata: Option<BTreeMap<String, String>>,
    #[serde(default, deserialize_with = "nullable")]
    rate_limit: Option<Option<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeadersIn {
    headers: BTreeMap<String, String>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    limit: Option<i64>,
    iterator: Option<String>,
}

/// `WebhookDetails`.
pub(crate) fn details(e: &WebhookEndpoint) -> Value {
    let filter: Vec<&str> = e.filter_types.iter().map(|t| t.as_str()).collect();
    serde_json::json!({
        "id": e.id.as_str(),
        "url": e.url.as_str(),
        "description": e.description,
        "metadata": e.metadata,
        "created_at": ts(e.created_at),
        "updated_at": ts(e.updated_at),
        "disabled": e.disabled,
        "filter_types": if filter.is_empty() { None } else { Some(filter) },
        "rate_limit": e.rate_limit,
    })
}

/// `rate_limit`: deliveries per second; 0 or null means unlimited.
fn rate_limit(raw: Option<i64>) -> Result<Option<u32>, DomainError> {
    match raw {
        None | Some(0) => Ok(None),
        Some(n) => u32::try_from(n)
            .map(Some)
            .map_err(|_| DomainError::invalid("rate_limit", "must be a whole number ≥ 0")),
    }
}

fn filter(
    raw: Option<Vec<String>>,
) -> Result<Option<Vec<kassa_core::webhook::EventType>>, DomainError> {
    raw.map(|names| parse_event_types(&names)).transpose()
}

fn webhook_id(raw: &str) -> Result<WebhookEndpointId, ApiError> {
    path_id("webhook", raw, WebhookEndpointId::parse)
}

pub async fn create(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Body(body): Body<CreateWebhook>,
) -> Result<Json<Value>, ApiError> {
    let draft = EndpointDraft {
        url: EndpointUrl::parse(&body.url)?,
        description: body.description.unwrap_or_default(),
        metadata: body.metadata.unwrap_or_default(),
        filter_types: filter(body.filter_types)?.unwrap_or_default(),
        headers: CustomHeaders::parse(body.headers.unwrap_or_default())?,
        rate_limit: rate_limit(body.rate_limit)?,
        disabled: body.disabled.unwrap_or(false),
    };
    let key = body.idempotency_key.as_deref().filter(|k| !k.is_empty());
    let endpoint = app.create_webhook(&scope, draft, key).await?;
    Ok(Json(details(&endpoint)))
}

pub async fn retrieve(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let endpoint = app.webhook(&scope, &webhook_id(&id)?).await?;
    Ok(Json(details(&endpoint)))
}

pub async fn update(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
    Body(body): Body<PatchWebhook>,
) -> Result<Json<Value>, ApiError> {
    let patch = EndpointPatch {
        url: body.url.as_deref().map(EndpointUrl::parse).transpose()?,
        description: body.description,
        metadata: body.metadata,
        filter_types: filter(body.filter_types)?,
        rate_limit: body.rate_limit.map(rate_limit).transpose()?,
        disabled: body.disabled,
    };
    let endpoint = app.update_webhook(&scope, &webhook_id(&id)?, patch).await?;
    Ok(Json(details(&endpoint)))
}

pub async fn delete(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    app.delete_webhook(&scope, &webhook_id(&id)?).await?;
    Ok(StatusCode::OK)
}

#[derive(Serialize)]
pub struct CursorPage {
    data: Vec<Value>,
    done: bool,
    iterator: Option<String>,
    prev_iterator: Option<String>,
}

/// A cursor page. `iterator` is the last id of a page; `prev_iterator`
/// is `-` and the first id, which lists the page before it.
pub async fn list(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Query(q): Query<ListQuery>,
) -> Result<Json<CursorPage>, ApiError> {
    let limit = match q.limit {
        None => DEFAULT_LIMIT,
        Some(n) if (1..=MAX_LIMIT as i64).contains(&n) => n as usize,
        Some(n) => {
            return Err(ApiError::InvalidQuery(format!(
                "limit: {n} is not between 1 and {MAX_LIMIT}"
            )));
        }
    };
    let bad =
        |raw: &str| ApiError::InvalidQuery(format!("iterator: `{raw}` is not a webhook cursor"));
    let cursor = match q.iterator.as_deref().filter(|i| !i.is_empty()) {
        None => EndpointCursor::Start,
        Some(raw) => match raw.strip_prefix('-') {
            Some(id) => EndpointCursor::Before(WebhookEndpointId::parse(id).map_err(|_| bad(raw))?),
            None => EndpointCursor::After(WebhookEndpointId::parse(raw).map_err(|_| bad(raw))?),
        },
    };
    let mut found = app.list_webhooks(&scope, &cursor, limit + 1).await?;
    let more = found.len() > limit;
    if more {
        match cursor {
            // Backwards, the extra row is the oldest: drop it from the front.
            EndpointCursor::Before(_) => {
                found.remove(0);
            }
            _ => {
                found.pop();
            }
        }
    }
    let backwards = matches!(cursor, EndpointCursor::Before(_));
    let done = if backwards { false } else { !more };
    let iterator = (!done)
        .then(|| found.last().map(|e| e.id.to_string()))
        .flatten();
    let has_prev = if backwards {
        more
    } else {
        cursor != EndpointCursor::Start
    };
    let prev_iterator = has_prev
        .then(|| found.first().map(|e| format!("-{}", e.id)))
        .flatten();
    Ok(Json(CursorPage {
        data: found.iter().map(details).collect(),
        done: done || iterator.is_none(),
        iterator,
        prev_iterator,
    }))
}

pub async fn secret(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let endpoint = app.webhook(&scope, &webhook_id(&id)?).await?;
    Ok(Json(
        serde_json::json!({ "secret": endpoint.secret.as_str() }),
    ))
}

/// `{headers, sensitive}`: values of credential-like headers are withheld.
pub async fn headers(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let endpoint = app.webhook(&scope, &webhook_id(&id)?).await?;
    let (sensitive, plain): (Vec<_>, Vec<_>) = endpoint
        .headers
        .iter()
        .partition(|(name, _)| CustomHeaders::is_sensitive(name));
    let plain: BTreeMap<&str, &str> = plain.into_iter().collect();
    let sensitive: Vec<&str> = sensitive.into_iter().map(|(name, _)| name).collect();
    Ok(Json(
        serde_json::json!({ "headers": plain, "sensitive": sensitive }),
    ))
}

pub async fn update_headers(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
    Body(body): Body<HeadersIn>,
) -> Result<StatusCode, ApiError> {
    let headers = CustomHeaders::parse(body.headers)?;
    app.merge_webhook_headers(&scope, &webhook_id(&id)?, headers)
        .await?;
    Ok(StatusCode::OK)
}
