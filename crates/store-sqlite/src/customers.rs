//! Customers.

use async_trait::async_trait;
use kassa_core::customer::{Customer, CustomerFilter};
use kassa_core::id::CustomerId;
use kassa_core::page::Page;
use kassa_core::tenancy::Scope;
use kassa_store::{CustomerStore, StoreResult};
use rusqlite::params;
use rusqlite::types::Value;

use crate::{SqliteStore, backend, get_one, list_page, micros, one_row, scope_params, to_json};

/// Inserts one customer row (also used inside a purchase's transaction).
pub(crate) fn insert_customer_row(
    c: &rusqlite::Connection,
    scope: &Scope,
    cu: &Customer,
) -> StoreResult<()> {
    c.execute(
        "INSERT INTO customers (id, business_id, mode, email_lower, name, created_at, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            cu.id.as_str(),
            scope.business.as_str(),
            scope.mode.as_str(),
            cu.email.to_ascii_lowercase(),
            cu.name,
            micros(cu.created_at),
            to_json(cu)?
        ],
    )
    .map_err(|e| crate::conflict(e, "customer"))?;
    Ok(())
}

#[async_trait]
impl CustomerStore for SqliteStore {
    async fn insert_customer(&self, scope: &Scope, customer: &Customer) -> StoreResult<()> {
        let (scope, cu) = (scope.clone(), customer.clone());
        self.writer
            .write(move |c| insert_customer_row(c, &scope, &cu))
            .await
    }

    async fn get_customer(&self, scope: &Scope, id: &CustomerId) -> StoreResult<Option<Customer>> {
        let (scope, id) = (scope.clone(), id.to_string());
        self.readers
            .read(move |c| get_one(c, "customers", &scope, &id, ""))
            .await
    }

    async fn update_customer(&self, scope: &Scope, customer: &Customer) -> StoreResult<()> {
        let (scope, cu) = (scope.clone(), customer.clone());
        self.writer
            .write(move |c| {
                let changed = c
                    .execute(
                        "UPDATE customers SET email_lower = ?1, name = ?2, body = ?3
                         WHERE business_id = ?4 AND mode = ?5 AND id = ?6",
                        params![
                            cu.email.to_ascii_lowercase(),
                            cu.name,
                            to_json(&cu)?,
                            scope.business.as_str(),
                            scope.mode.as_str(),
                            cu.id.as_str()
                        ],
                    )
                    .map_err(backend)?;
                one_row(changed)
            })
            .await
    }

    async fn list_customers(
        &self,
        scope: &Scope,
        filter: &CustomerFilter,
        page: Page,
    ) -> StoreResult<Vec<Customer>> {
        let mut sql = "business_id = ? AND mode = ?".to_owned();
        let mut params = scope_params(scope);
        if let Some(email) = &filter.email {
            sql.push_str(" AND email_lower = ?");
            params.push(Value::Text(email.trim().to_ascii_lowercase()));
        }
        if let Some(name) = &filter.name {
            // instr, not LIKE: `%` and `_` in a name are plain characters.
            sql.push_str(" AND instr(lower(name), lower(?)) > 0");
            params.push(Value::Text(name.clone()));
        }
        if let Some(from) = filter.created_at_gte {
            sql.push_str(" AND created_at >= ?");
            params.push(Value::Integer(micros(from)));
        }
        if let Some(to) = filter.created_at_lte {
            sql.push_str(" AND created_at <= ?");
            params.push(Value::Integer(micros(to)));
        }
        self.readers
            .read(move |c| list_page(c, "customers", &sql, params, page))
            .await
    }
}
