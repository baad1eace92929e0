//! The event outbox: events are written together with one pending
//! delivery job (kind `deliver`: subject the endpoint, key
//! `event:endpoint`) per endpoint that wants them, inside the transaction
//! of the change that raised them.

use kassa_core::id::{JobId, WebhookEndpointId};
use kassa_core::tenancy::Scope;
use kassa_core::webhook::Event;
use kassa_store::StoreResult;
use sqlx::{AssertSqlSafe, PgConnection};

use crate::jobs::new_ids;
use crate::{backend, micros};

/// Writes the events and one pending delivery per enabled endpoint of the
/// scope that wants each (its filter is empty or names the type), or with
/// `only` to that one endpoint whatever its filter: called inside the
/// transaction of the change that raised them.
pub(crate) async fn enqueue_to(
    tx: &mut PgConnection,
    scope: &Scope,
    events: &[Event],
    only: Option<&WebhookEndpointId>,
) -> StoreResult<()> {
    for event in events {
        sqlx::query(
            "INSERT INTO events (id, business_id, mode, type, object, occurred_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(event.id.as_str())
        .bind(scope.business.as_str())
        .bind(scope.mode.as_str())
        .bind(event.kind.key())
        .bind(serde_json::to_string(&event.object).expect("event objects serialise"))
        .bind(micros(event.occurred_at))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO jobs (id, business_id, mode, kind, key, subject, event_id, payload,
                               run_at, status, created_at, updated_at)
             SELECT {ids}, e.business_id, e.mode, 'deliver', $1 || ':' || e.id, e.id, $1,
                    '{{}}', $4, 'pending', $4, $4
             FROM webhook_endpoints e
             WHERE e.business_id = $2 AND e.mode = $3 AND NOT e.disabled
               AND CASE WHEN $6::text IS NULL
                   THEN cardinality(e.filter_types) = 0 OR $5 = ANY (e.filter_types)
                   ELSE e.id = $6 END",
            ids = new_ids("$7")
        )))
        .bind(event.id.as_str())
        .bind(scope.business.as_str())
        .bind(scope.mode.as_str())
        .bind(micros(event.occurred_at))
        .bind(event.kind.key())
        .bind(only.map(|id| id.as_str()))
        .bind(JobId::generate().as_str())
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
    }
    Ok(())
}
