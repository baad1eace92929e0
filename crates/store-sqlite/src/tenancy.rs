//! Businesses and API keys.

use async_trait::async_trait;
use kassa_core::catalog::Brand;
use kassa_core::id::{ApiKeyId, BusinessId};
use kassa_core::tenancy::{ApiKey, Business, Mode};
use kassa_store::{StoreError, StoreResult, TenantStore};
use rusqlite::params;
use time::OffsetDateTime;

use crate::brands::insert_brand_row;
use crate::{SqliteStore, backend, from_json, micros, to_json};

#[async_trait]
impl TenantStore for SqliteStore {
    async fn create_business(
        &self,
        business: &Business,
        primary_brands: &[(Mode, Brand)],
    ) -> StoreResult<()> {
        let business = business.clone();
        let brands = primary_brands.to_vec();
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
                .map_err(|e| crate::conflict(e, "business"))?;
                for (mode, brand) in &brands {
                    insert_brand_row(c, *mode, brand)?;
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
                .map_err(|e| crate::conflict(e, "API key"))?;
                Ok(())
            })
            .await
    }

    async fn find_api_key(&self, secret_hash: &str) -> StoreResult<Option<ApiKey>> {
        let hash = secret_hash.to_owned();
        self.readers
            .read(move |c| {
                let mut stmt = c
                    .prepare_cached(
                        "SELECT id, business_id, mode, display_prefix, created_at
                         FROM api_keys WHERE secret_hash = ?1",
                    )
                    .map_err(backend)?;
                let mut rows = stmt.query([&hash]).map_err(backend)?;
                let Some(row) = rows.next().map_err(backend)? else {
                    return Ok(None);
                };
                let text = |i: usize| row.get::<_, String>(i).map_err(backend);
                let corrupt = |what: &str| {
                    StoreError::Backend(format!("corrupt api_keys row: {what}").into())
                };
                let created: i64 = row.get(4).map_err(backend)?;
                Ok(Some(ApiKey {
                    id: ApiKeyId::parse(&text(0)?).map_err(|_| corrupt("id"))?,
                    business: BusinessId::parse(&text(1)?).map_err(|_| corrupt("business_id"))?,
                    mode: Mode::parse(&text(2)?).ok_or_else(|| corrupt("mode"))?,
                    secret_hash: hash.clone(),
                    display_prefix: text(3)?,
                    created_at: OffsetDateTime::from_unix_timestamp_nanos(created as i128 * 1_000)
                        .map_err(|_| corrupt("created_at"))?,
                }))
            })
            .await
    }
}
