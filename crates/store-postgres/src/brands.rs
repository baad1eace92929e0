//! Brands, and archiving one with its products moved elsewhere.

use async_trait::async_trait;
use kassa_core::catalog::{Brand, Product};
use kassa_core::id::BrandId;
use kassa_core::tenancy::{Mode, Scope};
use kassa_store::{BrandStore, StoreError, StoreResult};
use sqlx::PgExecutor;
use time::OffsetDateTime;

use crate::{
    PgStore, backend, conflict, fetch_bodies, fetch_body, get_one, micros, one_row, scoped, to_json,
};

/// Inserts `brand` in `mode`; its business is the brand's own.
pub(crate) async fn insert_brand_row<'c>(
    ex: impl PgExecutor<'c>,
    mode: Mode,
    brand: &Brand,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO brands (id, business_id, mode, is_primary, archived, created_at, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(brand.id.as_str())
    .bind(brand.business.as_str())
    .bind(mode.as_str())
    .bind(brand.primary)
    .bind(brand.archived_at.is_some())
    .bind(micros(brand.created_at))
    .bind(to_json(brand)?)
    .execute(ex)
    .await
    .map_err(|e| conflict(e, "brand"))?;
    Ok(())
}

async fn update_brand_row<'c>(
    ex: impl PgExecutor<'c>,
    scope: &Scope,
    brand: &Brand,
) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE brands SET archived = $1, body = $2
         WHERE business_id = $3 AND mode = $4 AND id = $5",
    )
    .bind(brand.archived_at.is_some())
    .bind(to_json(brand)?)
    .bind(scope.business.as_str())
    .bind(scope.mode.as_str())
    .bind(brand.id.as_str())
    .execute(ex)
    .await
    .map_err(backend)?;
    one_row(done.rows_affected())
}

#[async_trait]
impl BrandStore for PgStore {
    async fn insert_brand(&self, scope: &Scope, brand: &Brand) -> StoreResult<()> {
        insert_brand_row(&self.pool, scope.mode, brand).await
    }

    async fn get_brand(&self, scope: &Scope, id: &BrandId) -> StoreResult<Option<Brand>> {
        get_one(&self.pool, "brands", scope, id.as_str(), "").await
    }

    async fn primary_brand(&self, scope: &Scope) -> StoreResult<Option<Brand>> {
        let mut q = scoped("brands", scope);
        q.push(" AND is_primary ORDER BY created_at LIMIT 1");
        fetch_body(&self.pool, &mut q).await
    }

    async fn update_brand(&self, scope: &Scope, brand: &Brand) -> StoreResult<()> {
        update_brand_row(&self.pool, scope, brand).await
    }

    async fn list_brands(&self, scope: &Scope, include_archived: bool) -> StoreResult<Vec<Brand>> {
        let mut q = scoped("brands", scope);
        q.push(" AND (")
            .push_bind(include_archived)
            .push(" OR NOT archived) ORDER BY created_at, id");
        fetch_bodies(&self.pool, &mut q).await
    }

    async fn archive_brand(
        &self,
        scope: &Scope,
        id: &BrandId,
        move_to: Option<&BrandId>,
        at: OffsetDateTime,
    ) -> StoreResult<u64> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        let mut brand: Brand = get_one(&mut *tx, "brands", scope, id.as_str(), "FOR UPDATE")
            .await?
            .ok_or(StoreError::NotFound)?;
        brand.archived_at = Some(at);
        update_brand_row(&mut *tx, scope, &brand).await?;
        let moved = match move_to {
            None => 0,
            Some(target) => {
                let mut q = scoped("products", scope);
                q.push(" AND brand_id = ")
                    .push_bind(id.to_string())
                    .push(" FOR UPDATE");
                let products: Vec<Product> = fetch_bodies(&mut *tx, &mut q).await?;
                let count = products.len() as u64;
                for mut product in products {
                    product.brand = target.clone();
                    sqlx::query(
                        "UPDATE products SET brand_id = $1, body = $2
                         WHERE business_id = $3 AND mode = $4 AND id = $5",
                    )
                    .bind(target.as_str())
                    .bind(to_json(&product)?)
                    .bind(scope.business.as_str())
                    .bind(scope.mode.as_str())
                    .bind(product.id.as_str())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend)?;
                }
                count
            }
        };
        tx.commit().await.map_err(backend)?;
        Ok(moved)
    }
}
