//! Brands, and archiving one with its products moved elsewhere.

use async_trait::async_trait;
use kassa_core::catalog::{Brand, Product};
use kassa_core::id::BrandId;
use kassa_core::tenancy::{Mode, Scope};
use kassa_store::{BrandStore, StoreError, StoreResult};
use rusqlite::{Connection, params};
use time::OffsetDateTime;

use crate::{SqliteStore, backend, from_json, get_one, micros, one_row, to_json};

pub(crate) fn insert_brand_row(c: &Connection, mode: Mode, brand: &Brand) -> StoreResult<()> {
    c.execute(
        "INSERT INTO brands (id, business_id, mode, is_primary, archived, created_at, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            brand.id.as_str(),
            brand.business.as_str(),
            mode.as_str(),
            brand.primary,
            brand.archived_at.is_some(),
            micros(brand.created_at),
            to_json(brand)?
        ],
    )
    .map_err(|e| crate::conflict(e, "brand"))?;
    Ok(())
}

fn update_brand_row(c: &Connection, scope: &Scope, brand: &Brand) -> StoreResult<()> {
    let changed = c
        .execute(
            "UPDATE brands SET archived = ?1, body = ?2
             WHERE business_id = ?3 AND mode = ?4 AND id = ?5",
            params![
                brand.archived_at.is_some(),
                to_json(brand)?,
                scope.business.as_str(),
                scope.mode.as_str(),
                brand.id.as_str()
            ],
        )
        .map_err(backend)?;
    one_row(changed)
}

#[async_trait]
impl BrandStore for SqliteStore {
    async fn insert_brand(&self, scope: &Scope, brand: &Brand) -> StoreResult<()> {
        let (mode, brand) = (scope.mode, brand.clone());
        self.writer
            .write(move |c| insert_brand_row(c, mode, &brand))
            .await
    }

    async fn get_brand(&self, scope: &Scope, id: &BrandId) -> StoreResult<Option<Brand>> {
        let (scope, id) = (scope.clone(), id.to_string());
        self.readers
            .read(move |c| get_one(c, "brands", &scope, &id, ""))
            .await
    }

    async fn primary_brand(&self, scope: &Scope) -> StoreResult<Option<Brand>> {
        let scope = scope.clone();
        self.readers
            .read(move |c| {
                let mut stmt = c
                    .prepare_cached(
                        "SELECT body FROM brands
                         WHERE business_id = ?1 AND mode = ?2 AND is_primary = 1
                         ORDER BY created_at LIMIT 1",
                    )
                    .map_err(backend)?;
                let mut rows = stmt
                    .query(params![scope.business.as_str(), scope.mode.as_str()])
                    .map_err(backend)?;
                match rows.next().map_err(backend)? {
                    Some(row) => Ok(Some(from_json(&row.get::<_, String>(0).map_err(backend)?)?)),
                    None => Ok(None),
                }
            })
            .await
    }

    async fn update_brand(&self, scope: &Scope, brand: &Brand) -> StoreResult<()> {
        let (scope, brand) = (scope.clone(), brand.clone());
        self.writer
            .write(move |c| update_brand_row(c, &scope, &brand))
            .await
    }

    async fn list_brands(&self, scope: &Scope, include_archived: bool) -> StoreResult<Vec<Brand>> {
        let scope = scope.clone();
        self.readers
            .read(move |c| {
                let mut stmt = c
                    .prepare_cached(
                        "SELECT body FROM brands
                         WHERE business_id = ?1 AND mode = ?2 AND (?3 OR archived = 0)
                         ORDER BY created_at, id",
                    )
                    .map_err(backend)?;
                let bodies = stmt
                    .query_map(
                        params![
                            scope.business.as_str(),
                            scope.mode.as_str(),
                            include_archived
                        ],
                        |r| r.get::<_, String>(0),
                    )
                    .map_err(backend)?
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(backend)?;
                bodies.iter().map(|b| from_json(b)).collect()
            })
            .await
    }

    async fn archive_brand(
        &self,
        scope: &Scope,
        id: &BrandId,
        move_to: Option<&BrandId>,
        at: OffsetDateTime,
    ) -> StoreResult<u64> {
        let (owned_scope, id, move_to) = (scope.clone(), id.clone(), move_to.cloned());
        let moved = self
            .writer
            .write(move |c| {
                let scope = owned_scope;
                let mut brand: Brand =
                    get_one(c, "brands", &scope, id.as_str(), "")?.ok_or(StoreError::NotFound)?;
                brand.archived_at = Some(at);
                update_brand_row(c, &scope, &brand)?;
                let Some(target) = move_to else {
                    return Ok(0);
                };
                let mut stmt = c
                    .prepare_cached(
                        "SELECT body FROM products WHERE business_id = ?1 AND mode = ?2 AND brand_id = ?3",
                    )
                    .map_err(backend)?;
                let bodies = stmt
                    .query_map(
                        params![scope.business.as_str(), scope.mode.as_str(), id.as_str()],
                        |r| r.get::<_, String>(0),
                    )
                    .map_err(backend)?
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(backend)?;
                for body in &bodies {
                    let mut product: Product = from_json(body)?;
                    product.brand = target.clone();
                    c.execute(
                        "UPDATE products SET brand_id = ?1, body = ?2 WHERE id = ?3",
                        params![target.as_str(), to_json(&product)?, product.id.as_str()],
                    )
                    .map_err(backend)?;
                }
                Ok(bodies.len() as u64)
            })
            .await;
        // Products may have moved to another brand: drop them all.
        self.products.invalidate(scope, None);
        moved
    }
}
