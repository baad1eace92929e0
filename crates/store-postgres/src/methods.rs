//! Saved payment methods.

use async_trait::async_trait;
use kassa_core::id::{CustomerId, PaymentMethodId};
use kassa_core::payment::SavedMethod;
use kassa_core::tenancy::Scope;
use kassa_store::{MethodStore, StoreError, StoreResult};
use sqlx::PgExecutor;

use crate::{PgStore, backend, conflict, get_one, micros, scoped, to_json};

/// A method row; also written inside a purchase's transaction.
pub(crate) async fn insert_method_row<'c>(
    db: impl PgExecutor<'c>,
    scope: &Scope,
    m: &SavedMethod,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO payment_methods (id, business_id, mode, customer_id, created_at, body)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(m.id.as_str())
    .bind(scope.business.as_str())
    .bind(scope.mode.as_str())
    .bind(m.customer.as_str())
    .bind(micros(m.created_at))
    .bind(to_json(m)?)
    .execute(db)
    .await
    .map_err(|e| conflict(e, "payment method"))?;
    Ok(())
}

#[async_trait]
impl MethodStore for PgStore {
    async fn insert_saved_method(&self, scope: &Scope, method: &SavedMethod) -> StoreResult<()> {
        insert_method_row(&self.pool, scope, method).await
    }

    async fn get_saved_method(
        &self,
        scope: &Scope,
        id: &PaymentMethodId,
    ) -> StoreResult<Option<SavedMethod>> {
        get_one(&self.pool, "payment_methods", scope, id.as_str(), "").await
    }

    async fn list_saved_methods(
        &self,
        scope: &Scope,
        customer: &CustomerId,
    ) -> StoreResult<Vec<SavedMethod>> {
        let mut q = scoped("payment_methods", scope);
        q.push(" AND customer_id = ")
            .push_bind(customer.to_string())
            .push(" ORDER BY created_at DESC, id DESC");
        crate::fetch_bodies(&self.pool, &mut q).await
    }

    async fn delete_saved_method(&self, scope: &Scope, id: &PaymentMethodId) -> StoreResult<()> {
        let done = sqlx::query(
            "DELETE FROM payment_methods WHERE business_id = $1 AND mode = $2 AND id = $3",
        )
        .bind(scope.business.as_str())
        .bind(scope.mode.as_str())
        .bind(id.as_str())
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        if done.rows_affected() == 1 {
            Ok(())
        } else {
            Err(StoreError::NotFound)
        }
    }
}
