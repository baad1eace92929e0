//! Schema migrations: numbered SQL files compiled in, applied in order once
//! each, recorded in `kassa_migrations`. The numbers match the SQLite
//! backend's. Nodes starting together serialize on an advisory lock.

use sqlx::{AssertSqlSafe, PgPool};

/// Advisory lock key held while migrating ("KASSA" in ASCII).
const LOCK_KEY: i64 = 0x4b_41_53_53_41;

const MIGRATIONS: &[(i32, &str)] = &[
    (1, include_str!("../migrations/0001_init.sql")),
    (2, include_str!("../migrations/0002_checkout.sql")),
    (3, include_str!("../migrations/0003_payments.sql")),
    (4, include_str!("../migrations/0004_links.sql")),
    (5, include_str!("../migrations/0005_payment_methods.sql")),
    (6, include_str!("../migrations/0006_webhooks.sql")),
    (7, include_str!("../migrations/0007_session_index.sql")),
    (8, include_str!("../migrations/0008_records.sql")),
    (9, include_str!("../migrations/0009_jobs.sql")),
    (10, include_str!("../migrations/0010_neutral_names.sql")),
    (11, include_str!("../migrations/0011_jobs_due_by_kind.sql")),
    (
        12,
        include_str!("../migrations/0012_lookups_in_list_order.sql"),
    ),
    (13, include_str!("../migrations/0013_key_revocation.sql")),
];

/// Applies every pending migration in one transaction. The transaction-scoped
/// advisory lock makes a second node wait, then find nothing left to do.
pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(LOCK_KEY)
        .execute(&mut *tx)
        .await?;
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS kassa_migrations (
             version     INT PRIMARY KEY,
             applied_at  TIMESTAMPTZ NOT NULL DEFAULT now()
         )",
    )
    .execute(&mut *tx)
    .await?;
    for (version, sql) in MIGRATIONS {
        let applied: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM kassa_migrations WHERE version = $1)")
                .bind(version)
                .fetch_one(&mut *tx)
                .await?;
        if !applied {
            sqlx::raw_sql(*sql).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO kassa_migrations (version) VALUES ($1)")
                .bind(version)
                .execute(&mut *tx)
                .await?;
            tracing::info!(version, "applied PostgreSQL migration");
        }
    }
    tx.commit().await
}

/// Creates the schema `quoted` (an already quoted identifier) if missing,
/// under the migration lock: concurrent `CREATE SCHEMA IF NOT EXISTS` can
/// otherwise fail with a unique violation.
pub async fn create_schema(pool: &PgPool, quoted: &str) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(LOCK_KEY)
        .execute(&mut *tx)
        .await?;
    sqlx::raw_sql(AssertSqlSafe(format!(
        "CREATE SCHEMA IF NOT EXISTS {quoted}"
    )))
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}
