//! Idempotency keys: claimed, finished or released in the writer, so two
//! requests with one key can never both run.

use async_trait::async_trait;
use kassa_core::tenancy::Scope;
use kassa_store::{Claim, IdempotencyStore, StoreResult, StoredResponse};
use rusqlite::{OptionalExtension, params};
use time::OffsetDateTime;

use crate::{SqliteStore, backend, micros, one_row};

#[async_trait]
impl IdempotencyStore for SqliteStore {
    async fn claim_key(
        &self,
        scope: &Scope,
        key: &str,
        fingerprint: &str,
        now: OffsetDateTime,
        expired_before: OffsetDateTime,
    ) -> StoreResult<Claim> {
        let (scope, key, fingerprint) = (scope.clone(), key.to_owned(), fingerprint.to_owned());
        self.writer
            .write(move |c| {
                c.execute(
                    "DELETE FROM idempotency_keys
                     WHERE business_id = ?1 AND mode = ?2 AND key = ?3 AND created_at < ?4",
                    params![
                        scope.business.as_str(),
                        scope.mode.as_str(),
                        key,
                        micros(expired_before)
                    ],
                )
                .map_err(backend)?;
                let existing = c
                    .query_row(
                        "SELECT fingerprint, status, response FROM idempotency_keys
                         WHERE business_id = ?1 AND mode = ?2 AND key = ?3",
                        params![scope.business.as_str(), scope.mode.as_str(), key],
                        |r| {
                            Ok((
                                r.get::<_, String>(0)?,
                                r.get::<_, Option<i64>>(1)?,
                                r.get::<_, Option<Vec<u8>>>(2)?,
                            ))
                        },
                    )
                    .optional()
                    .map_err(backend)?;
                Ok(match existing {
                    Some((stored, _, _)) if stored != fingerprint => Claim::Mismatch,
                    Some((_, Some(status), Some(body))) => Claim::Replay(StoredResponse {
                        status: status as u16,
                        body,
                    }),
                    Some(_) => Claim::InFlight,
                    None => {
                        c.execute(
                            "INSERT INTO idempotency_keys (business_id, mode, key, fingerprint, created_at)
                             VALUES (?1, ?2, ?3, ?4, ?5)",
                            params![
                                scope.business.as_str(),
                                scope.mode.as_str(),
                                key,
                                fingerprint,
                                micros(now)
                            ],
                        )
                        .map_err(backend)?;
                        Claim::Fresh
                    }
                })
            })
            .await
    }

    async fn finish_key(
        &self,
        scope: &Scope,
        key: &str,
        response: &StoredResponse,
    ) -> StoreResult<()> {
        let (scope, key, response) = (scope.clone(), key.to_owned(), response.clone());
        self.writer
            .write(move |c| {
                let changed = c
                    .execute(
                        "UPDATE idempotency_keys SET status = ?1, response = ?2
                         WHERE business_id = ?3 AND mode = ?4 AND key = ?5",
                        params![
                            response.status,
                            response.body,
                            scope.business.as_str(),
                            scope.mode.as_str(),
                            key
                        ],
                    )
                    .map_err(backend)?;
                one_row(changed)
            })
            .await
    }

    async fn release_key(&self, scope: &Scope, key: &str) -> StoreResult<()> {
        let (scope, key) = (scope.clone(), key.to_owned());
        self.writer
            .write(move |c| {
                c.execute(
                    "DELETE FROM idempotency_keys WHERE business_id = ?1 AND mode = ?2 AND key = ?3",
                    params![scope.business.as_str(), scope.mode.as_str(), key],
                )
                .map_err(backend)?;
                Ok(())
            })
            .await
    }
}
