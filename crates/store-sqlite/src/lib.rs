//! The embedded default store: one SQLite file in WAL mode, written by a
//! single writer thread with group commit, read through a small pool.

mod brands;
mod catalog;
mod catalog_cache;
mod checkout;
mod checkpoint;
mod customers;
mod discounts;
mod links;
mod methods;
mod migrate;
mod payments;
mod reader;
mod tenancy;
mod webhooks;
mod writer;

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use kassa_core::page::Page;
use kassa_core::tenancy::Scope;
use kassa_store::{Store, StoreError, StoreResult};
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;

use reader::Readers;
use writer::Writer;

const READERS: usize = 4;

/// The SQLite backend. Cheap to clone; all clones share the writer thread.
#[derive(Clone)]
pub struct SqliteStore {
    writer: Writer,
    readers: Readers,
    products: Arc<catalog_cache::ProductCache>,
    _checkpointer: Arc<checkpoint::Checkpointer>,
}

impl SqliteStore {
    /// Opens (creating if needed) and migrates the database at `path`.
    /// Several processes may open the same file: writes wait for each
    /// other through SQLite's lock (busy timeout), never corrupt. Only one
    /// of them may change the catalog, though (see `catalog_cache`):
    /// `kassa serve` locks the data dir for that.
    pub fn open(path: &Path) -> StoreResult<SqliteStore> {
        let mut conn = Connection::open(path).map_err(backend)?;
        configure(&conn)?;
        migrate::migrate(&mut conn).map_err(backend)?;
        conn.pragma_update(
            None,
            "wal_autocheckpoint",
            checkpoint::WRITER_SAFETY_NET_PAGES,
        )
        .map_err(backend)?;
        let checkpointer = checkpoint::Checkpointer::start(path).map_err(backend)?;
        let readers = (0..READERS)
            .map(|_| {
                let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                let reader = Connection::open_with_flags(path, flags).map_err(backend)?;
                reader
                    .busy_timeout(std::time::Duration::from_secs(5))
                    .map_err(backend)?;
                Ok(reader)
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(SqliteStore {
            writer: Writer::start(conn),
            readers: Readers::new(readers),
            products: Arc::default(),
            _checkpointer: Arc::new(checkpointer),
        })
    }

    /// Write transactions committed so far by this process (one may carry
    /// many writes: that is the group commit).
    pub fn commits(&self) -> u64 {
        self.writer.commits()
    }
}

/// WAL with `synchronous=FULL`: a commit is on disk before anyone hears of it.
fn configure(conn: &Connection) -> StoreResult<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(backend)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;",
    )
    .map_err(backend)
}

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> StoreResult<()> {
        self.readers
            .read(|c| c.query_row("SELECT 1", [], |_| Ok(())).map_err(backend))
            .await
    }
}

pub(crate) fn backend(e: rusqlite::Error) -> StoreError {
    StoreError::Backend(Box::new(e))
}

/// Maps a unique-index or primary-key violation to a conflict on `what`.
pub(crate) fn conflict(e: rusqlite::Error, what: &'static str) -> StoreError {
    match &e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
        {
            StoreError::Conflict { what }
        }
        _ => backend(e),
    }
}

pub(crate) fn micros(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000) as i64
}

/// The instant a [`micros`] column holds.
pub(crate) fn from_micros(v: i64) -> StoreResult<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(v as i128 * 1_000).map_err(StoreError::backend)
}

pub(crate) fn to_json<T: Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Backend(Box::new(e)))
}

pub(crate) fn from_json<T: DeserializeOwned>(body: &str) -> StoreResult<T> {
    serde_json::from_str(body).map_err(|e| StoreError::Backend(Box::new(e)))
}

/// `business_id = ? AND mode = ?` parameters for a scope.
pub(crate) fn scope_params(scope: &Scope) -> Vec<Value> {
    vec![
        Value::Text(scope.business.to_string()),
        Value::Text(scope.mode.as_str().to_owned()),
    ]
}

/// A row of `table` found by id alone, with the scope it belongs to: for
/// the URLs that are capabilities (a session's page, a product's static
/// link), where no API key says which business is asking.
pub(crate) fn find_anywhere<T: DeserializeOwned>(
    conn: &Connection,
    table: &str,
    id: &str,
    business: impl Fn(&T) -> kassa_core::id::BusinessId,
) -> StoreResult<Option<(Scope, T)>> {
    use rusqlite::OptionalExtension;
    let sql = format!("SELECT mode, body FROM {table} WHERE id = ?1");
    let row = conn
        .prepare_cached(&sql)
        .and_then(|mut stmt| {
            stmt.query_row([id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .optional()
        })
        .map_err(backend)?;
    let Some((mode, body)) = row else {
        return Ok(None);
    };
    let value: T = from_json(&body)?;
    let mode = kassa_core::tenancy::Mode::parse(&mode)
        .ok_or_else(|| StoreError::Backend(format!("bad mode `{mode}` in {table}").into()))?;
    let scope = Scope {
        business: business(&value),
        mode,
    };
    Ok(Some((scope, value)))
}

/// The one row of `table` with this id in this scope, decoded.
pub(crate) fn get_one<T: DeserializeOwned>(
    conn: &Connection,
    table: &str,
    scope: &Scope,
    id: &str,
    extra: &str,
) -> StoreResult<Option<T>> {
    let sql = format!(
        "SELECT body FROM {table} WHERE business_id = ?1 AND mode = ?2 AND id = ?3 {extra}"
    );
    let mut stmt = conn.prepare_cached(&sql).map_err(backend)?;
    let mut rows = stmt
        .query(rusqlite::params![
            scope.business.as_str(),
            scope.mode.as_str(),
            id
        ])
        .map_err(backend)?;
    match rows.next().map_err(backend)? {
        Some(row) => Ok(Some(from_json(&row.get::<_, String>(0).map_err(backend)?)?)),
        None => Ok(None),
    }
}

/// A page of `table` rows matching `filter` (which must start with the
/// scope condition and use `?` placeholders in `params` order), newest first.
pub(crate) fn list_page<T: DeserializeOwned>(
    conn: &Connection,
    table: &str,
    filter: &str,
    mut params: Vec<Value>,
    page: Page,
) -> StoreResult<Vec<T>> {
    let sql = format!(
        "SELECT body FROM {table} WHERE {filter} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"
    );
    params.push(Value::Integer(page.size as i64));
    params.push(Value::Integer(page.offset() as i64));
    let mut stmt = conn.prepare_cached(&sql).map_err(backend)?;
    let bodies = stmt
        .query_map(rusqlite::params_from_iter(params), |r| {
            r.get::<_, String>(0)
        })
        .map_err(backend)?
        .collect::<Result<Vec<String>, _>>()
        .map_err(backend)?;
    bodies.iter().map(|b| from_json(b)).collect()
}

/// `NotFound` unless exactly one row changed.
pub(crate) fn one_row(changed: usize) -> StoreResult<()> {
    if changed == 1 {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}
