//! Products and addons.

use async_trait::async_trait;
use kassa_core::catalog::{Addon, Product, ProductFilter};
use kassa_core::id::{AddonId, ProductId};
use kassa_core::page::Page;
use kassa_core::tenancy::Scope;
use kassa_store::{AddonStore, ProductStore, StoreResult};

use crate::{
    PgStore, backend, conflict, find_anywhere, get_one, list_page, micros, one_row, scoped, to_json,
};

#[async_trait]
impl ProductStore for PgStore {
    async fn find_product(&self, id: &ProductId) -> StoreResult<Option<(Scope, Product)>> {
        find_anywhere(&self.pool, "products", id.as_str(), |p: &Product| {
            p.business.clone()
        })
        .await
    }

    async fn insert_product(&self, scope: &Scope, p: &Product) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO products (id, business_id, mode, brand_id, is_recurring, archived, created_at, body)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(p.id.as_str())
        .bind(scope.business.as_str())
        .bind(scope.mode.as_str())
        .bind(p.brand.as_str())
        .bind(p.price.is_recurring())
        .bind(p.archived)
        .bind(micros(p.created_at))
        .bind(to_json(p)?)
        .execute(&self.pool)
        .await
        .map_err(|e| conflict(e, "product"))?;
        Ok(())
    }

    async fn get_product(&self, scope: &Scope, id: &ProductId) -> StoreResult<Option<Product>> {
        get_one(&self.pool, "products", scope, id.as_str(), "").await
    }

    async fn update_product(&self, scope: &Scope, p: &Product) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE products SET brand_id = $1, is_recurring = $2, archived = $3, body = $4
             WHERE business_id = $5 AND mode = $6 AND id = $7",
        )
        .bind(p.brand.as_str())
        .bind(p.price.is_recurring())
        .bind(p.archived)
        .bind(to_json(p)?)
        .bind(scope.business.as_str())
        .bind(scope.mode.as_str())
        .bind(p.id.as_str())
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        one_row(done.rows_affected())
    }

    async fn list_products(
        &self,
        scope: &Scope,
        filter: &ProductFilter,
        page: Page,
    ) -> StoreResult<Vec<Product>> {
        let mut q = scoped("products", scope);
        q.push(" AND archived = ")
            .push_bind(filter.archived == Some(true));
        if let Some(recurring) = filter.recurring {
            q.push(" AND is_recurring = ").push_bind(recurring);
        }
        if let Some(brand) = &filter.brand {
            q.push(" AND brand_id = ").push_bind(brand.to_string());
        }
        list_page(&self.pool, q, page).await
    }
}

#[async_trait]
impl AddonStore for PgStore {
    async fn insert_addon(&self, scope: &Scope, a: &Addon) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO addons (id, business_id, mode, archived, created_at, body)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(a.id.as_str())
        .bind(scope.business.as_str())
        .bind(scope.mode.as_str())
        .bind(a.archived)
        .bind(micros(a.created_at))
        .bind(to_json(a)?)
        .execute(&self.pool)
        .await
        .map_err(|e| conflict(e, "addon"))?;
        Ok(())
    }

    async fn get_addon(&self, scope: &Scope, id: &AddonId) -> StoreResult<Option<Addon>> {
        get_one(&self.pool, "addons", scope, id.as_str(), "").await
    }

    async fn update_addon(&self, scope: &Scope, a: &Addon) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE addons SET archived = $1, body = $2
             WHERE business_id = $3 AND mode = $4 AND id = $5",
        )
        .bind(a.archived)
        .bind(to_json(a)?)
        .bind(scope.business.as_str())
        .bind(scope.mode.as_str())
        .bind(a.id.as_str())
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        one_row(done.rows_affected())
    }

    async fn list_addons(&self, scope: &Scope, page: Page) -> StoreResult<Vec<Addon>> {
        let mut q = scoped("addons", scope);
        q.push(" AND NOT archived");
        list_page(&self.pool, q, page).await
    }
}
