//! The steps of a change, each run inside the change's transaction: the
//! first that fails returns its conflict and the caller rolls back.
//!
//! What SQLite's single writer gets for free, the statements here get
//! from PostgreSQL's locks: updates and uses re-check their conditions on
//! the newest row version once they hold its lock; a version guard locks
//! its row until commit; a count guard takes an advisory lock on its table
//! in the scope, so two changes guarding the same count run one after the
//! other and the second counts the first's rows.

use kassa_core::tenancy::Scope;
use kassa_store::{Changes, Conflict, Guard, Op, RowWrite, StoreError, StoreResult, Table};
use sqlx::{PgConnection, Postgres, QueryBuilder};

use crate::jobs;
use crate::records::get_row;
use crate::webhooks::enqueue_to;
use crate::{backend, failure, sql};

/// Every step in order, then the events, the jobs the change schedules
/// and cancels, and last the end of the job it finishes (refused as
/// [`Conflict::LeaseLost`] unless the worker's lease still holds).
pub(crate) async fn apply(
    conn: &mut PgConnection,
    scope: &Scope,
    changes: &Changes,
) -> StoreResult<()> {
    for op in &changes.ops {
        match op {
            Op::Insert(row) => insert(conn, scope, row).await?,
            Op::Update { row, version } => update(conn, scope, row, *version).await?,
            Op::Delete { table, id } => delete(conn, scope, *table, id).await?,
            Op::Use {
                table,
                id,
                count,
                limit,
            } => use_one(conn, scope, *table, id, count, limit).await?,
            Op::Release { table, id, count } => release(conn, scope, *table, id, count).await?,
            Op::Check(guard) => check(conn, scope, guard).await?,
        }
    }
    if !changes.events.is_empty() {
        enqueue_to(
            conn,
            scope,
            &changes.events,
            changes.events_only_to.as_ref(),
        )
        .await?;
    }
    jobs::insert_jobs(conn, scope, &changes.jobs).await?;
    for (kind, key) in &changes.cancel_jobs {
        jobs::cancel_job(conn, scope, kind, key).await?;
    }
    if let Some(f) = &changes.finishes
        && !jobs::end_job(conn, &f.worker, &f.job, &f.end, f.at).await?
    {
        return Err(Conflict::LeaseLost { job: f.job.clone() }.into());
    }
    Ok(())
}

/// A new row at version 0.
pub(crate) async fn insert(
    conn: &mut PgConnection,
    scope: &Scope,
    row: &RowWrite,
) -> StoreResult<()> {
    let table = row.table;
    let mut q = QueryBuilder::new(format!(
        "INSERT INTO {} (id, business_id, mode, created_at, version, body",
        table.name()
    ));
    for (c, _) in table.columns() {
        q.push(format!(", {c}"));
    }
    q.push(") VALUES (")
        .push_bind(row.id.as_str())
        .push(", ")
        .push_bind(scope.business.as_str())
        .push(", ")
        .push_bind(scope.mode.as_str())
        .push(", ")
        .push_bind(row.created_at)
        .push(", 0, CAST(")
        .push_bind(row.body.as_str())
        .push(" AS jsonb)");
    for (c, kind) in table.columns() {
        q.push(", ");
        sql::bind(&mut q, Some(*kind), sql::column_value(&row.columns, c));
    }
    q.push(")");
    q.build()
        .execute(conn)
        .await
        .map_err(|e| refused(e, table, &row.id))?;
    Ok(())
}

/// Replaces body and index columns and bumps the version; with `version`,
/// only while the row is still at it.
async fn update(
    conn: &mut PgConnection,
    scope: &Scope,
    row: &RowWrite,
    version: Option<u64>,
) -> StoreResult<()> {
    let table = row.table;
    let mut q = QueryBuilder::new(format!(
        "UPDATE {} SET version = version + 1, body = CAST(",
        table.name()
    ));
    q.push_bind(row.body.as_str()).push(" AS jsonb)");
    for (c, kind) in table.columns() {
        q.push(format!(", {c} = "));
        sql::bind(&mut q, Some(*kind), sql::column_value(&row.columns, c));
    }
    q.push(" WHERE ");
    sql::scope(&mut q, scope);
    q.push(" AND id = ").push_bind(row.id.as_str());
    if let Some(v) = version {
        q.push(" AND version = ").push_bind(v as i64);
    }
    let done = q
        .build()
        .execute(&mut *conn)
        .await
        .map_err(|e| refused(e, table, &row.id))?;
    if done.rows_affected() == 1 {
        return Ok(());
    }
    Err(match get_row(conn, table, scope, &row.id, false).await? {
        Some(_) => changed(table, &row.id),
        None => missing(table, &row.id),
    })
}

/// Removes the row and, first, the rows of other tables that belong to it.
async fn delete(conn: &mut PgConnection, scope: &Scope, table: Table, id: &str) -> StoreResult<()> {
    for (dependent, column) in table.dependents() {
        let mut q = QueryBuilder::new(format!("DELETE FROM {dependent} WHERE "));
        sql::scope(&mut q, scope);
        q.push(format!(" AND {column} = ")).push_bind(id);
        q.build().execute(&mut *conn).await.map_err(backend)?;
    }
    let mut q = QueryBuilder::new(format!("DELETE FROM {} WHERE ", table.name()));
    sql::scope(&mut q, scope);
    q.push(" AND id = ").push_bind(id);
    let done = q.build().execute(&mut *conn).await.map_err(backend)?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(missing(table, id))
    }
}

/// `count` (column and body field) up by one while under `limit`.
async fn use_one(
    conn: &mut PgConnection,
    scope: &Scope,
    table: Table,
    id: &str,
    count: &str,
    limit: &str,
) -> StoreResult<()> {
    if !table.has_column(count) || !table.has_column(limit) {
        return Err(failure(format!(
            "{} has no counter {count} / {limit}",
            table.name()
        )));
    }
    // SET expressions read the row as it was: `{count} + 1` is the new count.
    let mut q = QueryBuilder::new(format!(
        "UPDATE {t} SET {count} = {count} + 1, version = version + 1,
             body = jsonb_set(body, '{{{count}}}', to_jsonb({count} + 1))
         WHERE ",
        t = table.name()
    ));
    sql::scope(&mut q, scope);
    q.push(" AND id = ")
        .push_bind(id)
        .push(format!(" AND ({limit} IS NULL OR {count} < {limit})"));
    let done = q.build().execute(&mut *conn).await.map_err(backend)?;
    if done.rows_affected() == 1 {
        return Ok(());
    }
    Err(match get_row(conn, table, scope, id, false).await? {
        Some(_) => Conflict::UsedUp {
            table,
            id: id.to_owned(),
        }
        .into(),
        None => missing(table, id),
    })
}

/// `count` (column and body field) down by one, never below zero; a write
/// like any other even at zero (the version goes up).
async fn release(
    conn: &mut PgConnection,
    scope: &Scope,
    table: Table,
    id: &str,
    count: &str,
) -> StoreResult<()> {
    if !table.has_column(count) {
        return Err(failure(format!("{} has no counter {count}", table.name())));
    }
    let mut q = QueryBuilder::new(format!(
        "UPDATE {t} SET {count} = GREATEST({count} - 1, 0), version = version + 1,
             body = jsonb_set(body, '{{{count}}}', to_jsonb(GREATEST({count} - 1, 0)))
         WHERE ",
        t = table.name()
    ));
    sql::scope(&mut q, scope);
    q.push(" AND id = ").push_bind(id);
    let done = q.build().execute(&mut *conn).await.map_err(backend)?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(missing(table, id))
    }
}

async fn check(conn: &mut PgConnection, scope: &Scope, guard: &Guard) -> StoreResult<()> {
    match guard {
        Guard::Fewer {
            table,
            filter,
            limit,
        } => {
            // Built first, so a bad filter is refused before any lock.
            let mut q = QueryBuilder::<Postgres>::new(format!(
                "SELECT count(*) FROM (SELECT 1 FROM {} WHERE ",
                table.name()
            ));
            sql::scope(&mut q, scope);
            sql::conditions(&mut q, *table, filter)?;
            q.push(" LIMIT ").push_bind(*limit as i64).push(") AS hits");
            let key = format!(
                "kassa.fewer {} {} {}",
                table.name(),
                scope.business,
                scope.mode.as_str()
            );
            sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                .bind(key)
                .execute(&mut *conn)
                .await
                .map_err(backend)?;
            let n: i64 = q
                .build_query_scalar()
                .fetch_one(&mut *conn)
                .await
                .map_err(backend)?;
            if (n as u64) < *limit {
                Ok(())
            } else {
                Err(Conflict::TooMany { table: *table }.into())
            }
        }
        Guard::Unchanged { table, id, version } => {
            match get_row(conn, *table, scope, id, true).await? {
                Some(row) if row.version == *version => Ok(()),
                Some(_) => Err(changed(*table, id)),
                None => Err(missing(*table, id)),
            }
        }
    }
}

fn missing(table: Table, id: &str) -> StoreError {
    Conflict::Missing {
        table,
        id: id.to_owned(),
    }
    .into()
}

fn changed(table: Table, id: &str) -> StoreError {
    Conflict::Changed {
        table,
        id: id.to_owned(),
    }
    .into()
}

/// A unique violation as the conflict it is: the id taken (the primary
/// key, `{table}_pkey`), or the table's own unique rule broken (any other
/// unique index). Anything else is a backend failure.
fn refused(e: sqlx::Error, table: Table, id: &str) -> StoreError {
    let Some(db) = e.as_database_error() else {
        return backend(e);
    };
    if db.code().as_deref() != Some("23505") {
        return backend(e);
    }
    let pkey = format!("{}_pkey", table.name());
    if db.constraint() == Some(pkey.as_str()) {
        Conflict::Exists {
            table,
            id: id.to_owned(),
        }
        .into()
    } else {
        Conflict::Taken { table }.into()
    }
}
