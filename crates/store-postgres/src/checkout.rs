//! Checkout sessions and idempotency keys.

use async_trait::async_trait;
use kassa_core::checkout::CheckoutSession;
use kassa_core::id::CheckoutSessionId;
use kassa_core::tenancy::Scope;
use kassa_store::{CheckoutStore, Claim, IdempotencyStore, StoreResult, StoredResponse};
use sqlx::Row;
use time::OffsetDateTime;

use crate::{PgStore, backend, conflict, find_anywhere, get_one, micros, one_row, to_json};

#[async_trait]
impl CheckoutStore for PgStore {
    async fn insert_session(&self, scope: &Scope, s: &CheckoutSession) -> StoreResult<()> {
        insert_session_row(&self.pool, scope, s).await
    }

    async fn get_session(
        &self,
        scope: &Scope,
        id: &CheckoutSessionId,
    ) -> StoreResult<Option<CheckoutSession>> {
        get_one(&self.pool, "checkout_sessions", scope, id.as_str(), "").await
    }

    async fn find_session(
        &self,
        id: &CheckoutSessionId,
    ) -> StoreResult<Option<(Scope, CheckoutSession)>> {
        find_anywhere(
            &self.pool,
            "checkout_sessions",
            id.as_str(),
            |s: &CheckoutSession| s.business.clone(),
        )
        .await
    }

    async fn update_session(&self, scope: &Scope, s: &CheckoutSession) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE checkout_sessions SET body = $1 WHERE business_id = $2 AND mode = $3 AND id = $4",
        )
        .bind(to_json(s)?)
        .bind(scope.business.as_str())
        .bind(scope.mode.as_str())
        .bind(s.id.as_str())
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        one_row(done.rows_affected())
    }
}

#[async_trait]
impl IdempotencyStore for PgStore {
    async fn claim_key(
        &self,
        scope: &Scope,
        key: &str,
        fingerprint: &str,
        now: OffsetDateTime,
        expired_before: OffsetDateTime,
    ) -> StoreResult<Claim> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        sqlx::query(
            "DELETE FROM idempotency_keys
             WHERE business_id = $1 AND mode = $2 AND key = $3 AND created_at < $4",
        )
        .bind(scope.business.as_str())
        .bind(scope.mode.as_str())
        .bind(key)
        .bind(micros(expired_before))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        // ON CONFLICT: of racing claims exactly one inserts; the others see its row.
        let inserted = sqlx::query(
            "INSERT INTO idempotency_keys (business_id, mode, key, fingerprint, created_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(scope.business.as_str())
        .bind(scope.mode.as_str())
        .bind(key)
        .bind(fingerprint)
        .bind(micros(now))
        .execute(&mut *tx)
        .await
        .map_err(backend)?
        .rows_affected();
        let claim = if inserted == 1 {
            Claim::Fresh
        } else {
            let row = sqlx::query(
                "SELECT fingerprint, status, response FROM idempotency_keys
                 WHERE business_id = $1 AND mode = $2 AND key = $3",
            )
            .bind(scope.business.as_str())
            .bind(scope.mode.as_str())
            .bind(key)
            .fetch_one(&mut *tx)
            .await
            .map_err(backend)?;
            let stored: String = row.try_get(0).map_err(backend)?;
            let status: Option<i32> = row.try_get(1).map_err(backend)?;
            let body: Option<Vec<u8>> = row.try_get(2).map_err(backend)?;
            match (stored == fingerprint, status, body) {
                (false, _, _) => Claim::Mismatch,
                (true, Some(status), Some(body)) => Claim::Replay(StoredResponse {
                    status: status as u16,
                    body,
                }),
                (true, _, _) => Claim::InFlight,
            }
        };
        tx.commit().await.map_err(backend)?;
        Ok(claim)
    }

    async fn finish_key(
        &self,
        scope: &Scope,
        key: &str,
        response: &StoredResponse,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE idempotency_keys SET status = $1, response = $2
             WHERE business_id = $3 AND mode = $4 AND key = $5",
        )
        .bind(i32::from(response.status))
        .bind(&response.body)
        .bind(scope.business.as_str())
        .bind(scope.mode.as_str())
        .bind(key)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        one_row(done.rows_affected())
    }

    async fn release_key(&self, scope: &Scope, key: &str) -> StoreResult<()> {
        sqlx::query(
            "DELETE FROM idempotency_keys WHERE business_id = $1 AND mode = $2 AND key = $3",
        )
        .bind(scope.business.as_str())
        .bind(scope.mode.as_str())
        .bind(key)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }
}

/// A session row; also written inside a payment's transaction.
pub(crate) async fn insert_session_row<'c>(
    db: impl sqlx::PgExecutor<'c>,
    scope: &Scope,
    s: &CheckoutSession,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO checkout_sessions (id, business_id, mode, created_at, body)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(s.id.as_str())
    .bind(scope.business.as_str())
    .bind(scope.mode.as_str())
    .bind(micros(s.created_at))
    .bind(to_json(s)?)
    .execute(db)
    .await
    .map_err(|e| conflict(e, "checkout session"))?;
    Ok(())
}
