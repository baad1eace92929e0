//! Payments, and the purchase commit that ties a payment, a new customer,
//! discount uses and the completed session into one transaction.

use async_trait::async_trait;
use kassa_core::id::PaymentId;
use kassa_core::page::Page;
use kassa_core::payment::{Payment, PaymentFilter};
use kassa_core::tenancy::Scope;
use kassa_core::webhook::Event;

use crate::webhooks::enqueue_events;
use kassa_store::{OpenedPayment, PaymentStore, Purchase, StoreError, StoreResult};
use sqlx::PgExecutor;

use crate::checkout::insert_session_row;
use crate::customers::insert_customer_row;
use crate::methods::insert_method_row;
use crate::{PgStore, backend, conflict, get_one, list_page, micros, one_row, scoped, to_json};

/// Inserts the payment, or replaces a pending attempt with the same id.
async fn upsert_payment<'c>(
    ex: impl PgExecutor<'c>,
    scope: &Scope,
    p: &Payment,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "INSERT INTO payments (id, business_id, mode, status, customer_id, brand_id, currency, created_at, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, body = excluded.body
         WHERE payments.business_id = excluded.business_id AND payments.mode = excluded.mode",
    )
    .bind(p.id.as_str())
    .bind(scope.business.as_str())
    .bind(scope.mode.as_str())
    .bind(p.status.as_str())
    .bind(p.customer.as_str())
    .bind(p.brand.as_str())
    .bind(p.currency.code())
    .bind(micros(p.created_at))
    .bind(to_json(p)?)
    .execute(ex)
    .await
    .map_err(|e| conflict(e, "payment"))?;
    Ok(done.rows_affected())
}

#[async_trait]
impl PaymentStore for PgStore {
    async fn insert_payment(
        &self,
        scope: &Scope,
        p: &Payment,
        events: &[Event],
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        sqlx::query(
            "INSERT INTO payments (id, business_id, mode, status, customer_id, brand_id, currency, created_at, body)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(p.id.as_str())
        .bind(scope.business.as_str())
        .bind(scope.mode.as_str())
        .bind(p.status.as_str())
        .bind(p.customer.as_str())
        .bind(p.brand.as_str())
        .bind(p.currency.code())
        .bind(micros(p.created_at))
        .bind(to_json(p)?)
        .execute(&mut *tx)
        .await
        .map_err(|e| conflict(e, "payment"))?;
        enqueue_events(&mut tx, scope, events).await?;
        tx.commit().await.map_err(backend)
    }

    async fn get_payment(&self, scope: &Scope, id: &PaymentId) -> StoreResult<Option<Payment>> {
        get_one(&self.pool, "payments", scope, id.as_str(), "").await
    }

    async fn update_payment(
        &self,
        scope: &Scope,
        p: &Payment,
        events: &[Event],
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        let done = sqlx::query(
            "UPDATE payments SET status = $1, body = $2 WHERE business_id = $3 AND mode = $4 AND id = $5",
        )
        .bind(p.status.as_str())
        .bind(to_json(p)?)
        .bind(scope.business.as_str())
        .bind(scope.mode.as_str())
        .bind(p.id.as_str())
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        one_row(done.rows_affected())?;
        enqueue_events(&mut tx, scope, events).await?;
        tx.commit().await.map_err(backend)
    }

    async fn list_payments(
        &self,
        scope: &Scope,
        filter: &PaymentFilter,
        page: Page,
    ) -> StoreResult<Vec<Payment>> {
        let mut q = scoped("payments", scope);
        if let Some(status) = filter.status {
            q.push(" AND status = ").push_bind(status.as_str());
        }
        if let Some(customer) = &filter.customer {
            q.push(" AND customer_id = ")
                .push_bind(customer.to_string());
        }
        if let Some(brand) = &filter.brand {
            q.push(" AND brand_id = ").push_bind(brand.to_string());
        }
        if let Some(currency) = filter.currency {
            q.push(" AND currency = ").push_bind(currency.code());
        }
        if let Some(from) = filter.created_at_gte {
            q.push(" AND created_at >= ").push_bind(micros(from));
        }
        if let Some(to) = filter.created_at_lte {
            q.push(" AND created_at <= ").push_bind(micros(to));
        }
        if let Some(product) = &filter.product {
            q.push(" AND body->'lines' @> jsonb_build_array(jsonb_build_object('product', ")
                .push_bind(product.to_string())
                .push("::text))");
        }
        list_page(&self.pool, q, page).await
    }

    async fn complete_purchase(&self, scope: &Scope, purchase: &Purchase) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        if let Some(cu) = &purchase.new_customer {
            insert_customer_row(&mut *tx, scope, cu).await?;
        }
        for discount in &purchase.discounts {
            // The row lock taken by UPDATE serialises racing purchases: the
            // loser re-checks the limit after the winner commits.
            let done = sqlx::query(
                "UPDATE discounts
                 SET times_used = times_used + 1,
                     body = jsonb_set(body, '{times_used}', to_jsonb(times_used + 1))
                 WHERE business_id = $1 AND mode = $2 AND id = $3 AND NOT deleted
                   AND (usage_limit IS NULL OR times_used < usage_limit)",
            )
            .bind(scope.business.as_str())
            .bind(scope.mode.as_str())
            .bind(discount.as_str())
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict {
                    what: "discount usage",
                });
            }
        }
        if let Some(method) = &purchase.saved_method {
            insert_method_row(&mut *tx, scope, method).await?;
        }
        upsert_payment(&mut *tx, scope, &purchase.payment).await?;
        let done = sqlx::query(
            "UPDATE checkout_sessions SET body = $1
             WHERE business_id = $2 AND mode = $3 AND id = $4
               AND (body->'completed_at' IS NULL OR body->'completed_at' = 'null'::jsonb)",
        )
        .bind(to_json(&purchase.session)?)
        .bind(scope.business.as_str())
        .bind(scope.mode.as_str())
        .bind(purchase.session.id.as_str())
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict {
                what: "checkout session",
            });
        }
        enqueue_events(&mut tx, scope, &purchase.events).await?;
        tx.commit().await.map_err(backend)
    }

    async fn open_payment(&self, scope: &Scope, opened: &OpenedPayment) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        if let Some(cu) = &opened.new_customer {
            insert_customer_row(&mut *tx, scope, cu).await?;
        }
        upsert_payment(&mut *tx, scope, &opened.payment).await?;
        insert_session_row(&mut *tx, scope, &opened.session).await?;
        tx.commit().await.map_err(backend)
    }
}
