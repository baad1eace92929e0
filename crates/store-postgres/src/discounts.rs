//! Discount codes: a live code is unique per scope; deleting frees it.

use async_trait::async_trait;
use kassa_core::discount::{Discount, DiscountFilter, DiscountType};
use kassa_core::id::DiscountId;
use kassa_core::page::Page;
use kassa_core::tenancy::Scope;
use kassa_store::{DiscountStore, StoreResult};

use crate::{
    PgStore, backend, conflict, fetch_body, get_one, list_page, micros, one_row, scoped, to_json,
};

const CODE_TAKEN: &str = "discount code";

fn type_name(t: DiscountType) -> &'static str {
    match t {
        DiscountType::Percentage => "percentage",
        DiscountType::Flat => "flat",
    }
}

/// Inserts `d`, or (`insert == false`) replaces the live discount with its id.
async fn upsert(store: &PgStore, scope: &Scope, d: &Discount, insert: bool) -> StoreResult<()> {
    let sql = if insert {
        "INSERT INTO discounts (code, discount_type, starts_at, expires_at, usage_limit, times_used, body,
                                business_id, mode, id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    } else {
        "UPDATE discounts SET code = $1, discount_type = $2, starts_at = $3, expires_at = $4,
                usage_limit = $5, times_used = $6, body = $7
         WHERE business_id = $8 AND mode = $9 AND id = $10 AND NOT deleted"
    };
    let mut q = sqlx::query(sql)
        .bind(&d.code)
        .bind(type_name(d.discount_type))
        .bind(d.starts_at.map(micros))
        .bind(d.expires_at.map(micros))
        .bind(d.usage_limit.map(i64::from))
        .bind(i64::from(d.times_used))
        .bind(to_json(d)?)
        .bind(scope.business.as_str())
        .bind(scope.mode.as_str())
        .bind(d.id.as_str());
    if insert {
        q = q.bind(micros(d.created_at));
    }
    let done = q
        .execute(&store.pool)
        .await
        .map_err(|e| conflict(e, CODE_TAKEN))?;
    one_row(done.rows_affected())
}

#[async_trait]
impl DiscountStore for PgStore {
    async fn insert_discount(&self, scope: &Scope, discount: &Discount) -> StoreResult<()> {
        upsert(self, scope, discount, true).await
    }

    async fn get_discount(&self, scope: &Scope, id: &DiscountId) -> StoreResult<Option<Discount>> {
        get_one(
            &self.pool,
            "discounts",
            scope,
            id.as_str(),
            "AND NOT deleted",
        )
        .await
    }

    async fn get_discount_by_code(
        &self,
        scope: &Scope,
        code: &str,
    ) -> StoreResult<Option<Discount>> {
        let mut q = scoped("discounts", scope);
        q.push(" AND code = ")
            .push_bind(code.to_owned())
            .push(" AND NOT deleted");
        fetch_body(&self.pool, &mut q).await
    }

    async fn update_discount(&self, scope: &Scope, discount: &Discount) -> StoreResult<()> {
        upsert(self, scope, discount, false).await
    }

    async fn delete_discount(&self, scope: &Scope, id: &DiscountId) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE discounts SET deleted = TRUE
             WHERE business_id = $1 AND mode = $2 AND id = $3 AND NOT deleted",
        )
        .bind(scope.business.as_str())
        .bind(scope.mode.as_str())
        .bind(id.as_str())
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        one_row(done.rows_affected())
    }

    async fn list_discounts(
        &self,
        scope: &Scope,
        filter: &DiscountFilter,
        page: Page,
    ) -> StoreResult<Vec<Discount>> {
        let mut q = scoped("discounts", scope);
        q.push(" AND NOT deleted");
        if let Some(code) = &filter.code {
            // SQLite's `upper()` folds ASCII only; so does this.
            q.push(" AND strpos(code, ")
                .push_bind(code.trim().to_ascii_uppercase())
                .push(") > 0");
        }
        if let Some(kind) = filter.discount_type {
            q.push(" AND discount_type = ").push_bind(type_name(kind));
        }
        if let Some((active, now)) = filter.active {
            let now = micros(now);
            q.push(if active { " AND " } else { " AND NOT " })
                .push("((starts_at IS NULL OR starts_at <= ")
                .push_bind(now)
                .push(") AND (expires_at IS NULL OR ")
                .push_bind(now)
                .push(" < expires_at) AND (usage_limit IS NULL OR times_used < usage_limit))");
        }
        if let Some(product) = &filter.product {
            q.push(
                " AND (jsonb_array_length(body->'restricted_to') = 0 \
                  OR body->'restricted_to' @> jsonb_build_array(",
            )
            .push_bind(product.to_string())
            .push("::text))");
        }
        list_page(&self.pool, q, page).await
    }
}
