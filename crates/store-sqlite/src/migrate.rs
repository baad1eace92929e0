//! Schema migrations: numbered SQL files compiled in, applied in order once
//! each, recorded in `schema_migrations`. PostgreSQL uses the same numbers.

use rusqlite::Connection;

/// Every migration by number, oldest first.
pub const MIGRATIONS: &[(i64, &str)] = &[
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

pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version INTEGER PRIMARY KEY,
             applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
         )",
    )?;
    for (version, sql) in MIGRATIONS {
        // IMMEDIATE: two processes opening a fresh file cannot both apply it.
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let applied: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = ?1)",
            [version],
            |r| r.get(0),
        )?;
        if !applied {
            tx.execute_batch(sql)?;
            tx.execute(
                "INSERT INTO schema_migrations (version) VALUES (?1)",
                [version],
            )?;
            tracing::info!(version, "applied SQLite migration");
        }
        tx.commit()?;
    }
    Ok(())
}
