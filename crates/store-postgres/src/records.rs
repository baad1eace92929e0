//! The generic record operations on PostgreSQL: reads straight from the
//! pool, and each change as one transaction (its steps are in `commit`).

use async_trait::async_trait;
use kassa_core::id::BusinessId;
use kassa_core::page::Page;
use kassa_core::tenancy::{Mode, Scope};
use kassa_store::{Changes, Filter, RecordStore, Row, StoreError, StoreResult, Table};
use sqlx::{PgConnection, Row as _};

use crate::commit::{apply, insert};
use crate::{PgStore, backend, failure, sql};

/// How often a change that lost a deadlock is tried again: PostgreSQL
/// aborts one of two transactions that wait on each other's row locks, and
/// the change itself was not refused.
const DEADLOCK_TRIES: usize = 3;

#[async_trait]
impl RecordStore for PgStore {
    async fn get_row(&self, table: Table, scope: &Scope, id: &str) -> StoreResult<Option<Row>> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        get_row(&mut conn, table, scope, id, false).await
    }

    async fn find_row(&self, table: Table, id: &str) -> StoreResult<Option<(Scope, Row)>> {
        let mut q = sqlx::QueryBuilder::new(format!(
            "SELECT business_id, mode, version, body::text FROM {} WHERE id = ",
            table.name()
        ));
        q.push_bind(id);
        let Some(r) = q
            .build()
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let corrupt = || failure(format!("bad scope in {}", table.name()));
        let business: String = r.try_get(0).map_err(backend)?;
        let mode: String = r.try_get(1).map_err(backend)?;
        let scope = Scope {
            business: BusinessId::parse(&business).map_err(|_| corrupt())?,
            mode: Mode::parse(&mode).ok_or_else(corrupt)?,
        };
        Ok(Some((scope, read_row(&r, 2)?)))
    }

    async fn list_rows(
        &self,
        table: Table,
        scope: &Scope,
        filter: &Filter,
        page: Option<Page>,
    ) -> StoreResult<Vec<Row>> {
        let mut q = sqlx::QueryBuilder::new(format!(
            "SELECT version, body::text FROM {} WHERE ",
            table.name()
        ));
        sql::scope(&mut q, scope);
        sql::conditions(&mut q, table, filter)?;
        q.push(sql::order(filter.order));
        if let Some(page) = page {
            q.push(" LIMIT ")
                .push_bind(i64::from(page.size))
                .push(" OFFSET ")
                .push_bind(page.offset() as i64);
        }
        let rows = q.build().fetch_all(&self.pool).await.map_err(backend)?;
        rows.iter().map(|r| read_row(r, 0)).collect()
    }

    async fn commit(&self, scope: &Scope, changes: Changes) -> StoreResult<()> {
        if let Some(why) = changes.broken() {
            return Err(failure(why.to_owned()));
        }
        if changes.is_empty() {
            return Ok(());
        }
        if let Some(row) = changes.lone_insert() {
            // One statement, atomic by itself: no transaction to open.
            let mut conn = self.pool.acquire().await.map_err(backend)?;
            return insert(&mut conn, scope, row).await;
        }
        let mut tries = 0;
        loop {
            tries += 1;
            let mut tx = self.pool.begin().await.map_err(backend)?;
            match apply(&mut tx, scope, &changes).await {
                Ok(()) => return tx.commit().await.map_err(backend),
                Err(e) if tries < DEADLOCK_TRIES && is_deadlock(&e) => {
                    tracing::debug!(tries, "change lost a deadlock; trying again");
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// The row with this id in this scope; `lock` holds it (`FOR UPDATE`)
/// until the transaction ends, so a guard's check stays true until commit.
pub(crate) async fn get_row(
    conn: &mut PgConnection,
    table: Table,
    scope: &Scope,
    id: &str,
    lock: bool,
) -> StoreResult<Option<Row>> {
    let mut q = sql::by_id("version, body::text", table, scope, id);
    if lock {
        q.push(" FOR UPDATE");
    }
    let found = q.build().fetch_optional(conn).await.map_err(backend)?;
    found.map(|r| read_row(&r, 0)).transpose()
}

/// `version, body::text` from column `at` on.
fn read_row(r: &sqlx::postgres::PgRow, at: usize) -> StoreResult<Row> {
    let version: i64 = r.try_get(at).map_err(backend)?;
    Ok(Row {
        version: version as u64,
        body: r.try_get(at + 1).map_err(backend)?,
    })
}

/// Whether PostgreSQL aborted the transaction to break a deadlock.
fn is_deadlock(e: &StoreError) -> bool {
    let StoreError::Backend(inner) = e else {
        return false;
    };
    inner
        .downcast_ref::<sqlx::Error>()
        .and_then(|e| e.as_database_error())
        .and_then(|d| d.code())
        .is_some_and(|code| code == "40P01")
}
