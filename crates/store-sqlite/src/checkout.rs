//! Checkout sessions and idempotency keys.

use async_trait::async_trait;
use kassa_core::checkout::CheckoutSession;
use kassa_core::id::CheckoutSessionId;
use kassa_core::tenancy::Scope;
use kassa_store::{CheckoutStore, Claim, IdempotencyStore, StoreResult, StoredResponse};
use rusqlite::{Connection, OptionalExtension, params};
use time::OffsetDateTime;

use crate::{SqliteStore, backend, find_anywhere, get_one, micros, one_row, to_json};

#[async_trait]
impl CheckoutStore for SqliteStore {
    async fn insert_session(&self, scope: &Scope, session: &CheckoutSession) -> StoreResult<()> {
        // Serialise here, not on the one writer thread every write waits for.
        let body = to_json(session)?;
        let (scope, id, created) = (
            scope.clone(),
            session.id.to_string(),
            micros(session.created_at),
        );
        self.writer
            .write_one(move |c| insert_session_row(c, &scope, &id, created, &body))
            .await
    }

    async fn get_session(
        &self,
        scope: &Scope,
        id: &CheckoutSessionId,
    ) -> StoreResult<Option<CheckoutSession>> {
        let (scope, id) = (scope.clone(), id.to_string());
        self.readers
            .read(move |c| get_one(c, "checkout_sessions", &scope, &id, ""))
            .await
    }

    async fn find_session(
        &self,
        id: &CheckoutSessionId,
    ) -> StoreResult<Option<(Scope, CheckoutSession)>> {
        let id = id.to_string();
        self.readers
            .read(move |c| {
                find_anywhere(c, "checkout_sessions", &id, |s: &CheckoutSession| {
                    s.business.clone()
                })
            })
            .await
    }

    async fn update_session(&self, scope: &Scope, session: &CheckoutSession) -> StoreResult<()> {
        let (scope, s) = (scope.clone(), session.clone());
        self.writer
            .write(move |c| {
                let changed = c
                    .execute(
                        "UPDATE checkout_sessions SET body = ?1
                         WHERE business_id = ?2 AND mode = ?3 AND id = ?4",
                        params![
                            to_json(&s)?,
                            scope.business.as_str(),
                            scope.mode.as_str(),
                            s.id.as_str()
                        ],
                    )
                    .map_err(backend)?;
                one_row(changed)
            })
            .await
    }
}

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

/// A session row (its JSON made by the caller, off the writer thread); also
/// written inside a payment's transaction.
pub(crate) fn insert_session_row(
    c: &Connection,
    scope: &Scope,
    id: &str,
    created_at: i64,
    body: &str,
) -> StoreResult<()> {
    c.prepare_cached(
        "INSERT INTO checkout_sessions (id, business_id, mode, created_at, body)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            id,
            scope.business.as_str(),
            scope.mode.as_str(),
            created_at,
            body
        ])
    })
    .map_err(|e| crate::conflict(e, "checkout session"))?;
    Ok(())
}
