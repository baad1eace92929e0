//! The embedded default store: one SQLite file in WAL mode, written by a
//! single writer thread with group commit, read through a small pool.

mod catalog_cache;
mod checkpoint;
mod idempotency;
mod jobs;
mod migrate;
mod reader;
mod records;
#[doc(hidden)]
pub mod sql;
mod tenancy;
mod webhooks;
mod writer;

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use kassa_store::{Store, StoreError, StoreResult};
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;

use reader::Readers;
use writer::Writer;

/// The schema migrations, for tests that apply some of them to rows as an
/// earlier Kassa stored them.
#[doc(hidden)]
pub use migrate::MIGRATIONS;

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
        // Each job of a group commit runs in its own savepoint, whose
        // journal copies every page the job first touches. On disk (the
        // default) that journal is a temporary file that is never
        // truncated within the transaction: past 64 KiB every page of every
        // job was a `pwrite` to it, the larger part of the writer's time
        // under the purchase load (`perf`: `subjournalPageIfRequired`). In
        // memory it is a copy, dropped as each savepoint is released.
        conn.pragma_update(None, "temp_store", "MEMORY")
            .map_err(backend)?;
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

pub(crate) fn micros(t: OffsetDateTime) -> i64 {
    kassa_store::micros(t)
}

/// The instant a [`micros`] column holds.
pub(crate) fn from_micros(v: i64) -> StoreResult<OffsetDateTime> {
    kassa_store::from_micros(v)
        .ok_or_else(|| StoreError::Backend(format!("{v} µs is no instant").into()))
}

pub(crate) fn to_json<T: Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Backend(Box::new(e)))
}

pub(crate) fn from_json<T: DeserializeOwned>(body: &str) -> StoreResult<T> {
    serde_json::from_str(body).map_err(|e| StoreError::Backend(Box::new(e)))
}

/// `NotFound` unless exactly one row changed (the named queries).
pub(crate) fn one_row(changed: usize) -> StoreResult<()> {
    if changed == 1 {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}
