//! Idempotency keys: a claim is one transaction whose insert races on the
//! key's primary key, so two requests with one key can never both run.

use async_trait::async_trait;
use kassa_core::tenancy::Scope;
use kassa_store::{Claim, IdempotencyStore, StoreResult, StoredResponse};
use sqlx::Row;
use time::OffsetDateTime;

use crate::{PgStore, backend, micros, one_row};

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
