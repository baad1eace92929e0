//! Short links.

use async_trait::async_trait;
use kassa_core::id::ProductId;
use kassa_core::link::{ShortLink, Slug};
use kassa_core::page::Page;
use kassa_core::tenancy::Scope;
use kassa_store::{LinkStore, StoreResult};
use rusqlite::params;
use rusqlite::types::Value;

use crate::{SqliteStore, find_anywhere, list_page, micros, scope_params, to_json};

#[async_trait]
impl LinkStore for SqliteStore {
    async fn insert_short_link(&self, scope: &Scope, link: &ShortLink) -> StoreResult<()> {
        let (scope, link) = (scope.clone(), link.clone());
        let body = to_json(&link)?;
        self.writer
            .write(move |c| {
                c.execute(
                    "INSERT INTO short_links (id, business_id, mode, product_id, created_at, body)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![
                        link.slug.as_str(),
                        scope.business.as_str(),
                        scope.mode.as_str(),
                        link.product.as_ref().map(|p| p.to_string()),
                        micros(link.created_at),
                        body
                    ],
                )
                .map_err(|e| crate::conflict(e, "short link"))?;
                Ok(())
            })
            .await
    }

    async fn find_short_link(&self, slug: &Slug) -> StoreResult<Option<(Scope, ShortLink)>> {
        let slug = slug.as_str().to_owned();
        self.readers
            .read(move |c| {
                find_anywhere(c, "short_links", &slug, |l: &ShortLink| l.business.clone())
            })
            .await
    }

    async fn list_short_links(
        &self,
        scope: &Scope,
        product: Option<&ProductId>,
        page: Page,
    ) -> StoreResult<Vec<ShortLink>> {
        let mut filter = "business_id = ? AND mode = ? AND product_id IS NOT NULL".to_owned();
        let mut params = scope_params(scope);
        if let Some(product) = product {
            filter.push_str(" AND product_id = ?");
            params.push(Value::Text(product.to_string()));
        }
        self.readers
            .read(move |c| list_page(c, "short_links", &filter, params, page))
            .await
    }
}
