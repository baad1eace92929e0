//! `/webhooks`: endpoint management as Dodo (Svix) shapes it, with cursor
//! pages, filter types, custom headers (credentials shown by name only)
//! and the signing secret.

mod canonical;
mod events;
pub(crate) mod log;
mod samples;

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kassa_app::{App, EndpointCursor, EndpointDraft, EndpointPatch};
use kassa_core::DomainError;
use kassa_core::id::WebhookEndpointId;
use kassa_core::webhook::{CustomHeaders, Dialect, EndpointUrl, WebhookEndpoint, limits};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub use canonical::to_canonical_json;
pub use events::{DodoWebhooks, render_event};

use crate::ApiError;
use crate::extract::{Body, Caller, Query, path_id};
use crate::vocabulary::SIGNED_HEADERS;
use crate::wire::{nullable, ts};

/// Svix's default and largest page.
const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 250;

/// `CreateWebhookRequest`. At most 5 endpoints per business and mode
/// unless the operator allows more (`WEBHOOK_LIMIT_REACHED`, 422); in live
/// mode an address that is not globally routable is refused.
#[derive(Deserialize, ToSchema)]
pub struct CreateWebhook {
    /// An `http` or `https` URL with a host and no credentials, in
    /// printable ASCII (percent-encode the rest). The pattern admits host
    /// names; IP literals (`http://127.0.0.1:9000/hook`) are accepted too.
    #[schema(
        pattern = r"^[\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[Hh][Tt][Tt][Pp][Ss]?://([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?(:[1-9][0-9]{0,3})?(/[!-~]*)?[\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    url: String,
    #[schema(max_length = 1000)]
    description: Option<String>,
    disabled: Option<bool>,
    /// Event types to deliver; none or empty means every type.
    #[schema(value_type = Option<Vec<EventTypeName>>, max_items = 100)]
    filter_types: Option<Vec<String>>,
    /// Headers sent with every delivery (not `webhook-*` or hop-by-hop ones).
    #[schema(value_type = Option<HeadersSchema>)]
    headers: Option<BTreeMap<String, String>>,
    #[schema(value_type = Option<WebhookMetadataSchema>)]
    metadata: Option<BTreeMap<String, String>>,
    /// Deliveries per second; 0 or absent means unlimited.
    #[schema(minimum = 0, maximum = 4294967295_i64)]
    rate_limit: Option<i64>,
    /// A second create with the same key returns the first endpoint.
    idempotency_key: Option<String>,
}

/// `PatchWebhookRequest`: absent fields are kept.
#[derive(Deserialize, ToSchema)]
pub struct PatchWebhook {
    #[schema(
        pattern = r"^[\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[Hh][Tt][Tt][Pp][Ss]?://([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?(:[1-9][0-9]{0,3})?(/[!-~]*)?[\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    url: Option<String>,
    #[schema(max_length = 1000)]
    description: Option<String>,
    disabled: Option<bool>,
    #[schema(value_type = Option<Vec<EventTypeName>>, max_items = 100)]
    filter_types: Option<Vec<String>>,
    #[schema(value_type = Option<WebhookMetadataSchema>)]
    metadata: Option<BTreeMap<String, String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(minimum = 0, maximum = 4294967295_i64)]
    rate_limit: Option<Option<i64>>,
}

/// Headers to add or replace.
#[derive(Deserialize, ToSchema)]
pub struct HeadersIn {
    #[schema(value_type = HeadersSchema)]
    headers: BTreeMap<String, String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Page size, 1 to 250 (default 50).
    #[param(minimum = 1, maximum = 250)]
    limit: Option<i64>,
    /// `iterator` or `prev_iterator` of an earlier page.
    #[param(pattern = r"^(-?whk_[0-9A-Za-z]{21})?$")]
    iterator: Option<String>,
}

/// The `{webhook_id}` of an endpoint route.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub(crate) struct WebhookPath {
    /// A webhook endpoint id (`whk_…`); any other string is a 404.
    webhook_id: String,
}

crate::openapi::named_schema! {
    /// An event type name, e.g. `payment.succeeded`.
    EventTypeName as "WebhookEventType" => crate::openapi::string_enum(
        kassa_core::webhook::EventType::ALL
            .iter()
            .map(|t| crate::vocabulary::event_name(*t).to_owned()),
    )
}

crate::openapi::named_schema! {
    /// Custom headers: at most 50, each name an RFC 9110 token of at most
    /// 256 characters, each value at most 4096 characters without line
    /// breaks or NUL.
    HeadersSchema as "WebhookHeaders" => bounded_map(
        limits::MAX_HEADERS,
        crate::openapi::string_schema(
            Some(1), Some(limits::MAX_HEADER_NAME), Some(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$"),
        ),
        crate::openapi::string_schema(
            None, Some(limits::MAX_HEADER_VALUE), Some(r"^[^\r\n\x00]*$"),
        ),
    )
}

crate::openapi::named_schema! {
    /// An endpoint's metadata: at most 50 keys of 1 to 40 characters, each
    /// value a string of at most 500.
    WebhookMetadataSchema as "WebhookMetadata" => bounded_map(
        kassa_core::metadata::MAX_KEYS,
        crate::openapi::string_schema(Some(1), Some(kassa_core::metadata::MAX_KEY_LEN), None),
        crate::openapi::string_schema(None, Some(kassa_core::metadata::MAX_VALUE_LEN), None),
    )
}

/// An object of at most `max` properties, names and values as given.
fn bounded_map(
    max: usize,
    names: utoipa::openapi::schema::Schema,
    values: utoipa::openapi::schema::Schema,
) -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::Object))
            .additional_properties(Some(values))
            .property_names(Some(names))
            .max_properties(Some(max))
            .build(),
    )
}

/// `WebhookDetails`.
#[derive(Serialize, ToSchema)]
pub(crate) struct WebhookOut {
    id: String,
    url: String,
    description: String,
    metadata: BTreeMap<String, String>,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    updated_at: String,
    disabled: bool,
    #[schema(value_type = Option<Vec<EventTypeName>>)]
    filter_types: Option<Vec<&'static str>>,
    rate_limit: Option<u32>,
}

pub(crate) fn details(e: &WebhookEndpoint) -> WebhookOut {
    let filter: Vec<&'static str> = e
        .filter_types
        .iter()
        .map(|t| crate::vocabulary::event_name(*t))
        .collect();
    WebhookOut {
        id: e.id.to_string(),
        url: e.url.as_str().to_owned(),
        description: e.description.clone(),
        metadata: e.metadata.clone(),
        created_at: ts(e.created_at),
        updated_at: ts(e.updated_at),
        disabled: e.disabled,
        filter_types: (!filter.is_empty()).then_some(filter),
        rate_limit: e.rate_limit,
    }
}

/// `{secret}`: the endpoint's signing secret.
#[derive(Serialize, ToSchema)]
pub(crate) struct SecretOut {
    /// `whsec_…`
    secret: String,
}

/// `{headers, sensitive}`: credential-like headers by name only.
#[derive(Serialize, ToSchema)]
pub(crate) struct HeadersOut<'a> {
    #[schema(value_type = BTreeMap<String, String>)]
    headers: BTreeMap<&'a str, &'a str>,
    #[schema(value_type = Vec<String>)]
    sensitive: Vec<&'a str>,
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
    raw.map(|names| event_types(&names)).transpose()
}

/// Event types by Dodo's names, each once.
fn event_types(names: &[String]) -> Result<Vec<kassa_core::webhook::EventType>, DomainError> {
    limits::filter_entries(names.len())?;
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let kind = crate::vocabulary::event_named(name).ok_or_else(|| {
            DomainError::invalid("filter_types", format!("`{name}` is not an event type"))
        })?;
        if !out.contains(&kind) {
            out.push(kind);
        }
    }
    Ok(out)
}

fn webhook_id(raw: &str) -> Result<WebhookEndpointId, ApiError> {
    path_id("webhook", raw, WebhookEndpointId::parse)
}

#[utoipa::path(post, path = "/webhooks", tag = "Dodo Payments", operation_id = "create_webhook",
    summary = "Create a webhook endpoint", security(("bearer" = [])),
    request_body = CreateWebhook,
    responses((status = 200, description = "The endpoint.", body = WebhookOut)))]
pub async fn create(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Body(body): Body<CreateWebhook>,
) -> Result<Json<WebhookOut>, ApiError> {
    let draft = EndpointDraft {
        dialect: Dialect::Dodo,
        url: EndpointUrl::parse(&body.url)?,
        description: body.description.unwrap_or_default(),
        metadata: body.metadata.unwrap_or_default(),
        filter_types: filter(body.filter_types)?.unwrap_or_default(),
        headers: CustomHeaders::parse(body.headers.unwrap_or_default(), SIGNED_HEADERS)?,
        rate_limit: rate_limit(body.rate_limit)?,
        disabled: body.disabled.unwrap_or(false),
    };
    let key = body.idempotency_key.as_deref().filter(|k| !k.is_empty());
    let endpoint = app.create_webhook(&scope, draft, key).await?;
    Ok(Json(details(&endpoint)))
}

#[utoipa::path(get, path = "/webhooks/{webhook_id}", tag = "Dodo Payments", operation_id = "get_webhook",
    summary = "Retrieve a webhook endpoint", security(("bearer" = [])), params(WebhookPath),
    responses((status = 200, description = "The endpoint.", body = WebhookOut)))]
pub async fn retrieve(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<Json<WebhookOut>, ApiError> {
    let endpoint = app.webhook(&scope, &webhook_id(&id)?).await?;
    Ok(Json(details(&endpoint)))
}

#[utoipa::path(patch, path = "/webhooks/{webhook_id}", tag = "Dodo Payments", operation_id = "patch_webhook",
    summary = "Update a webhook endpoint", security(("bearer" = [])), params(WebhookPath),
    request_body = PatchWebhook,
    responses((status = 200, description = "The endpoint as updated.", body = WebhookOut)))]
pub async fn update(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
    Body(body): Body<PatchWebhook>,
) -> Result<Json<WebhookOut>, ApiError> {
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

#[utoipa::path(delete, path = "/webhooks/{webhook_id}", tag = "Dodo Payments", operation_id = "delete_webhook",
    summary = "Delete a webhook endpoint", security(("bearer" = [])), params(WebhookPath),
    responses((status = 200, description = "Deleted; the body is empty.")))]
pub async fn delete(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    app.delete_webhook(&scope, &webhook_id(&id)?).await?;
    Ok(StatusCode::OK)
}

/// A cursor page of endpoints.
#[derive(Serialize, ToSchema)]
pub struct CursorPage {
    data: Vec<WebhookOut>,
    done: bool,
    iterator: Option<String>,
    prev_iterator: Option<String>,
}

/// A cursor page. `iterator` is the last id of a page; `prev_iterator`
/// is `-` and the first id, which lists the page before it.
#[utoipa::path(get, path = "/webhooks", tag = "Dodo Payments", operation_id = "list_webhooks",
    summary = "List webhook endpoints (cursor pages)", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, description = "A page of endpoints.", body = CursorPage)))]
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

#[utoipa::path(get, path = "/webhooks/{webhook_id}/secret", tag = "Dodo Payments", operation_id = "get_webhook_secret",
    summary = "Retrieve a webhook endpoint's signing secret", security(("bearer" = [])), params(WebhookPath),
    responses((status = 200, description = "The secret.", body = SecretOut)))]
pub async fn secret(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<Json<SecretOut>, ApiError> {
    let endpoint = app.webhook(&scope, &webhook_id(&id)?).await?;
    Ok(Json(SecretOut {
        secret: endpoint.secret.as_str().to_owned(),
    }))
}

/// `{headers, sensitive}`: values of credential-like headers are withheld.
#[utoipa::path(get, path = "/webhooks/{webhook_id}/headers", tag = "Dodo Payments", operation_id = "get_webhook_headers",
    summary = "Retrieve a webhook endpoint's custom headers", security(("bearer" = [])), params(WebhookPath),
    responses((status = 200, description = "The headers; credential-like ones by name only.", body = HeadersOut)))]
pub async fn headers(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse as _;
    let endpoint = app.webhook(&scope, &webhook_id(&id)?).await?;
    let (sensitive, plain): (Vec<_>, Vec<_>) = endpoint
        .headers
        .iter()
        .partition(|(name, _)| CustomHeaders::is_sensitive(name));
    let plain: BTreeMap<&str, &str> = plain.into_iter().collect();
    let sensitive: Vec<&str> = sensitive.into_iter().map(|(name, _)| name).collect();
    Ok(Json(HeadersOut {
        headers: plain,
        sensitive,
    })
    .into_response())
}

#[utoipa::path(patch, path = "/webhooks/{webhook_id}/headers", tag = "Dodo Payments", operation_id = "patch_webhook_headers",
    summary = "Add or replace a webhook endpoint's custom headers", security(("bearer" = [])), params(WebhookPath),
    request_body = HeadersIn,
    responses((status = 200, description = "Saved; the body is empty.")))]
pub async fn update_headers(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
    Body(body): Body<HeadersIn>,
) -> Result<StatusCode, ApiError> {
    let headers = CustomHeaders::parse(body.headers, SIGNED_HEADERS)?;
    app.merge_webhook_headers(&scope, &webhook_id(&id)?, headers)
        .await?;
    Ok(StatusCode::OK)
}
