//! The event outbox: events are written together with one pending
//! delivery job (kind `deliver`) per endpoint that wants them, inside the
//! transaction of the change that raised them.

use kassa_core::id::{JobId, WebhookEndpointId};
use kassa_core::tenancy::Scope;
use kassa_core::webhook::Event;
use kassa_store::StoreResult;
use rusqlite::{Connection, params};

use crate::{backend, micros};

/// Writes the events and one pending delivery per enabled endpoint of the
/// scope that wants each, or with `only` to that one endpoint whatever its
/// filter: called inside the transaction of the change.
pub(crate) fn enqueue_to(
    c: &Connection,
    scope: &Scope,
    events: &[Event],
    only: Option<&WebhookEndpointId>,
) -> StoreResult<()> {
    for event in events {
        c.prepare_cached(
            "INSERT INTO events (id, business_id, mode, type, object, occurred_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .and_then(|mut s| {
            s.execute(params![
                event.id.as_str(),
                scope.business.as_str(),
                scope.mode.as_str(),
                event.kind.key(),
                serde_json::to_string(&event.object).expect("event objects serialise"),
                micros(event.occurred_at)
            ])
        })
        .map_err(backend)?;
        c.prepare_cached(
            "INSERT INTO jobs (id, business_id, mode, kind, key, subject, event_id, payload,
                               run_at, status, created_at, updated_at)
             SELECT ?7 || lower(hex(randomblob(4))), e.business_id, e.mode, 'deliver',
                    ?1 || ':' || e.id, e.id, ?1, '{}', ?4, 'pending', ?4, ?4
             FROM webhook_endpoints e
             WHERE e.business_id = ?2 AND e.mode = ?3 AND e.disabled = 0
               AND CASE WHEN ?6 IS NULL
                   THEN e.filter_types = '' OR instr(e.filter_types, ' ' || ?5 || ' ') > 0
                   ELSE e.id = ?6 END",
        )
        .and_then(|mut s| {
            s.execute(params![
                event.id.as_str(),
                scope.business.as_str(),
                scope.mode.as_str(),
                micros(event.occurred_at),
                event.kind.key(),
                only.map(|id| id.as_str()),
                // One time-ordered head for the statement's rows, told
                // apart by a random tail.
                JobId::generate().as_str()
            ])
        })
        .map_err(backend)?;
    }
    Ok(())
}
