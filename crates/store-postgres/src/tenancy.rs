//! Businesses and API keys.

use async_trait::async_trait;
use kassa_core::catalog::Brand;
use kassa_core::id::{ApiKeyId, BusinessId};
use kassa_core::tenancy::{ApiKey, Business, Mode, Scope};
use kassa_store::{RowWrite, StoreError, StoreResult, TenantStore};
use sqlx::{AssertSqlSafe, Row};
use time::OffsetDateTime;

use crate::commit::insert;
use crate::{PgStore, backend, from_json, from_micros, micros, to_json};

#[async_trait]
impl TenantStore for PgStore {
    async fn create_business(
        &self,
        business: &Business,
        primary_brands: &[(Mode, Brand)],
    ) -> StoreResult<()> {
        let brands = primary_brands
            .iter()
            .map(|(mode, brand)| Ok((*mode, RowWrite::of(brand).map_err(StoreError::backend)?)))
            .collect::<StoreResult<Vec<_>>>()?;
        let mut tx = self.pool.begin().await.map_err(backend)?;
        sqlx::query(
            "INSERT INTO businesses (id, created_at, body) VALUES ($1, $2, CAST($3 AS jsonb))",
        )
        .bind(business.id.as_str())
        .bind(micros(business.created_at))
        .bind(to_json(business)?)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        for (mode, brand) in &brands {
            let scope = Scope {
                business: business.id.clone(),
                mode: *mode,
            };
            insert(&mut tx, &scope, brand).await?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn list_businesses(&self) -> StoreResult<Vec<Business>> {
        let bodies: Vec<String> =
            sqlx::query_scalar("SELECT body::text FROM businesses ORDER BY created_at, id")
                .fetch_all(&self.pool)
                .await
                .map_err(backend)?;
        bodies.iter().map(|b| from_json(b)).collect()
    }

    async fn get_business(&self, id: &BusinessId) -> StoreResult<Option<Business>> {
        let body: Option<String> =
            sqlx::query_scalar("SELECT body::text FROM businesses WHERE id = $1")
                .bind(id.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?;
        body.map(|b| from_json(&b)).transpose()
    }

    async fn insert_api_key(&self, key: &ApiKey) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO api_keys (id, business_id, mode, secret_hash, display_prefix, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(key.id.as_str())
        .bind(key.business.as_str())
        .bind(key.mode.as_str())
        .bind(&key.secret_hash)
        .bind(&key.display_prefix)
        .bind(micros(key.created_at))
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn find_api_key(&self, secret_hash: &str) -> StoreResult<Option<ApiKey>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {KEY_COLUMNS} FROM api_keys WHERE secret_hash = $1"
        )))
        .bind(secret_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        row.as_ref().map(key_row).transpose()
    }

    async fn list_api_keys(&self, business: &BusinessId) -> StoreResult<Vec<ApiKey>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {KEY_COLUMNS} FROM api_keys WHERE business_id = $1 ORDER BY created_at, id"
        )))
        .bind(business.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(key_row).collect()
    }

    async fn revoke_api_key(
        &self,
        business: &BusinessId,
        id: &ApiKeyId,
        at: OffsetDateTime,
    ) -> StoreResult<Option<ApiKey>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $3)
             WHERE business_id = $1 AND id = $2
             RETURNING {KEY_COLUMNS}"
        )))
        .bind(business.as_str())
        .bind(id.as_str())
        .bind(micros(at))
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        row.as_ref().map(key_row).transpose()
    }

    async fn touch_api_key(&self, id: &ApiKeyId, at: OffsetDateTime) -> StoreResult<()> {
        sqlx::query("UPDATE api_keys SET last_used_at = $2 WHERE id = $1")
            .bind(id.as_str())
            .bind(micros(at))
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

/// The columns [`key_row`] reads, in its order.
const KEY_COLUMNS: &str =
    "id, business_id, mode, display_prefix, created_at, secret_hash, revoked_at, last_used_at";

fn key_row(row: &sqlx::postgres::PgRow) -> StoreResult<ApiKey> {
    let text = |i: usize| row.try_get::<String, _>(i).map_err(backend);
    let corrupt = |what: &str| StoreError::Backend(format!("corrupt api_keys row: {what}").into());
    let at = |i: usize, what: &str| -> StoreResult<Option<OffsetDateTime>> {
        row.try_get::<Option<i64>, _>(i)
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
