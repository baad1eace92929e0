//! Delivery leases, attempts and the delivery log: what the webhook worker
//! and the delivery API do with the rows the outbox wrote.

use kassa_core::id::{BusinessId, EventId, WebhookEndpointId};
use kassa_core::tenancy::{Mode, Scope};
use kassa_core::webhook::{
    Attempt, DeliveryKey, DeliveryLog, DeliveryStatus, Event, EventObject, EventType,
};
use kassa_store::{AfterAttempt, AttemptEntry, LeasedDelivery, StoreError, StoreResult};
use rusqlite::{Row, params};
use time::{Duration, OffsetDateTime};

use crate::{SqliteStore, backend, from_json, from_micros, micros, one_row};

fn corrupt(what: &str) -> StoreError {
    StoreError::Backend(format!("corrupt webhook row: {what}").into())
}

/// A delivery's job key, which the unique `(kind, key)` index finds.
fn job_key(key: &DeliveryKey) -> String {
    format!("{}:{}", key.event, key.endpoint)
}

fn read_event(row: &Row<'_>, at: usize) -> StoreResult<Event> {
    let get = |i: usize| row.get::<_, String>(at + i).map_err(backend);
    Ok(Event {
        id: EventId::parse(&get(0)?).map_err(|_| corrupt("event id"))?,
        kind: EventType::from_key(&get(1)?).ok_or_else(|| corrupt("event type"))?,
        object: from_json::<EventObject>(&get(2)?)?,
        occurred_at: from_micros(row.get(at + 3).map_err(backend)?)?,
    })
}

fn read_attempt(row: &Row<'_>, at: usize) -> StoreResult<Attempt> {
    let r = |e| backend(e);
    Ok(Attempt {
        number: row.get(at).map_err(r)?,
        at: from_micros(row.get(at + 1).map_err(r)?)?,
        status_code: row.get(at + 2).map_err(r)?,
        latency_ms: row.get(at + 3).map_err(r)?,
        response: row.get(at + 4).map_err(r)?,
        succeeded: row.get(at + 5).map_err(r)?,
    })
}

pub(super) async fn lease_deliveries(
    store: &SqliteStore,
    worker: &str,
    now: OffsetDateTime,
    lease_for: Duration,
    limit: usize,
) -> StoreResult<Vec<LeasedDelivery>> {
    let worker = worker.to_owned();
    store.writer
        .write(move |c| {
            let now_us = micros(now);
            let mut stmt = c
                .prepare_cached(
                    "UPDATE jobs SET lease_owner = ?1, lease_until = ?2
                     WHERE id IN (
                         SELECT d.id FROM jobs d
                         JOIN webhook_endpoints e ON e.id = d.subject AND e.disabled = 0
                         WHERE d.kind = 'deliver' AND d.status = 'pending' AND d.run_at <= ?5
                           AND d.run_at <= ?3 + CASE WHEN d.mode = 'test' THEN COALESCE(
                               (SELECT offset_us FROM test_clocks c
                                WHERE c.business_id = d.business_id), 0) ELSE 0 END
                           AND (d.lease_until IS NULL OR d.lease_until < ?3)
                         ORDER BY d.run_at LIMIT ?4)
                     RETURNING id, event_id, subject, attempts",
                )
                .map_err(backend)?;
            let leased = stmt
                .query_map(
                    params![
                        worker,
                        micros(now + lease_for),
                        now_us,
                        limit as i64,
                        crate::jobs::bound(c, now_us)?
                    ],
                    |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, u32>(3)?,
                        ))
                    },
                )
                .map_err(backend)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(backend)?;
            let mut out = Vec::with_capacity(leased.len());
            for (job, event_id, endpoint_id, attempts) in leased {
                let (business, mode, event, body) = c
                    .query_row(
                        "SELECT ev.business_id, ev.mode, ev.id, ev.type, ev.object, ev.occurred_at, e.body
                         FROM events ev, webhook_endpoints e WHERE ev.id = ?1 AND e.id = ?2",
                        params![event_id, endpoint_id],
                        |r| {
                            Ok((
                                r.get::<_, String>(0)?,
                                r.get::<_, String>(1)?,
                                read_event(r, 2),
                                r.get::<_, String>(6)?,
                            ))
                        },
                    )
                    .map_err(backend)?;
                out.push(LeasedDelivery {
                    scope: Scope {
                        business: BusinessId::parse(&business).map_err(|_| corrupt("business"))?,
                        mode: Mode::parse(&mode).ok_or_else(|| corrupt("mode"))?,
                    },
                    event: event?,
                    endpoint: from_json(&body)?,
                    attempt: attempts + 1,
                    job,
                });
            }
            Ok(out)
        })
        .await
}

pub(super) async fn finish_attempt(
    store: &SqliteStore,
    worker: &str,
    key: &DeliveryKey,
    attempt: &Attempt,
    after: AfterAttempt,
    disable_endpoint: bool,
) -> StoreResult<bool> {
    let (worker, key, attempt) = (worker.to_owned(), key.clone(), attempt.clone());
    store
        .writer
        .write(move |c| {
            let (status, next) = match after {
                AfterAttempt::Succeeded => (DeliveryStatus::Succeeded, None),
                AfterAttempt::RetryAt(at) => (DeliveryStatus::Pending, Some(micros(at))),
                AfterAttempt::Failed => (DeliveryStatus::Failed, None),
            };
            let changed = c
                .prepare_cached(
                    "UPDATE jobs
                     SET attempts = ?1, status = ?2, run_at = COALESCE(?3, run_at),
                         lease_owner = NULL, lease_until = NULL, updated_at = ?5
                     WHERE kind = 'deliver' AND key = ?4
                       AND lease_owner = ?6 AND attempts = ?1 - 1 AND status = 'pending'",
                )
                .and_then(|mut s| {
                    s.execute(params![
                        attempt.number,
                        status.as_str(),
                        next,
                        job_key(&key),
                        micros(attempt.at),
                        worker
                    ])
                })
                .map_err(backend)?;
            if changed != 1 {
                return Ok(false);
            }
            c.prepare_cached(
                "INSERT INTO webhook_attempts
                     (event_id, endpoint_id, business_id, mode, number, at, status_code,
                      latency_ms, response, succeeded)
                 SELECT event_id, subject, business_id, mode, ?2, ?3, ?4, ?5, ?6, ?7
                 FROM jobs WHERE kind = 'deliver' AND key = ?1",
            )
            .and_then(|mut s| {
                s.execute(params![
                    job_key(&key),
                    attempt.number,
                    micros(attempt.at),
                    attempt.status_code,
                    attempt.latency_ms,
                    attempt.response,
                    attempt.succeeded
                ])
            })
            .map_err(backend)?;
            if disable_endpoint {
                c.execute(
                    "UPDATE webhook_endpoints SET disabled = 1, version = version + 1,
                         body = json_set(body, '$.disabled', json('true'))
                     WHERE id = ?1",
                    [key.endpoint.as_str()],
                )
                .map_err(backend)?;
            }
            Ok(true)
        })
        .await
}

pub(super) async fn defer_delivery(
    store: &SqliteStore,
    worker: &str,
    key: &DeliveryKey,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let (worker, key) = (worker.to_owned(), key.clone());
    store
        .writer
        .write(move |c| {
            c.execute(
                "UPDATE jobs
                 SET run_at = ?1, lease_owner = NULL, lease_until = NULL
                 WHERE kind = 'deliver' AND key = ?2 AND lease_owner = ?3 AND status = 'pending'",
                params![micros(at), job_key(&key), worker],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
}

pub(super) async fn list_deliveries(
    store: &SqliteStore,
    scope: &Scope,
    endpoint: &WebhookEndpointId,
    status: Option<DeliveryStatus>,
    limit: usize,
) -> StoreResult<Vec<DeliveryLog>> {
    let (scope, endpoint) = (scope.clone(), endpoint.to_string());
    store
        .readers
        .read(move |c| {
            let mut stmt = c
                .prepare_cached(
                    "SELECT d.event_id, ev.type, d.status, d.created_at, d.run_at
                     FROM jobs d JOIN events ev ON ev.id = d.event_id
                     WHERE d.business_id = ?1 AND d.mode = ?2 AND d.kind = 'deliver'
                       AND d.subject = ?3 AND d.status <> 'cancelled'
                       AND (?4 IS NULL OR d.status = ?4)
                     ORDER BY d.created_at DESC, d.event_id DESC LIMIT ?5",
                )
                .map_err(backend)?;
            let rows = stmt
                .query_map(
                    params![
                        scope.business.as_str(),
                        scope.mode.as_str(),
                        endpoint,
                        status.map(DeliveryStatus::as_str),
                        limit as i64
                    ],
                    |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, i64>(3)?,
                            r.get::<_, Option<i64>>(4)?,
                        ))
                    },
                )
                .map_err(backend)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(backend)?;
            let endpoint_id =
                WebhookEndpointId::parse(&endpoint).map_err(|_| corrupt("endpoint id"))?;
            let mut out = Vec::with_capacity(rows.len());
            for (event, kind, status, created, next) in rows {
                let status = DeliveryStatus::parse(&status).ok_or_else(|| corrupt("status"))?;
                let mut attempts_stmt = c
                    .prepare_cached(
                        "SELECT number, at, status_code, latency_ms, response, succeeded
                         FROM webhook_attempts WHERE event_id = ?1 AND endpoint_id = ?2
                         ORDER BY number",
                    )
                    .map_err(backend)?;
                let mut attempts = Vec::new();
                let mut arows = attempts_stmt
                    .query(params![event, endpoint])
                    .map_err(backend)?;
                while let Some(row) = arows.next().map_err(backend)? {
                    attempts.push(read_attempt(row, 0)?);
                }
                out.push(DeliveryLog {
                    key: DeliveryKey {
                        event: EventId::parse(&event).map_err(|_| corrupt("event id"))?,
                        endpoint: endpoint_id.clone(),
                    },
                    event_type: EventType::from_key(&kind).ok_or_else(|| corrupt("type"))?,
                    status,
                    created_at: from_micros(created)?,
                    next_attempt_at: match (status, next) {
                        (DeliveryStatus::Pending, Some(n)) => Some(from_micros(n)?),
                        _ => None,
                    },
                    attempts,
                });
            }
            Ok(out)
        })
        .await
}

pub(super) async fn resend_delivery(
    store: &SqliteStore,
    scope: &Scope,
    key: &DeliveryKey,
    now: OffsetDateTime,
) -> StoreResult<()> {
    let (scope, key) = (scope.clone(), key.clone());
    store
        .writer
        .write(move |c| {
            let changed = c
                .execute(
                    "UPDATE jobs SET status = 'pending', run_at = ?1
                     WHERE business_id = ?2 AND mode = ?3 AND kind = 'deliver' AND key = ?4",
                    params![
                        micros(now),
                        scope.business.as_str(),
                        scope.mode.as_str(),
                        job_key(&key)
                    ],
                )
                .map_err(backend)?;
            one_row(changed)
        })
        .await
}

pub(super) async fn replay_failed(
    store: &SqliteStore,
    scope: &Scope,
    endpoint: &WebhookEndpointId,
    since: OffsetDateTime,
    now: OffsetDateTime,
) -> StoreResult<u64> {
    let (scope, endpoint) = (scope.clone(), endpoint.to_string());
    store
        .writer
        .write(move |c| {
            let changed = c
                .execute(
                    "UPDATE jobs SET status = 'pending', run_at = ?1
                     WHERE business_id = ?2 AND mode = ?3 AND kind = 'deliver' AND subject = ?4
                       AND status = 'failed' AND created_at >= ?5",
                    params![
                        micros(now),
                        scope.business.as_str(),
                        scope.mode.as_str(),
                        endpoint,
                        micros(since)
                    ],
                )
                .map_err(backend)?;
            Ok(changed as u64)
        })
        .await
}

pub(super) async fn attempts_after(
    store: &SqliteStore,
    scope: &Scope,
    after_seq: i64,
    limit: usize,
) -> StoreResult<Vec<AttemptEntry>> {
    let scope = scope.clone();
    store
        .readers
        .read(move |c| {
            let mut stmt = c
                .prepare_cached(
                    "SELECT a.seq, a.endpoint_id, a.event_id, ev.type,
                            a.number, a.at, a.status_code, a.latency_ms, a.response, a.succeeded
                     FROM webhook_attempts a JOIN events ev ON ev.id = a.event_id
                     WHERE a.business_id = ?1 AND a.mode = ?2 AND a.seq > ?3
                     ORDER BY a.seq LIMIT ?4",
                )
                .map_err(backend)?;
            let mut rows = stmt
                .query(params![
                    scope.business.as_str(),
                    scope.mode.as_str(),
                    after_seq,
                    limit as i64
                ])
                .map_err(backend)?;
            let mut out = Vec::new();
            while let Some(r) = rows.next().map_err(backend)? {
                let text = |i: usize| r.get::<_, String>(i).map_err(backend);
                out.push(AttemptEntry {
                    seq: r.get(0).map_err(backend)?,
                    endpoint: WebhookEndpointId::parse(&text(1)?)
                        .map_err(|_| corrupt("endpoint id"))?,
                    event: EventId::parse(&text(2)?).map_err(|_| corrupt("event id"))?,
                    event_type: EventType::from_key(&text(3)?).ok_or_else(|| corrupt("type"))?,
                    attempt: read_attempt(r, 4)?,
                });
            }
            Ok(out)
        })
        .await
}
