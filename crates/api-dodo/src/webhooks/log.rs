//! Kassa's webhook extras under `/kassa/webhooks`: secret rotation, the
//! delivery log, resending one delivery, replaying failures, test-mode
//! event triggers, and the attempt feed `kassa webhooks tail` follows.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kassa_app::{App, AttemptEntry};
use kassa_core::id::EventId;
use kassa_core::webhook::{Attempt, DeliveryLog, DeliveryStatus};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::samples::sample_data;
use super::{EventTypeName, WebhookPath, webhook_id};
use crate::ApiError;
use crate::extract::{Body, Caller, Query, path_id};
use crate::wire::{parse_ts, ts, ts_opt};

/// One attempt to deliver an event to an endpoint.
#[derive(Serialize, ToSchema)]
pub(crate) struct AttemptOut {
    /// 1 for the first attempt.
    attempt: u32,
    #[schema(format = DateTime)]
    at: String,
    /// The receiver's status; null when no response came.
    status_code: Option<u16>,
    latency_ms: u32,
    /// The start of the response body, or why no response came.
    response: String,
    succeeded: bool,
}

/// One event's delivery to one endpoint, with its attempts.
#[derive(Serialize, ToSchema)]
pub(crate) struct DeliveryOut {
    event_id: String,
    endpoint_id: String,
    #[schema(value_type = EventTypeName)]
    event_type: &'static str,
    #[schema(value_type = DeliveryStatusSchema)]
    status: &'static str,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    next_attempt_at: Option<String>,
    attempts: Vec<AttemptOut>,
}

/// An attempt in the feed `kassa webhooks tail` follows.
#[derive(Serialize, ToSchema)]
pub(crate) struct AttemptEntryOut {
    #[serde(flatten)]
    attempt: AttemptOut,
    /// The feed's cursor: pass the last one as `after`.
    seq: i64,
    endpoint_id: String,
    event_id: String,
    #[schema(value_type = EventTypeName)]
    event_type: &'static str,
}

crate::openapi::mirror! {
    /// Where a delivery stands.
    DeliveryStatusSchema as DeliveryStatus for DeliveryStatus {
        Pending = "pending",
        Succeeded = "succeeded",
        Failed = "failed",
    }
}

/// `{items}`.
#[derive(Serialize, ToSchema)]
pub(crate) struct DeliveriesOut {
    items: Vec<DeliveryOut>,
}

/// `{items, cursor}`.
#[derive(Serialize, ToSchema)]
pub(crate) struct AttemptsOut {
    items: Vec<AttemptEntryOut>,
    /// Where the next call continues (`after`).
    cursor: i64,
}

/// The new secret, and until when the old one still signs.
#[derive(Serialize, ToSchema)]
pub(crate) struct RotatedOut {
    secret: String,
    #[schema(format = DateTime)]
    previous_secret_valid_until: Option<String>,
}

/// `{replayed}`: how many deliveries were made pending again.
#[derive(Serialize, ToSchema)]
pub(crate) struct ReplayedOut {
    replayed: u64,
}

/// The sample event queued for the endpoint.
#[derive(Serialize, ToSchema)]
pub(crate) struct TriggeredOut {
    event_id: String,
    #[serde(rename = "type")]
    #[schema(value_type = EventTypeName)]
    kind: &'static str,
}

fn attempt_out(a: &Attempt) -> AttemptOut {
    AttemptOut {
        attempt: a.number,
        at: ts(a.at),
        status_code: a.status_code,
        latency_ms: a.latency_ms,
        response: a.response.clone(),
        succeeded: a.succeeded,
    }
}

fn delivery_out(d: &DeliveryLog) -> DeliveryOut {
    DeliveryOut {
        event_id: d.key.event.to_string(),
        endpoint_id: d.key.endpoint.to_string(),
        event_type: crate::vocabulary::event_name(d.event_type),
        status: d.status.as_str(),
        created_at: ts(d.created_at),
        next_attempt_at: ts_opt(d.next_attempt_at),
        attempts: d.attempts.iter().map(attempt_out).collect(),
    }
}

fn entry_out(e: &AttemptEntry) -> AttemptEntryOut {
    AttemptEntryOut {
        attempt: attempt_out(&e.attempt),
        seq: e.seq,
        endpoint_id: e.endpoint.to_string(),
        event_id: e.event.to_string(),
        event_type: crate::vocabulary::event_name(e.event_type),
    }
}

fn limit(raw: Option<i64>) -> Result<usize, ApiError> {
    match raw {
        None => Ok(50),
        Some(n) if (1..=500).contains(&n) => Ok(n as usize),
        Some(n) => Err(ApiError::InvalidQuery(format!(
            "limit: {n} is not between 1 and 500"
        ))),
    }
}

#[utoipa::path(post, path = "/kassa/webhooks/{webhook_id}/secret/rotate", tag = "Kassa", operation_id = "kassa_rotate_webhook_secret",
    summary = "Rotate the signing secret (the old one signs too for 24 h)", security(("bearer" = [])), params(WebhookPath),
    responses((status = 200, description = "The new secret.", body = RotatedOut)))]
pub(crate) async fn rotate_secret(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<Json<RotatedOut>, ApiError> {
    let endpoint = app.rotate_webhook_secret(&scope, &webhook_id(&id)?).await?;
    let until = endpoint
        .previous_secret
        .as_ref()
        .map(|(_, until)| ts(*until));
    Ok(Json(RotatedOut {
        secret: endpoint.secret.as_str().to_owned(),
        previous_secret_valid_until: until,
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct DeliveriesQuery {
    /// Only deliveries in this state.
    #[param(value_type = Option<DeliveryStatusSchema>)]
    status: Option<String>,
    /// At most this many, 1 to 500 (default 50), newest first.
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
}

#[utoipa::path(get, path = "/kassa/webhooks/{webhook_id}/deliveries", tag = "Kassa", operation_id = "kassa_list_webhook_deliveries",
    summary = "The endpoint's delivery log", security(("bearer" = [])), params(WebhookPath, DeliveriesQuery),
    responses((status = 200, description = "Deliveries with their attempts.", body = DeliveriesOut)))]
pub(crate) async fn deliveries(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
    Query(q): Query<DeliveriesQuery>,
) -> Result<Json<DeliveriesOut>, ApiError> {
    let status = match q.status.as_deref() {
        None => None,
        Some(raw) => Some(DeliveryStatus::parse(raw).ok_or_else(|| {
            ApiError::InvalidQuery(format!(
                "status: `{raw}` is not one of pending, succeeded, failed"
            ))
        })?),
    };
    let log = app
        .webhook_deliveries(&scope, &webhook_id(&id)?, status, limit(q.limit)?)
        .await?;
    Ok(Json(DeliveriesOut {
        items: log.iter().map(delivery_out).collect(),
    }))
}

/// The `{webhook_id}` and `{event_id}` of one delivery.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
struct DeliveryPath {
    /// A webhook endpoint id (`whk_…`).
    webhook_id: String,
    /// An event id (`evt_…`).
    event_id: String,
}

#[utoipa::path(post, path = "/kassa/webhooks/{webhook_id}/deliveries/{event_id}/resend", tag = "Kassa", operation_id = "kassa_resend_webhook_delivery",
    summary = "Send one delivery again now", security(("bearer" = [])), params(DeliveryPath),
    responses((status = 202, description = "Queued for an attempt now.")))]
pub(crate) async fn resend(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path((id, event)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let event = path_id("delivery", &event, EventId::parse)?;
    app.resend_delivery(&scope, &webhook_id(&id)?, &event)
        .await?;
    Ok(StatusCode::ACCEPTED)
}

/// Which failed deliveries to send again.
#[derive(Deserialize, ToSchema)]
pub(crate) struct ReplayIn {
    /// Every delivery that failed at or after this RFC 3339 instant.
    #[schema(value_type = crate::openapi::Rfc3339)]
    since: String,
}

#[utoipa::path(post, path = "/kassa/webhooks/{webhook_id}/replay", tag = "Kassa", operation_id = "kassa_replay_webhook_deliveries",
    summary = "Send every failed delivery since a time again", security(("bearer" = [])), params(WebhookPath),
    request_body = ReplayIn,
    responses((status = 200, description = "How many were queued.", body = ReplayedOut)))]
pub(crate) async fn replay(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
    Body(body): Body<ReplayIn>,
) -> Result<Json<ReplayedOut>, ApiError> {
    let since = parse_ts("since", &body.since)?;
    let n = app
        .replay_failed_deliveries(&scope, &webhook_id(&id)?, since)
        .await?;
    Ok(Json(ReplayedOut { replayed: n }))
}

/// The sample event to send.
#[derive(Deserialize, ToSchema)]
pub(crate) struct TriggerIn {
    #[schema(value_type = EventTypeName)]
    event_type: String,
}

#[utoipa::path(post, path = "/kassa/webhooks/{webhook_id}/trigger", tag = "Kassa", operation_id = "kassa_trigger_webhook_event",
    summary = "Send a sample event to this endpoint (test mode)", security(("bearer" = [])), params(WebhookPath),
    request_body = TriggerIn,
    responses((status = 200, description = "The queued event.", body = TriggeredOut), (status = 403, description = "A live-mode key: samples are for test mode.", body = crate::openapi::ErrorSchema)))]
pub(crate) async fn trigger(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
    Body(body): Body<TriggerIn>,
) -> Result<Json<TriggeredOut>, ApiError> {
    let kind =
        crate::vocabulary::event_named(&body.event_type).ok_or_else(|| ApiError::InvalidBody {
            field: "event_type".into(),
            reason: format!("`{}` is not an event type", body.event_type),
        })?;
    let brand = app.primary_brand_id(&scope).await?;
    let sample = sample_data(
        kind,
        scope.business.as_str(),
        brand.as_str(),
        app.now_in(&scope).await?,
    );
    let event = app
        .trigger_webhook_event(&scope, &webhook_id(&id)?, kind, sample.to_string())
        .await?;
    Ok(Json(TriggeredOut {
        event_id: event.id.to_string(),
        kind: crate::vocabulary::event_name(kind),
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct AttemptsQuery {
    /// The `cursor` of an earlier call (default 0: from the start).
    after: Option<i64>,
    /// At most this many, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
}

/// Attempts across the business's endpoints after the `after` cursor,
/// oldest first; `cursor` is where the next call continues.
#[utoipa::path(get, path = "/kassa/webhook-attempts", tag = "Kassa", operation_id = "kassa_list_webhook_attempts",
    summary = "Delivery attempts after a cursor, for tailing", security(("bearer" = [])), params(AttemptsQuery),
    responses((status = 200, description = "Attempts, oldest first.", body = AttemptsOut)))]
pub(crate) async fn attempts(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Query(q): Query<AttemptsQuery>,
) -> Result<Json<AttemptsOut>, ApiError> {
    let after = q.after.unwrap_or(0);
    let found = app
        .webhook_attempts_after(&scope, after, limit(q.limit)?)
        .await?;
    let cursor = found.last().map_or(after, |e| e.seq);
    Ok(Json(AttemptsOut {
        items: found.iter().map(entry_out).collect(),
        cursor,
    }))
}
