//! Discount codes: a live code is unique per scope; deleting frees it.

use async_trait::async_trait;
use kassa_core::discount::{Discount, DiscountFilter, DiscountType};
use kassa_core::id::DiscountId;
use kassa_core::page::Page;
use kassa_core::tenancy::Scope;
use kassa_store::{DiscountStore, StoreResult};
use rusqlite::types::Value;
use rusqlite::{Connection, params};

use crate::{
    SqliteStore, backend, from_json, get_one, list_page, micros, one_row, scope_params, to_json,
};

const CODE_TAKEN: &str = "discount code";

fn type_name(t: DiscountType) -> &'static str {
    match t {
        DiscountType::Percentage => "percentage",
        DiscountType::Flat => "flat",
    }
}

fn upsert(c: &Connection, scope: &Scope, d: &Discount, insert: bool) -> StoreResult<()> {
    let sql = if insert {
        "INSERT INTO discounts (code, discount_type, starts_at, expires_at, usage_limit, times_used, body,
                                business_id, mode, id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    } else {
        "UPDATE discounts SET code = ?1, discount_type = ?2, starts_at = ?3, expires_at = ?4,
                usage_limit = ?5, times_used = ?6, body = ?7
         WHERE business_id = ?8 AND mode = ?9 AND id = ?10 AND deleted = 0 AND ?11 IS NOT NULL"
    };
    let changed = c
        .execute(
            sql,
            params![
                d.code,
                type_name(d.discount_type),
                d.starts_at.map(micros),
                d.expires_at.map(micros),
                d.usage_limit,
                d.times_used,
                to_json(d)?,
                scope.business.as_str(),
                scope.mode.as_str(),
                d.id.as_str(),
                micros(d.created_at)
            ],
        )
        .map_err(|e| crate::conflict(e, CODE_TAKEN))?;
    one_row(changed)
}

#[async_trait]
impl DiscountStore for SqliteStore {
    async fn insert_discount(&self, scope: &Scope, discount: &Discount) -> StoreResult<()> {
        let (scope, d) = (scope.clone(), discount.clone());
        self.writer
            .write(move |c| upsert(c, &scope, &d, true))
            .await
    }

    async fn get_discount(&self, scope: &Scope, id: &DiscountId) -> StoreResult<Option<Discount>> {
        let (scope, id) = (scope.clone(), id.to_string());
        self.readers
            .read(move |c| get_one(c, "discounts", &scope, &id, "AND deleted = 0"))
            .await
    }

    async fn get_discount_by_code(
        &self,
        scope: &Scope,
        code: &str,
    ) -> StoreResult<Option<Discount>> {
        let (scope, code) = (scope.clone(), code.to_owned());
        self.readers
            .read(move |c| {
                let mut stmt = c
                    .prepare_cached(
                        "SELECT body FROM discounts
                         WHERE business_id = ?1 AND mode = ?2 AND code = ?3 AND deleted = 0",
                    )
                    .map_err(backend)?;
                let mut rows = stmt
                    .query(params![scope.business.as_str(), scope.mode.as_str(), code])
                    .map_err(backend)?;
                match rows.next().map_err(backend)? {
                    Some(row) => Ok(Some(from_json(&row.get::<_, String>(0).map_err(backend)?)?)),
                    None => Ok(None),
                }
            })
            .await
    }

    async fn update_discount(&self, scope: &Scope, discount: &Discount) -> StoreResult<()> {
        let (scope, d) = (scope.clone(), discount.clone());
        self.writer
            .write(move |c| upsert(c, &scope, &d, false))
            .await
    }

    async fn delete_discount(&self, scope: &Scope, id: &DiscountId) -> StoreResult<()> {
        let (scope, id) = (scope.clone(), id.to_string());
        self.writer
            .write(move |c| {
                let changed = c
                    .execute(
                        "UPDATE discounts SET deleted = 1
                         WHERE business_id = ?1 AND mode = ?2 AND id = ?3 AND deleted = 0",
                        params![scope.business.as_str(), scope.mode.as_str(), id],
                    )
                    .map_err(backend)?;
                one_row(changed)
            })
            .await
    }

    async fn list_discounts(
        &self,
        scope: &Scope,
        filter: &DiscountFilter,
        page: Page,
    ) -> StoreResult<Vec<Discount>> {
        let mut sql = "business_id = ? AND mode = ? AND deleted = 0".to_owned();
        let mut params = scope_params(scope);
        if let Some(code) = &filter.code {
            sql.push_str(" AND instr(code, upper(?)) > 0");
            params.push(Value::Text(code.trim().to_owned()));
        }
        if let Some(kind) = filter.discount_type {
            sql.push_str(" AND discount_type = ?");
            params.push(Value::Text(type_name(kind).to_owned()));
        }
        if let Some((active, now)) = filter.active {
            let now = micros(now);
            let redeemable = "((starts_at IS NULL OR starts_at <= ?) AND (expires_at IS NULL OR ? < expires_at) \
                              AND (usage_limit IS NULL OR times_used < usage_limit))";
            sql.push_str(if active { " AND " } else { " AND NOT " });
            sql.push_str(redeemable);
            params.push(Value::Integer(now));
            params.push(Value::Integer(now));
        }
        if let Some(product) = &filter.product {
            sql.push_str(
                " AND (json_array_length(body, '$.restricted_to') = 0 \
                  OR EXISTS (SELECT 1 FROM json_each(discounts.body, '$.restricted_to') WHERE value = ?))",
            );
            params.push(Value::Text(product.to_string()));
        }
        self.readers
            .read(move |c| list_page(c, "discounts", &sql, params, page))
            .await
    }
}
