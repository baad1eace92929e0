//! The PostgreSQL store: the same tables and semantics as the SQLite
//! backend, for deployments that run several Kassa nodes on one database.
//!
//! Queries are runtime-checked (`sqlx::query` or `QueryBuilder` with binds,
//! never the compile-time macros); every change is one transaction, so
//! what SQLite's single writer serialises by construction PostgreSQL
//! serialises with row locks, unique indexes and, for count guards,
//! advisory locks (see `commit`).

mod commit;
mod idempotency;
mod jobs;
mod migrate;
mod records;
mod sql;
mod tenancy;
pub mod testing;
mod webhooks;

use std::str::FromStr;

use async_trait::async_trait;
use kassa_store::{Store, StoreError, StoreResult};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use time::OffsetDateTime;

/// Connections per node; several nodes share one server.
const MAX_CONNECTIONS: u32 = 10;

/// The PostgreSQL backend. Cheap to clone; all clones share one pool.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to `url` and applies any pending migrations.
    pub async fn connect(url: &str) -> StoreResult<PgStore> {
        let options = PgConnectOptions::from_str(url).map_err(backend)?;
        PgStore::open(options).await
    }

    /// Like [`PgStore::connect`], but every pooled connection works in
    /// `schema` (created if missing): each test gets a fresh, isolated one.
    pub async fn connect_with_schema(url: &str, schema: &str) -> StoreResult<PgStore> {
        let options = PgConnectOptions::from_str(url).map_err(backend)?;
        let quoted = quote_ident(schema);
        let setup = PgPoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await
            .map_err(backend)?;
        migrate::create_schema(&setup, &quoted)
            .await
            .map_err(backend)?;
        setup.close().await;
        PgStore::open(options.options([("search_path", quoted)])).await
    }

    async fn open(options: PgConnectOptions) -> StoreResult<PgStore> {
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .connect_with(options)
            .await
            .map_err(backend)?;
        migrate::migrate(&pool).await.map_err(backend)?;
        Ok(PgStore { pool })
    }

    /// The underlying pool (for tests and administration).
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

/// `name` as a double-quoted SQL identifier.
pub(crate) fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[async_trait]
impl Store for PgStore {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(backend)
    }
}

pub(crate) fn backend(e: sqlx::Error) -> StoreError {
    StoreError::Backend(Box::new(e))
}

/// A backend failure described in words (a corrupt row, a bad request of
/// the store's own API).
pub(crate) fn failure(what: String) -> StoreError {
    StoreError::Backend(what.into())
}

pub(crate) fn micros(t: OffsetDateTime) -> i64 {
    kassa_store::micros(t)
}

/// The instant a [`micros`] column holds.
pub(crate) fn from_micros(v: i64) -> StoreResult<OffsetDateTime> {
    kassa_store::from_micros(v).ok_or_else(|| failure(format!("{v} µs is no instant")))
}

/// A value as the text bound to a `body` column (cast to jsonb in SQL).
pub(crate) fn to_json<T: Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(StoreError::backend)
}

/// A `body::text` read back as its value.
pub(crate) fn from_json<T: DeserializeOwned>(body: &str) -> StoreResult<T> {
    serde_json::from_str(body).map_err(StoreError::backend)
}

/// `NotFound` unless exactly one row changed (the named queries).
pub(crate) fn one_row(changed: u64) -> StoreResult<()> {
    if changed == 1 {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}
