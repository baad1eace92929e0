//! PostgreSQL for the benchmarks: a fresh schema per store, dropped when
//! the run ends, so a run neither sees nor leaves data in a database that
//! others use; and the raw ceiling of perf-limits.md P5.

use std::sync::atomic::{AtomicU32, Ordering};

use anyhow::Context;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use serde_json::{Value, json};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::{AssertSqlSafe, Connection, PgConnection};

/// The ceiling's pool: perf-limits.md P5 measured 16 connections.
pub const POOL: u32 = 16;

/// A schema of the database `base` names, dropped (with everything in it)
/// when this is.
pub struct Schema {
    base: String,
    pub name: String,
}

impl Schema {
    /// Creates a schema no other run uses: the process id keeps concurrent
    /// runs apart, the time a run from a reused pid whose cleanup failed.
    pub async fn create(base: &str, what: &str) -> anyhow::Result<Schema> {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "kassa_bench_{what}_{}_{}_{}",
            std::process::id(),
            time::OffsetDateTime::now_utc().unix_timestamp(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut conn = PgConnection::connect(base)
            .await
            .context("connecting to the benchmark's PostgreSQL")?;
        sqlx::raw_sql(AssertSqlSafe(format!("CREATE SCHEMA \"{name}\"")))
            .execute(&mut conn)
            .await?;
        conn.close().await?;
        Ok(Schema {
            base: base.to_owned(),
            name,
        })
    }

    /// `base` with every connection's `search_path` set to the schema, so
    /// a store opened on it (Kassa's migrations included) works only there.
    pub fn url(&self) -> String {
        let sep = if self.base.contains('?') { '&' } else { '?' };
        format!("{}{sep}options=-c%20search_path%3D{}", self.base, self.name)
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        let (base, name) = (self.base.clone(), self.name.clone());
        // Drop may run inside the benchmark's runtime, which cannot be
        // blocked on: clean up on a thread with a runtime of its own.
        let cleanup = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(async {
                let mut conn = PgConnection::connect(&base).await?;
                sqlx::raw_sql(AssertSqlSafe(format!(
                    "DROP SCHEMA IF EXISTS \"{name}\" CASCADE"
                )))
                .execute(&mut conn)
                .await?;
                conn.close().await?;
                anyhow::Ok(())
            })
        });
        match cleanup.join() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("could not drop schema {}: {e}", self.name),
            Err(_) => eprintln!("could not drop schema {}: cleanup panicked", self.name),
        }
    }
}

/// The ceiling: axum parsing the JSON body, one autocommit
/// `INSERT … RETURNING` of it as text through a pool of [`POOL`]
/// connections, and a small JSON answer, as perf-limits.md P5 measured.
pub struct RawCeiling {
    /// `http://127.0.0.1:<port>/payments`.
    pub url: String,
    pool: PgPool,
    schema: Schema,
}

impl RawCeiling {
    pub async fn start(base: &str) -> anyhow::Result<RawCeiling> {
        let schema = Schema::create(base, "raw").await?;
        let pool = PgPoolOptions::new()
            .min_connections(POOL)
            .max_connections(POOL)
            .connect(&schema.url())
            .await?;
        sqlx::raw_sql("CREATE TABLE payments (id bigserial PRIMARY KEY, body text NOT NULL)")
            .execute(&pool)
            .await?;
        let app = axum::Router::new()
            .route("/payments", post(insert))
            .with_state(pool.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}/payments", listener.local_addr()?);
        tokio::spawn(async move { axum::serve(listener, app).await });
        Ok(RawCeiling { url, pool, schema })
    }

    pub fn schema_name(&self) -> &str {
        &self.schema.name
    }

    /// Closes the pool's connections (the server's too), then drops the
    /// schema.
    pub async fn stop(self) {
        self.pool.close().await;
    }
}

async fn insert(
    State(pool): State<PgPool>,
    Json(body): Json<Value>,
) -> Result<Json<Value>, StatusCode> {
    let id: i64 = sqlx::query_scalar("INSERT INTO payments (body) VALUES ($1) RETURNING id")
        .bind(body.to_string())
        .fetch_one(&pool)
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(Json(json!({"id": id, "status": "created"})))
}
