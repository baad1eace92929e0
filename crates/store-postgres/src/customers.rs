//! Customers.

use async_trait::async_trait;
use kassa_core::customer::{Customer, CustomerFilter};
use kassa_core::id::CustomerId;
use kassa_core::page::Page;
use kassa_core::tenancy::Scope;
use kassa_store::{CustomerStore, StoreResult};

use crate::{PgStore, backend, conflict, get_one, list_page, micros, one_row, scoped, to_json};

/// SQLite's `lower()`: ASCII letters only, whatever the database locale.
pub(crate) const ASCII_LOWER: &str = "'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'";

#[async_trait]
impl CustomerStore for PgStore {
    async fn insert_customer(&self, scope: &Scope, cu: &Customer) -> StoreResult<()> {
        insert_customer_row(&self.pool, scope, cu).await
    }

    async fn get_customer(&self, scope: &Scope, id: &CustomerId) -> StoreResult<Option<Customer>> {
        get_one(&self.pool, "customers", scope, id.as_str(), "").await
    }

    async fn update_customer(&self, scope: &Scope, cu: &Customer) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE customers SET email_lower = $1, name = $2, body = $3
             WHERE business_id = $4 AND mode = $5 AND id = $6",
        )
        .bind(cu.email.to_ascii_lowercase())
        .bind(&cu.name)
        .bind(to_json(cu)?)
        .bind(scope.business.as_str())
        .bind(scope.mode.as_str())
        .bind(cu.id.as_str())
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        one_row(done.rows_affected())
    }

    async fn list_customers(
        &self,
        scope: &Scope,
        filter: &CustomerFilter,
        page: Page,
    ) -> StoreResult<Vec<Customer>> {
        let mut q = scoped("customers", scope);
        if let Some(email) = &filter.email {
            q.push(" AND email_lower = ")
                .push_bind(email.trim().to_ascii_lowercase());
        }
        if let Some(name) = &filter.name {
            // strpos, not LIKE: `%` and `_` in a name are plain characters.
            q.push(format!(" AND strpos(translate(name, {ASCII_LOWER}), "))
                .push_bind(name.to_ascii_lowercase())
                .push(") > 0");
        }
        if let Some(from) = filter.created_at_gte {
            q.push(" AND created_at >= ").push_bind(micros(from));
        }
        if let Some(to) = filter.created_at_lte {
            q.push(" AND created_at <= ").push_bind(micros(to));
        }
        list_page(&self.pool, q, page).await
    }
}

/// A customer row; also written inside purchase and payment transactions.
pub(crate) async fn insert_customer_row<'c>(
    db: impl sqlx::PgExecutor<'c>,
    scope: &Scope,
    cu: &Customer,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO customers (id, business_id, mode, email_lower, name, created_at, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(cu.id.as_str())
    .bind(scope.business.as_str())
    .bind(scope.mode.as_str())
    .bind(cu.email.to_ascii_lowercase())
    .bind(&cu.name)
    .bind(micros(cu.created_at))
    .bind(to_json(cu)?)
    .execute(db)
    .await
    .map_err(|e| conflict(e, "customer"))?;
    Ok(())
}
