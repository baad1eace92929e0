//! Products and addons.

use async_trait::async_trait;
use kassa_core::catalog::{Addon, Product, ProductFilter};
use kassa_core::id::{AddonId, ProductId};
use kassa_core::page::Page;
use kassa_core::tenancy::Scope;
use kassa_store::{AddonStore, ProductStore, StoreResult};
use rusqlite::params;
use rusqlite::types::Value;

use crate::{
    SqliteStore, backend, find_anywhere, get_one, list_page, micros, one_row, scope_params, to_json,
};

#[async_trait]
impl ProductStore for SqliteStore {
    async fn find_product(&self, id: &ProductId) -> StoreResult<Option<(Scope, Product)>> {
        let id = id.to_string();
        self.readers
            .read(move |c| find_anywhere(c, "products", &id, |p: &Product| p.business.clone()))
            .await
    }

    async fn insert_product(&self, scope: &Scope, product: &Product) -> StoreResult<()> {
        let (scope, p) = (scope.clone(), product.clone());
        self.writer
            .write(move |c| {
                c.execute(
                    "INSERT INTO products (id, business_id, mode, brand_id, is_recurring, archived, created_at, body)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![
                        p.id.as_str(),
                        scope.business.as_str(),
                        scope.mode.as_str(),
                        p.brand.as_str(),
                        p.price.is_recurring(),
                        p.archived,
                        micros(p.created_at),
                        to_json(&p)?
                    ],
                )
                .map_err(|e| crate::conflict(e, "product"))?;
                Ok(())
            })
            .await
    }

    async fn get_product(&self, scope: &Scope, id: &ProductId) -> StoreResult<Option<Product>> {
        let ticket = match self.products.get(scope, id.as_str()) {
            Ok(product) => return Ok(Some(product)),
            Err(ticket) => ticket,
        };
        let (owned_scope, id) = (scope.clone(), id.to_string());
        let found: Option<Product> = self
            .readers
            .read(move |c| get_one(c, "products", &owned_scope, &id, ""))
            .await?;
        if let Some(product) = &found {
            self.products.fill(scope, product, ticket);
        }
        Ok(found)
    }

    async fn update_product(&self, scope: &Scope, product: &Product) -> StoreResult<()> {
        let (owned_scope, p) = (scope.clone(), product.clone());
        let written = self
            .writer
            .write(move |c| {
                let scope = owned_scope;
                let changed = c
                    .execute(
                        "UPDATE products SET brand_id = ?1, is_recurring = ?2, archived = ?3, body = ?4
                         WHERE business_id = ?5 AND mode = ?6 AND id = ?7",
                        params![
                            p.brand.as_str(),
                            p.price.is_recurring(),
                            p.archived,
                            to_json(&p)?,
                            scope.business.as_str(),
                            scope.mode.as_str(),
                            p.id.as_str()
                        ],
                    )
                    .map_err(backend)?;
                one_row(changed)
            })
            .await;
        // After the commit (or its failure: either way, forget the old one).
        self.products.invalidate(scope, Some(product.id.as_str()));
        written
    }

    async fn list_products(
        &self,
        scope: &Scope,
        filter: &ProductFilter,
        page: Page,
    ) -> StoreResult<Vec<Product>> {
        let mut sql = "business_id = ? AND mode = ? AND archived = ?".to_owned();
        let mut params = scope_params(scope);
        params.push(Value::Integer(i64::from(filter.archived == Some(true))));
        if let Some(recurring) = filter.recurring {
            sql.push_str(" AND is_recurring = ?");
            params.push(Value::Integer(i64::from(recurring)));
        }
        if let Some(brand) = &filter.brand {
            sql.push_str(" AND brand_id = ?");
            params.push(Value::Text(brand.to_string()));
        }
        self.readers
            .read(move |c| list_page(c, "products", &sql, params, page))
            .await
    }
}

#[async_trait]
impl AddonStore for SqliteStore {
    async fn insert_addon(&self, scope: &Scope, addon: &Addon) -> StoreResult<()> {
        let (scope, a) = (scope.clone(), addon.clone());
        self.writer
            .write(move |c| {
                c.execute(
                    "INSERT INTO addons (id, business_id, mode, archived, created_at, body)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![
                        a.id.as_str(),
                        scope.business.as_str(),
                        scope.mode.as_str(),
                        a.archived,
                        micros(a.created_at),
                        to_json(&a)?
                    ],
                )
                .map_err(|e| crate::conflict(e, "addon"))?;
                Ok(())
            })
            .await
    }

    async fn get_addon(&self, scope: &Scope, id: &AddonId) -> StoreResult<Option<Addon>> {
        let (scope, id) = (scope.clone(), id.to_string());
        self.readers
            .read(move |c| get_one(c, "addons", &scope, &id, ""))
            .await
    }

    async fn update_addon(&self, scope: &Scope, addon: &Addon) -> StoreResult<()> {
        let (scope, a) = (scope.clone(), addon.clone());
        self.writer
            .write(move |c| {
                let changed = c
                    .execute(
                        "UPDATE addons SET archived = ?1, body = ?2
                         WHERE business_id = ?3 AND mode = ?4 AND id = ?5",
                        params![
                            a.archived,
                            to_json(&a)?,
                            scope.business.as_str(),
                            scope.mode.as_str(),
                            a.id.as_str()
                        ],
                    )
                    .map_err(backend)?;
                one_row(changed)
            })
            .await
    }

    async fn list_addons(&self, scope: &Scope, page: Page) -> StoreResult<Vec<Addon>> {
        let params = scope_params(scope);
        self.readers
            .read(move |c| {
                list_page(
                    c,
                    "addons",
                    "business_id = ? AND mode = ? AND archived = 0",
                    params,
                    page,
                )
            })
            .await
    }
}
