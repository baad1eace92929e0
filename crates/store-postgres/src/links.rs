//! Short links.

use async_trait::async_trait;
use kassa_core::id::ProductId;
use kassa_core::link::{ShortLink, Slug};
use kassa_core::page::Page;
use kassa_core::tenancy::Scope;
use kassa_store::{LinkStore, StoreResult};

use crate::{PgStore, conflict, find_anywhere, list_page, micros, scoped, to_json};

#[async_trait]
impl LinkStore for PgStore {
    async fn insert_short_link(&self, scope: &Scope, link: &ShortLink) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO short_links (id, business_id, mode, product_id, created_at, body)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(link.slug.as_str())
        .bind(scope.business.as_str())
        .bind(scope.mode.as_str())
        .bind(link.product.as_ref().map(|p| p.to_string()))
        .bind(micros(link.created_at))
        .bind(to_json(link)?)
        .execute(&self.pool)
        .await
        .map_err(|e| conflict(e, "short link"))?;
        Ok(())
    }

    async fn find_short_link(&self, slug: &Slug) -> StoreResult<Option<(Scope, ShortLink)>> {
        find_anywhere(&self.pool, "short_links", slug.as_str(), |l: &ShortLink| {
            l.business.clone()
        })
        .await
    }

    async fn list_short_links(
        &self,
        scope: &Scope,
        product: Option<&ProductId>,
        page: Page,
    ) -> StoreResult<Vec<ShortLink>> {
        let mut q = scoped("short_links", scope);
        q.push(" AND product_id IS NOT NULL");
        if let Some(product) = product {
            q.push(" AND product_id = ").push_bind(product.to_string());
        }
        list_page(&self.pool, q, page).await
    }
}
