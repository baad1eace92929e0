//! Payments, and the purchase commit that ties a payment, a new customer,
//! discount uses and the completed session into one transaction.

use async_trait::async_trait;
use kassa_core::id::PaymentId;
use kassa_core::page::Page;
use kassa_core::payment::{Payment, PaymentFilter};
use kassa_core::tenancy::Scope;
use kassa_core::webhook::Event;
use kassa_store::{OpenedPayment, PaymentStore, Purchase, StoreError, StoreResult};
use rusqlite::types::Value;
use rusqlite::{Connection, params};

use crate::checkout::insert_session_row;
use crate::customers::insert_customer_row;
use crate::methods::insert_method_row;
use crate::webhooks::enqueue_events;
use crate::{SqliteStore, backend, get_one, list_page, micros, one_row, scope_params, to_json};

/// Inserts or replaces the payment row (a 3-D Secure attempt is stored
/// before it succeeds).
fn upsert_payment(c: &Connection, scope: &Scope, p: &Payment) -> StoreResult<()> {
    c.execute(
        "INSERT INTO payments (id, business_id, mode, status, customer_id, brand_id, currency, created_at, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, body = excluded.body
         WHERE payments.business_id = excluded.business_id AND payments.mode = excluded.mode",
        params![
            p.id.as_str(),
            scope.business.as_str(),
            scope.mode.as_str(),
            p.status.as_str(),
            p.customer.as_str(),
            p.brand.as_str(),
            p.currency.code(),
            micros(p.created_at),
            to_json(p)?
        ],
    )
    .map_err(backend)?;
    Ok(())
}

#[async_trait]
impl PaymentStore for SqliteStore {
    async fn insert_payment(
        &self,
        scope: &Scope,
        payment: &Payment,
        events: &[Event],
    ) -> StoreResult<()> {
        let (scope, p, events) = (scope.clone(), payment.clone(), events.to_vec());
        self.writer
            .write(move |c| {
                c.execute(
                    "INSERT INTO payments (id, business_id, mode, status, customer_id, brand_id, currency, created_at, body)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    params![
                        p.id.as_str(),
                        scope.business.as_str(),
                        scope.mode.as_str(),
                        p.status.as_str(),
                        p.customer.as_str(),
                        p.brand.as_str(),
                        p.currency.code(),
                        micros(p.created_at),
                        to_json(&p)?
                    ],
                )
                .map_err(|e| crate::conflict(e, "payment"))?;
                enqueue_events(c, &scope, &events)
            })
            .await
    }

    async fn get_payment(&self, scope: &Scope, id: &PaymentId) -> StoreResult<Option<Payment>> {
        let (scope, id) = (scope.clone(), id.to_string());
        self.readers
            .read(move |c| get_one(c, "payments", &scope, &id, ""))
            .await
    }

    async fn update_payment(
        &self,
        scope: &Scope,
        payment: &Payment,
        events: &[Event],
    ) -> StoreResult<()> {
        let (scope, p, events) = (scope.clone(), payment.clone(), events.to_vec());
        self.writer
            .write(move |c| {
                let changed = c
                    .execute(
                        "UPDATE payments SET status = ?1, body = ?2
                         WHERE business_id = ?3 AND mode = ?4 AND id = ?5",
                        params![
                            p.status.as_str(),
                            to_json(&p)?,
                            scope.business.as_str(),
                            scope.mode.as_str(),
                            p.id.as_str()
                        ],
                    )
                    .map_err(backend)?;
                one_row(changed)?;
                enqueue_events(c, &scope, &events)
            })
            .await
    }

    async fn list_payments(
        &self,
        scope: &Scope,
        filter: &PaymentFilter,
        page: Page,
    ) -> StoreResult<Vec<Payment>> {
        let mut sql = "business_id = ? AND mode = ?".to_owned();
        let mut params = scope_params(scope);
        let mut add = |clause: &str, value: Value| {
            sql.push_str(clause);
            params.push(value);
        };
        if let Some(status) = filter.status {
            add(" AND status = ?", Value::Text(status.as_str().into()));
        }
        if let Some(customer) = &filter.customer {
            add(" AND customer_id = ?", Value::Text(customer.to_string()));
        }
        if let Some(brand) = &filter.brand {
            add(" AND brand_id = ?", Value::Text(brand.to_string()));
        }
        if let Some(currency) = filter.currency {
            add(" AND currency = ?", Value::Text(currency.code().into()));
        }
        if let Some(from) = filter.created_at_gte {
            add(" AND created_at >= ?", Value::Integer(micros(from)));
        }
        if let Some(to) = filter.created_at_lte {
            add(" AND created_at <= ?", Value::Integer(micros(to)));
        }
        if let Some(product) = &filter.product {
            add(
                " AND EXISTS (SELECT 1 FROM json_each(payments.body, '$.lines')
                              WHERE json_extract(value, '$.product') = ?)",
                Value::Text(product.to_string()),
            );
        }
        self.readers
            .read(move |c| list_page(c, "payments", &sql, params, page))
            .await
    }

    async fn complete_purchase(&self, scope: &Scope, purchase: &Purchase) -> StoreResult<()> {
        let (scope, purchase) = (scope.clone(), purchase.clone());
        // One writer job runs inside one savepoint: any error below rolls
        // back everything this purchase wrote.
        self.writer
            .write(move |c| {
                if let Some(customer) = &purchase.new_customer {
                    insert_customer_row(c, &scope, customer)?;
                }
                for discount in &purchase.discounts {
                    let changed = c
                        .execute(
                            "UPDATE discounts
                             SET times_used = times_used + 1,
                                 body = json_set(body, '$.times_used', times_used + 1)
                             WHERE business_id = ?1 AND mode = ?2 AND id = ?3 AND deleted = 0
                               AND (usage_limit IS NULL OR times_used < usage_limit)",
                            params![
                                scope.business.as_str(),
                                scope.mode.as_str(),
                                discount.as_str()
                            ],
                        )
                        .map_err(backend)?;
                    if changed != 1 {
                        return Err(StoreError::Conflict {
                            what: "discount usage",
                        });
                    }
                }
                if let Some(method) = &purchase.saved_method {
                    insert_method_row(c, &scope, method)?;
                }
                upsert_payment(c, &scope, &purchase.payment)?;
                let changed = c
                    .execute(
                        "UPDATE checkout_sessions SET body = ?1
                         WHERE business_id = ?2 AND mode = ?3 AND id = ?4
                           AND json_extract(body, '$.completed_at') IS NULL",
                        params![
                            to_json(&purchase.session)?,
                            scope.business.as_str(),
                            scope.mode.as_str(),
                            purchase.session.id.as_str()
                        ],
                    )
                    .map_err(backend)?;
                if changed != 1 {
                    return Err(StoreError::Conflict {
                        what: "checkout session",
                    });
                }
                enqueue_events(c, &scope, &purchase.events)
            })
            .await
    }

    async fn open_payment(&self, scope: &Scope, opened: &OpenedPayment) -> StoreResult<()> {
        let (scope, opened) = (scope.clone(), opened.clone());
        let session = to_json(&opened.session)?;
        self.writer
            .write(move |c| {
                if let Some(customer) = &opened.new_customer {
                    insert_customer_row(c, &scope, customer)?;
                }
                upsert_payment(c, &scope, &opened.payment)?;
                insert_session_row(
                    c,
                    &scope,
                    opened.session.id.as_str(),
                    micros(opened.session.created_at),
                    &session,
                )?;
                Ok(())
            })
            .await
    }
}
