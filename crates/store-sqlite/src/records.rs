//! The generic record operations on SQLite: reads on the pool, and each
//! change as one job of the writer's group commit.

use async_trait::async_trait;
use kassa_core::catalog::Product;
use kassa_core::id::{BusinessId, ProductId};
use kassa_core::page::Page;
use kassa_core::tenancy::{Mode, Scope};
use kassa_store::{
    Changes, Conflict, Filter, Guard, Op, RecordStore, Row, RowWrite, StoreError, StoreResult,
    Table,
};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

use crate::jobs;
use crate::sql::{self, statements};
use crate::webhooks::enqueue_to;
use crate::{SqliteStore, backend};

#[async_trait]
impl RecordStore for SqliteStore {
    async fn get_row(&self, table: Table, scope: &Scope, id: &str) -> StoreResult<Option<Row>> {
        let (scope, id) = (scope.clone(), id.to_owned());
        self.readers
            .read(move |c| get_row(c, table, &scope, &id))
            .await
    }

    async fn find_row(&self, table: Table, id: &str) -> StoreResult<Option<(Scope, Row)>> {
        let id = id.to_owned();
        self.readers
            .read(move |c| {
                let sql = format!(
                    "SELECT business_id, mode, version, body FROM {} WHERE id = ?1",
                    table.name()
                );
                let found = c
                    .prepare_cached(&sql)
                    .and_then(|mut s| {
                        s.query_row([&id], |r| {
                            Ok((
                                r.get::<_, String>(0)?,
                                r.get::<_, String>(1)?,
                                r.get::<_, i64>(2)?,
                                r.get::<_, String>(3)?,
                            ))
                        })
                        .optional()
                    })
                    .map_err(backend)?;
                let Some((business, mode, version, body)) = found else {
                    return Ok(None);
                };
                let corrupt =
                    || StoreError::Backend(format!("bad scope in {}", table.name()).into());
                let scope = Scope {
                    business: BusinessId::parse(&business).map_err(|_| corrupt())?,
                    mode: Mode::parse(&mode).ok_or_else(corrupt)?,
                };
                Ok(Some((
                    scope,
                    Row {
                        version: version as u64,
                        body,
                    },
                )))
            })
            .await
    }

    async fn list_rows(
        &self,
        table: Table,
        scope: &Scope,
        filter: &Filter,
        page: Option<Page>,
    ) -> StoreResult<Vec<Row>> {
        let (query, params) = sql::list(table, scope, filter, page)?;
        self.readers
            .read(move |c| {
                let mut stmt = c.prepare_cached(&query).map_err(backend)?;
                let rows = stmt
                    .query_map(params_from_iter(params), |r| {
                        Ok(Row {
                            version: r.get::<_, i64>(0)? as u64,
                            body: r.get(1)?,
                        })
                    })
                    .map_err(backend)?
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(backend)?;
                Ok(rows)
            })
            .await
    }

    async fn commit(&self, scope: &Scope, changes: Changes) -> StoreResult<()> {
        if let Some(why) = changes.broken() {
            return Err(StoreError::Backend(why.to_owned().into()));
        }
        let products = touched_products(&changes);
        let scope = scope.clone();
        if let Some(row) = changes.lone_insert() {
            // One statement that SQLite undoes by itself if it fails: no
            // savepoint (the hot insert of a new checkout session).
            let row = row.clone();
            self.writer
                .write_one(move |c| insert(c, &scope, &row))
                .await
        } else if products.is_empty() {
            self.writer.write(move |c| apply(c, &scope, &changes)).await
        } else {
            // The cache forgets the products on the writer thread right
            // after the commit, whether or not this caller still waits.
            let cache = self.products.clone();
            let cache_scope = scope.clone();
            let forget = move || {
                for id in &products {
                    cache.invalidate(&cache_scope, Some(id));
                }
            };
            self.writer
                .write_then(move |c| apply(c, &scope, &changes), forget)
                .await
        }
    }

    async fn get_product(&self, scope: &Scope, id: &ProductId) -> StoreResult<Option<Product>> {
        let ticket = match self.products.get(scope, id.as_str()) {
            Ok(product) => return Ok(Some(product)),
            Err(ticket) => ticket,
        };
        let found = match self.get_row(Table::Products, scope, id.as_str()).await? {
            Some(row) => {
                Some(serde_json::from_str::<Product>(&row.body).map_err(StoreError::backend)?)
            }
            None => None,
        };
        if let Some(product) = &found {
            self.products.fill(scope, product, ticket);
        }
        Ok(found)
    }
}

/// Products a change writes: the cache forgets them once it has committed.
fn touched_products(changes: &Changes) -> Vec<String> {
    changes
        .ops
        .iter()
        .filter_map(|op| match op {
            Op::Update { row, .. } if row.table == Table::Products => Some(row.id.clone()),
            Op::Delete { table, id } if *table == Table::Products => Some(id.clone()),
            _ => None,
        })
        .collect()
}

fn get_row(c: &Connection, table: Table, scope: &Scope, id: &str) -> StoreResult<Option<Row>> {
    let sql = format!(
        "SELECT version, body FROM {} WHERE business_id = ?1 AND mode = ?2 AND id = ?3",
        table.name()
    );
    c.prepare_cached(&sql)
        .and_then(|mut s| {
            s.query_row(
                params![scope.business.as_str(), scope.mode.as_str(), id],
                |r| {
                    Ok(Row {
                        version: r.get::<_, i64>(0)? as u64,
                        body: r.get(1)?,
                    })
                },
            )
            .optional()
        })
        .map_err(backend)
}

/// Every step in order, then the events; the writer's savepoint undoes
/// the lot if any step fails.
fn apply(c: &Connection, scope: &Scope, changes: &Changes) -> StoreResult<()> {
    for op in &changes.ops {
        match op {
            Op::Insert(row) => insert(c, scope, row)?,
            Op::Update { row, version } => update(c, scope, row, *version)?,
            Op::Delete { table, id } => delete(c, scope, *table, id)?,
            Op::Use {
                table,
                id,
                count,
                limit,
            } => use_one(c, scope, *table, id, count, limit)?,
            Op::Release { table, id, count } => release(c, scope, *table, id, count)?,
            Op::Check(guard) => check(c, scope, guard)?,
        }
    }
    if !changes.events.is_empty() {
        enqueue_to(c, scope, &changes.events, changes.events_only_to.as_ref())?;
    }
    jobs::insert_jobs(c, scope, &changes.jobs)?;
    for (kind, key) in &changes.cancel_jobs {
        jobs::cancel_job(c, scope, kind, key)?;
    }
    if let Some(f) = &changes.finishes
        && !jobs::end_job(c, &f.worker, &f.job, &f.end, f.at)?
    {
        return Err(Conflict::LeaseLost { job: f.job.clone() }.into());
    }
    Ok(())
}

pub(crate) fn insert(c: &Connection, scope: &Scope, row: &RowWrite) -> StoreResult<()> {
    let mut values = vec![
        Value::Text(row.id.clone()),
        Value::Text(scope.business.to_string()),
        Value::Text(scope.mode.as_str().to_owned()),
        Value::Integer(row.created_at),
        Value::Text(row.body.clone()),
    ];
    values.extend(row.columns.iter().map(|(_, v)| sql::value(v)));
    c.prepare_cached(&statements(row.table).insert)
        .and_then(|mut s| s.execute(params_from_iter(values)))
        .map_err(|e| refused(e, row.table, &row.id))?;
    Ok(())
}

fn update(c: &Connection, scope: &Scope, row: &RowWrite, version: Option<u64>) -> StoreResult<()> {
    let mut values = vec![
        Value::Text(scope.business.to_string()),
        Value::Text(scope.mode.as_str().to_owned()),
        Value::Text(row.id.clone()),
        Value::Text(row.body.clone()),
    ];
    values.extend(row.columns.iter().map(|(_, v)| sql::value(v)));
    let sql = match version {
        Some(v) => {
            values.push(Value::Integer(v as i64));
            &statements(row.table).update_at_version
        }
        None => &statements(row.table).update,
    };
    let changed = c
        .prepare_cached(sql)
        .and_then(|mut s| s.execute(params_from_iter(values)))
        .map_err(|e| refused(e, row.table, &row.id))?;
    if changed == 1 {
        return Ok(());
    }
    Err(missing_or_changed(c, scope, row.table, &row.id)?)
}

fn delete(c: &Connection, scope: &Scope, table: Table, id: &str) -> StoreResult<()> {
    let p = params![scope.business.as_str(), scope.mode.as_str(), id];
    for (dependent, column) in table.dependents() {
        let sql = format!(
            "DELETE FROM {dependent} WHERE business_id = ?1 AND mode = ?2 AND {column} = ?3"
        );
        c.prepare_cached(&sql)
            .and_then(|mut s| s.execute(p))
            .map_err(backend)?;
    }
    let sql = format!(
        "DELETE FROM {} WHERE business_id = ?1 AND mode = ?2 AND id = ?3",
        table.name()
    );
    let changed = c
        .prepare_cached(&sql)
        .and_then(|mut s| s.execute(p))
        .map_err(backend)?;
    if changed == 1 {
        Ok(())
    } else {
        Err(missing(table, id))
    }
}

fn use_one(
    c: &Connection,
    scope: &Scope,
    table: Table,
    id: &str,
    count: &str,
    limit: &str,
) -> StoreResult<()> {
    if !table.has_column(count) || !table.has_column(limit) {
        return Err(StoreError::Backend(
            format!("{} has no counter {count} / {limit}", table.name()).into(),
        ));
    }
    let sql = format!(
        "UPDATE {t} SET {count} = {count} + 1, version = version + 1,
             body = json_set(body, '$.{count}', {count} + 1)
         WHERE business_id = ?1 AND mode = ?2 AND id = ?3
           AND ({limit} IS NULL OR {count} < {limit})",
        t = table.name()
    );
    let changed = c
        .prepare_cached(&sql)
        .and_then(|mut s| s.execute(params![scope.business.as_str(), scope.mode.as_str(), id]))
        .map_err(backend)?;
    if changed == 1 {
        return Ok(());
    }
    match get_row(c, table, scope, id)? {
        Some(_) => Err(Conflict::UsedUp {
            table,
            id: id.to_owned(),
        }
        .into()),
        None => Err(missing(table, id)),
    }
}

fn release(c: &Connection, scope: &Scope, table: Table, id: &str, count: &str) -> StoreResult<()> {
    if !table.has_column(count) {
        return Err(StoreError::Backend(
            format!("{} has no counter {count}", table.name()).into(),
        ));
    }
    let sql = format!(
        "UPDATE {t} SET {count} = max({count} - 1, 0), version = version + 1,
             body = json_set(body, '$.{count}', max({count} - 1, 0))
         WHERE business_id = ?1 AND mode = ?2 AND id = ?3",
        t = table.name()
    );
    let changed = c
        .prepare_cached(&sql)
        .and_then(|mut s| s.execute(params![scope.business.as_str(), scope.mode.as_str(), id]))
        .map_err(backend)?;
    if changed == 1 {
        Ok(())
    } else {
        Err(missing(table, id))
    }
}

fn check(c: &Connection, scope: &Scope, guard: &Guard) -> StoreResult<()> {
    match guard {
        Guard::Fewer {
            table,
            filter,
            limit,
        } => {
            let mut params = vec![
                Value::Text(scope.business.to_string()),
                Value::Text(scope.mode.as_str().to_owned()),
            ];
            let conds = sql::conditions(*table, filter, &mut params)?;
            params.push(Value::Integer(*limit as i64));
            let sql = format!(
                "SELECT count(*) FROM (SELECT 1 FROM {} WHERE business_id = ? AND mode = ?{conds} LIMIT ?)",
                table.name()
            );
            let n: i64 = c
                .prepare_cached(&sql)
                .and_then(|mut s| s.query_row(params_from_iter(params), |r| r.get(0)))
                .map_err(backend)?;
            if (n as u64) < *limit {
                Ok(())
            } else {
                Err(Conflict::TooMany { table: *table }.into())
            }
        }
        Guard::Unchanged { table, id, version } => match get_row(c, *table, scope, id)? {
            Some(row) if row.version == *version => Ok(()),
            Some(_) => Err(Conflict::Changed {
                table: *table,
                id: id.clone(),
            }
            .into()),
            None => Err(missing(*table, id)),
        },
    }
}

fn missing(table: Table, id: &str) -> StoreError {
    Conflict::Missing {
        table,
        id: id.to_owned(),
    }
    .into()
}

fn missing_or_changed(
    c: &Connection,
    scope: &Scope,
    table: Table,
    id: &str,
) -> StoreResult<StoreError> {
    Ok(match get_row(c, table, scope, id)? {
        Some(_) => Conflict::Changed {
            table,
            id: id.to_owned(),
        }
        .into(),
        None => missing(table, id),
    })
}

/// A constraint violation as the conflict it is: the id taken, or the
/// table's own unique rule broken.
fn refused(e: rusqlite::Error, table: Table, id: &str) -> StoreError {
    match &e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
        {
            Conflict::Exists {
                table,
                id: id.to_owned(),
            }
            .into()
        }
        rusqlite::Error::SqliteFailure(f, _)
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
        {
            Conflict::Taken { table }.into()
        }
        _ => backend(e),
    }
}
