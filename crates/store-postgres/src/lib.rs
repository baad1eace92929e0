//! The PostgreSQL store: the same tables and semantics as the SQLite
//! backend, for deployments that run several Kassa nodes on one database.
//!
//! Queries are runtime-checked (`sqlx::query` with binds, never the
//! compile-time macros), every write is one statement or one transaction,
//! and lists page with `LIMIT`/`OFFSET` newest first.

mod brands;
mod catalog;
mod checkout;
mod customers;
mod discounts;
mod links;
mod methods;
mod migrate;
mod payments;
mod tenancy;
mod webhooks;

use std::str::FromStr;

use async_trait::async_trait;
use kassa_core::page::Page;
use kassa_core::tenancy::Scope;
use kassa_store::{Store, StoreError, StoreResult};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::types::Json;
use sqlx::{PgExecutor, PgPool, Postgres, QueryBuilder};
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

/// Maps a unique violation (SQLSTATE 23505) to a conflict on `what`.
pub(crate) fn conflict(e: sqlx::Error, what: &'static str) -> StoreError {
    match e.as_database_error().and_then(|d| d.code()) {
        Some(code) if code == "23505" => StoreError::Conflict { what },
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

/// A domain value as the `body` column's bind value (jsonb).
pub(crate) fn to_json<T: Serialize>(value: &T) -> StoreResult<Json<serde_json::Value>> {
    serde_json::to_value(value)
        .map(Json)
        .map_err(|e| StoreError::Backend(Box::new(e)))
}

pub(crate) fn from_json<T: DeserializeOwned>(body: Json<serde_json::Value>) -> StoreResult<T> {
    serde_json::from_value(body.0).map_err(|e| StoreError::Backend(Box::new(e)))
}

/// `SELECT body FROM {table} WHERE business_id = $1 AND mode = $2`, for
/// callers to extend with `AND …` conditions.
pub(crate) fn scoped(table: &str, scope: &Scope) -> QueryBuilder<Postgres> {
    let mut q = QueryBuilder::new(format!("SELECT body FROM {table} WHERE business_id = "));
    q.push_bind(scope.business.to_string())
        .push(" AND mode = ")
        .push_bind(scope.mode.as_str());
    q
}

/// Decodes every `body` the query returns.
pub(crate) async fn fetch_bodies<'c, T: DeserializeOwned>(
    ex: impl PgExecutor<'c>,
    q: &mut QueryBuilder<Postgres>,
) -> StoreResult<Vec<T>> {
    let bodies: Vec<Json<serde_json::Value>> = q
        .build_query_scalar()
        .fetch_all(ex)
        .await
        .map_err(backend)?;
    bodies.into_iter().map(from_json).collect()
}

/// Decodes the first `body` the query returns, if any.
pub(crate) async fn fetch_body<'c, T: DeserializeOwned>(
    ex: impl PgExecutor<'c>,
    q: &mut QueryBuilder<Postgres>,
) -> StoreResult<Option<T>> {
    let body: Option<Json<serde_json::Value>> = q
        .build_query_scalar()
        .fetch_optional(ex)
        .await
        .map_err(backend)?;
    body.map(from_json).transpose()
}

/// The one row of `table` with this id in this scope, decoded. `extra` is
/// a constant SQL condition (`AND …`) or empty.
/// A row of `table` found by id alone, with the scope it belongs to: for
/// the URLs that are capabilities (a session's page, a product's static
/// link), where no API key says which business is asking.
pub(crate) async fn find_anywhere<'c, T: DeserializeOwned>(
    db: impl PgExecutor<'c>,
    table: &str,
    id: &str,
    business: impl Fn(&T) -> kassa_core::id::BusinessId,
) -> StoreResult<Option<(Scope, T)>> {
    use sqlx::Row;
    let mut q = QueryBuilder::new(format!("SELECT mode, body FROM {table} WHERE id = "));
    q.push_bind(id.to_owned());
    let row = q.build().fetch_optional(db).await.map_err(backend)?;
    let Some(row) = row else {
        return Ok(None);
    };
    let mode: String = row.try_get(0).map_err(backend)?;
    let value: T = from_json(row.try_get(1).map_err(backend)?)?;
    let mode = kassa_core::tenancy::Mode::parse(&mode)
        .ok_or_else(|| StoreError::Backend(format!("bad mode `{mode}` in {table}").into()))?;
    let scope = Scope {
        business: business(&value),
        mode,
    };
    Ok(Some((scope, value)))
}

pub(crate) async fn get_one<'c, T: DeserializeOwned>(
    ex: impl PgExecutor<'c>,
    table: &str,
    scope: &Scope,
    id: &str,
    extra: &str,
) -> StoreResult<Option<T>> {
    let mut q = scoped(table, scope);
    q.push(" AND id = ").push_bind(id.to_owned()).push(" ");
    q.push(extra);
    fetch_body(ex, &mut q).await
}

/// A page of the rows `q` selects (a [`scoped`] query plus conditions),
/// newest first.
pub(crate) async fn list_page<T: DeserializeOwned>(
    pool: &PgPool,
    mut q: QueryBuilder<Postgres>,
    page: Page,
) -> StoreResult<Vec<T>> {
    q.push(" ORDER BY created_at DESC, id DESC LIMIT ")
        .push_bind(i64::from(page.size))
        .push(" OFFSET ")
        .push_bind(page.offset() as i64);
    fetch_bodies(pool, &mut q).await
}

/// `NotFound` unless exactly one row changed.
pub(crate) fn one_row(changed: u64) -> StoreResult<()> {
    if changed == 1 {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}
