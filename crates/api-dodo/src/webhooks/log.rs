//! Kassa's webhook extras under `/kassa/webhooks`: secret rotation, the
//! delivery log, resending one delivery, replaying failures, test-mode
//! event triggers, and the attempt feed `kassa webhooks tail` follows.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kassa_app::{App, AttemptEntry};
use kassa_core::id::EventId;
use kassa_core::webhook::{Attempt, DeliveryLog, DeliveryStatus, EventType};
use serde::Deserialize;
use serde_json::{Value, json};

use super::samples::sample_data;
use super::webhook_id;
use crate::ApiError;
use crate::extract::{Body, Caller, Query, path_id};
use crate::wire::{parse_ts, ts, ts_opt};

fn attempt_out(a: &Attempt) -> Value {
    json!({
        "attempt": a.number,
        "at": ts(a.at),
        "status_code": a.status_code,
        "latency_ms": a.latency_ms,
        "response": a.response,
        "succeeded": a.succeeded,
    })
}

fn delivery_out(d: &DeliveryLog) -> Value {
    json!({
        "event_id": d.key.event.as_str(),
        "endpoint_id": d.key.endpoint.as_str(),
        "event_type": d.event_type.as_str(),
        "status": d.status.as_str(),
        "created_at": ts(d.created_at),
        "next_attempt_at": ts_opt(d.next_attempt_at),
        "attempts": d.attempts.iter().map(attempt_out).collect::<Vec<_>>(),
    })
}

fn entry_out(e: &AttemptEntry) -> Value {
    let mut out = attempt_out(&e.attempt);
    let map = out.as_object_mut().expect("an object");
    map.insert("seq".into(), json!(e.seq));
    map.insert("endpoint_id".into(), json!(e.endpoint.as_str()));
    map.insert("event_id".into(), json!(e.event.as_str()));
    map.insert("event_type".into(), json!(e.event_type.as_str()));
    out
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

pub(crate) async fn rotate_secret(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let endpoint = app.rotate_webhook_secret(&scope, &webhook_id(&id)?).await?;
    let until = endpoint
        .previous_secret
        .as_ref()
        .map(|(_, until)| ts(*until));
    Ok(Json(json!({
        "secret": endpoint.secret.as_str(),
        "previous_secret_valid_until": until,
    })))
}

#[derive(Deserialize)]
pub(crate) struct DeliveriesQuery {
    status: Option<String>,
    limit: Option<i64>,
}

pub(crate) async fn deliveries(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
    Query(q): Query<DeliveriesQuery>,
) -> Result<Json<Value>, ApiError> {
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
    Ok(Json(
        json!({ "items": log.iter().map(delivery_out).collect::<Vec<_>>() }),
    ))
}

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReplayIn {
    since: String,
}

pub(crate) async fn replay(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
    Body(body): Body<ReplayIn>,
) -> Result<Json<Value>, ApiError> {
    let since = parse_ts("since", &body.since)?;
    let n = app
        .replay_failed_deliveries(&scope, &webhook_id(&id)?, since)
        .await?;
    Ok(Json(json!({ "replayed": n })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TriggerIn {
    event_type: String,
}

pub(crate) async fn trigger(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
    Body(body): Body<TriggerIn>,
) -> Result<Json<Value>, ApiError> {
    let kind = EventType::parse(&body.event_type).map_err(|_| ApiError::InvalidBody {
        field: "event_type".into(),
        reason: format!("`{}` is not an event type", body.event_type),
    })?;
    let brand = app.primary_brand_id(&scope).await?;
    let sample = sample_data(kind, scope.business.as_str(), brand.as_str(), app.now());
    let event = app
        .trigger_webhook_event(&scope, &webhook_id(&id)?, kind, sample.to_string())
        .await?;
    Ok(Json(
        json!({ "event_id": event.id.as_str(), "type": kind.as_str() }),
    ))
}

#[derive(Deserialize)]
pub(crate) struct AttemptsQuery {
    after: Option<i64>,
    limit: Option<i64>,
}

/// Attempts across the business's endpoints after the `after` cursor,
/// oldest first; `cursor` is where the next call continues.
pub(crate) async fn attempts(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Query(q): Query<AttemptsQuery>,
) -> Result<Json<Value>, ApiError> {
    let after = q.after.unwrap_or(0);
    let found = app
        .webhook_attempts_after(&scope, after, limit(q.limit)?)
        .await?;
    let cursor = found.last().map_or(after, |e| e.seq);
    Ok(Json(json!({
        "items": found.iter().map(entry_out).collect::<Vec<_>>(),
        "cursor": cursor,
    })))
}
