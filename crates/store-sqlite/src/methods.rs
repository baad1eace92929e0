//! Saved payment methods.

use async_trait::async_trait;
use kassa_core::id::{CustomerId, PaymentMethodId};
use kassa_core::payment::SavedMethod;
use kassa_core::tenancy::Scope;
use kassa_store::{MethodStore, StoreResult};
use rusqlite::{Connection, params};

use crate::{SqliteStore, backend, from_json, get_one, micros, one_row, to_json};

/// A method row; also written inside a purchase's transaction.
pub(crate) fn insert_method_row(c: &Connection, scope: &Scope, m: &SavedMethod) -> StoreResult<()> {
    let body = to_json(m)?;
    c.prepare_cached(
        "INSERT INTO payment_methods (id, business_id, mode, customer_id, created_at, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            m.id.as_str(),
            scope.business.as_str(),
            scope.mode.as_str(),
            m.customer.as_str(),
            micros(m.created_at),
            body
        ])
    })
    .map_err(|e| crate::conflict(e, "payment method"))?;
    Ok(())
}

#[async_trait]
impl MethodStore for SqliteStore {
    async fn insert_saved_method(&self, scope: &Scope, method: &SavedMethod) -> StoreResult<()> {
        let (scope, m) = (scope.clone(), method.clone());
        self.writer
            .write(move |c| insert_method_row(c, &scope, &m))
            .await
    }

    async fn get_saved_method(
        &self,
        scope: &Scope,
        id: &PaymentMethodId,
    ) -> StoreResult<Option<SavedMethod>> {
        let (scope, id) = (scope.clone(), id.to_string());
        self.readers
            .read(move |c| get_one(c, "payment_methods", &scope, &id, ""))
            .await
    }

    async fn list_saved_methods(
        &self,
        scope: &Scope,
        customer: &CustomerId,
    ) -> StoreResult<Vec<SavedMethod>> {
        let (scope, customer) = (scope.clone(), customer.to_string());
        self.readers
            .read(move |c| {
                let mut stmt = c
                    .prepare_cached(
                        "SELECT body FROM payment_methods
                         WHERE business_id = ?1 AND mode = ?2 AND customer_id = ?3
                         ORDER BY created_at DESC, id DESC",
                    )
                    .map_err(backend)?;
                let bodies = stmt
                    .query_map(
                        params![scope.business.as_str(), scope.mode.as_str(), customer],
                        |r| r.get::<_, String>(0),
                    )
                    .map_err(backend)?
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(backend)?;
                bodies.iter().map(|b| from_json(b)).collect()
            })
            .await
    }

    async fn delete_saved_method(&self, scope: &Scope, id: &PaymentMethodId) -> StoreResult<()> {
        let (scope, id) = (scope.clone(), id.to_string());
        self.writer
            .write(move |c| {
                let changed = c
                    .execute(
                        "DELETE FROM payment_methods WHERE business_id = ?1 AND mode = ?2 AND id = ?3",
                        params![scope.business.as_str(), scope.mode.as_str(), id],
                    )
                    .map_err(backend)?;
                one_row(changed)
            })
            .await
    }
}
