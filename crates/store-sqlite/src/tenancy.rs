//! Businesses and API keys.

use async_trait::async_trait;
use kassa_core::catalog::Brand;
use kassa_core::id::{ApiKeyId, BusinessId};
use kassa_core::tenancy::Scope;
use kassa_core::tenancy::{ApiKey, Business, Mode};
use kassa_store::{RowWrite, StoreError, StoreResult, TenantStore};
use rusqlite::{OptionalExtension, params};
use time::OffsetDateTime;

use crate::records::insert;
use crate::{SqliteStore, backend, from_json, from_micros, micros, to_json};

#[async_trait]
impl TenantStore for SqliteStore {
    async fn create_business(
        &self,
        business: &Business,
        primary_brands: &[(Mode, Brand)],
    ) -> StoreResult<()> {
        let business = business.clone();
        let brands = primary_brands
            .iter()
            .map(|(mode, brand)| Ok((*mode, RowWrite::of(brand).map_err(StoreError::backend)?)))
            .collect::<StoreResult<Vec<_>>>()?;
        self.writer
            .write(move |c| {
                c.execute(
                    "INSERT INTO businesses (id, created_at, body) VALUES (?1, ?2, ?3)",
                    params![
                        business.id.as_str(),
                        micros(business.created_at),
                        to_json(&business)?
                    ],
                )
                .map_err(backend)?;
                for (mode, brand) in &brands {
                    let scope = Scope {
                        business: business.id.clone(),
                        mode: *mode,
                    };
                    insert(c, &scope, brand)?;
                }
                Ok(())
            })
            .await
    }

    async fn list_businesses(&self) -> StoreResult<Vec<Business>> {
        self.readers
            .read(|c| {
                let mut stmt = c
                    .prepare_cached("SELECT body FROM businesses ORDER BY created_at, id")
                    .map_err(backend)?;
                let bodies = stmt
                    .query_map([], |r| r.get::<_, String>(0))
                    .map_err(backend)?
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(backend)?;
                bodies.iter().map(|b| from_json(b)).collect()
            })
            .await
    }

    async fn get_business(&self, id: &BusinessId) -> StoreResult<Option<Business>> {
        let id = id.to_string();
        self.readers
            .read(move |c| {
                let body: Option<String> = c
                    .prepare_cached("SELECT body FROM businesses WHERE id = ?1")
                    .and_then(|mut s| s.query_row([&id], |r| r.get(0)).optional())
                    .map_err(backend)?;
                body.map(|b| from_json(&b)).transpose()
            })
            .await
    }

    async fn insert_api_key(&self, key: &ApiKey) -> StoreResult<()> {
        let key = key.clone();
        self.writer
            .write(move |c| {
                c.execute(
                    "INSERT INTO api_keys (id, business_id, mode, secret_hash, display_prefix, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![
                        key.id.as_str(),
                        key.business.as_str(),
                        key.mode.as_str(),
                        key.secret_hash,
                        key.display_prefix,
                        micros(key.created_at)
                    ],
                )
                .map_err(backend)?;
                Ok(())
            })
            .await
    }

    async fn find_api_key(&self, secret_hash: &str) -> StoreResult<Option<ApiKey>> {
        let hash = secret_hash.to_owned();
        self.readers
            .read(move |c| {
                c.prepare_cached(&format!(
                    "SELECT {KEY_COLUMNS} FROM api_keys WHERE secret_hash = ?1"
                ))
                .map_err(backend)?
                .query_row([&hash], |row| Ok(key_row(row)))
                .optional()
                .map_err(backend)?
                .transpose()
            })
            .await
    }

    async fn list_api_keys(&self, business: &BusinessId) -> StoreResult<Vec<ApiKey>> {
        let business = business.to_string();
        self.readers
            .read(move |c| {
                let mut stmt = c
                    .prepare_cached(&format!(
                        "SELECT {KEY_COLUMNS} FROM api_keys WHERE business_id = ?1
                         ORDER BY created_at, id"
                    ))
                    .map_err(backend)?;
                let rows = stmt
                    .query_map([&business], |row| Ok(key_row(row)))
                    .map_err(backend)?;
                rows.map(|r| r.map_err(backend)?).collect()
            })
            .await
    }

    async fn revoke_api_key(
        &self,
        business: &BusinessId,
        id: &ApiKeyId,
        at: OffsetDateTime,
    ) -> StoreResult<Option<ApiKey>> {
        let (business, id) = (business.to_string(), id.to_string());
        self.writer
            .write(move |c| {
                c.execute(
                    "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?3)
                     WHERE business_id = ?1 AND id = ?2",
                    params![business, id, micros(at)],
                )
                .map_err(backend)?;
                c.prepare_cached(&format!(
                    "SELECT {KEY_COLUMNS} FROM api_keys WHERE business_id = ?1 AND id = ?2"
                ))
                .map_err(backend)?
                .query_row(params![business, id], |row| Ok(key_row(row)))
                .optional()
                .map_err(backend)?
                .transpose()
            })
            .await
    }

    async fn touch_api_key(&self, id: &ApiKeyId, at: OffsetDateTime) -> StoreResult<()> {
        let id = id.to_string();
        self.writer
            .write(move |c| {
                c.execute(
                    "UPDATE api_keys SET last_used_at = ?2 WHERE id = ?1",
                    params![id, micros(at)],
                )
                .map_err(backend)?;
                Ok(())
            })
            .await
    }
}

/// The columns [`key_row`] reads, in its order.
const KEY_COLUMNS: &str =
    "id, business_id, mode, display_prefix, created_at, secret_hash, revoked_at, last_used_at";

fn key_row(row: &rusqlite::Row<'_>) -> StoreResult<ApiKey> {
    let text = |i: usize| row.get::<_, String>(i).map_err(backend);
    let corrupt = |what: &str| StoreError::Backend(format!("corrupt api_keys row: {what}").into());
    let at = |i: usize, what: &str| -> StoreResult<Option<OffsetDateTime>> {
        row.get::<_, Option<i64>>(i)
            .map_err(backend)?
            .map(|us| from_micros(us).map_err(|_| corrupt(what)))
            .transpose()
    };
    Ok(ApiKey {
        id: ApiKeyId::parse(&text(0)?).map_err(|_| corrupt("id"))?,
        business: BusinessId::parse(&text(1)?).map_err(|_| corrupt("business_id"))?,
        mode: Mode::parse(&text(2)?).ok_or_else(|| corrupt("mode"))?,
        display_prefix: text(3)?,
        created_at: at(4, "created_at")?.ok_or_else(|| corrupt("created_at"))?,
        secret_hash: text(5)?,
        revoked_at: at(6, "revoked_at")?,
        last_used_at: at(7, "last_used_at")?,
    })
}
