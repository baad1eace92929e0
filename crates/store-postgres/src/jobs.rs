//! The job queue on PostgreSQL: leases taken with `FOR UPDATE SKIP LOCKED`
//! (so several nodes on one database never lease one job), due times by
//! each business's test clock, and the clocks themselves. The steps a
//! change makes on jobs (schedule, cancel, finish) run in its transaction.

use async_trait::async_trait;
use kassa_core::id::{BusinessId, JobId};
use kassa_core::tenancy::{Mode, Scope};
use kassa_store::{JobEnd, JobStore, LeasedJob, NewJob, StoreError, StoreResult};
use sqlx::postgres::PgRow;
use sqlx::{AssertSqlSafe, PgConnection, Row};
use time::{Duration, OffsetDateTime};

use crate::{PgStore, backend, from_micros, micros};

/// A new job's id for a statement that writes several: the time-ordered
/// [`JobId`] bound as `$head`, told apart per row by a random tail.
pub(crate) fn new_ids(head: &str) -> String {
    format!("{head}::text || substr(md5(random()::text), 1, 8)")
}

/// The database's wall clock in microseconds (bookkeeping columns only:
/// due times always come from the caller's `now`).
pub(crate) const DB_NOW: &str = "(extract(epoch FROM clock_timestamp()) * 1000000)::bigint";

/// Whether the job `j` is due at `$now` (wall time, microseconds): its
/// `run_at` by its scope's clock (a test-mode business's may be ahead),
/// and no lease on it holds. The first bound, by the furthest clock,
/// lets the `jobs_due` index do the work.
pub(crate) fn due(now: &str) -> String {
    format!(
        "j.status = 'pending'
         AND j.run_at <= {now} + (SELECT COALESCE(max(offset_us), 0) FROM test_clocks)
         AND j.run_at <= {now} + CASE WHEN j.mode = 'test' THEN COALESCE(
             (SELECT c.offset_us FROM test_clocks c WHERE c.business_id = j.business_id), 0)
             ELSE 0 END
         AND (j.lease_until IS NULL OR j.lease_until < {now})"
    )
}

/// The furthest a test clock goes: 2^62 µs (some 146,000 years) is past
/// every instant a job can name, and wall time plus it never overflows.
const MAX_OFFSET_US: i64 = 1 << 62;

/// Not a delivery held for a disabled endpoint (which waits, unleased and
/// not counted due, until the endpoint is enabled again).
const NOT_HELD: &str = "NOT (j.kind = 'deliver' AND EXISTS (
    SELECT 1 FROM webhook_endpoints e WHERE e.id = j.subject AND e.disabled))";

/// A lease is one more attempt (a lapsed one counts: its run may have
/// done anything), so `attempts` is the number of the leased run.
const TAKE_LEASE: &str = "lease_owner = $1, lease_until = $2, attempts = j.attempts + 1";

const COLUMNS: &str = "j.id, j.business_id, j.mode, j.kind, j.key, j.subject, j.event_id, j.payload, j.run_at, j.attempts";

fn corrupt(what: &str) -> StoreError {
    StoreError::Backend(format!("corrupt jobs row: {what}").into())
}

fn read_job(r: &PgRow) -> StoreResult<LeasedJob> {
    let text = |i: usize| r.try_get::<String, _>(i).map_err(backend);
    Ok(LeasedJob {
        id: text(0)?,
        scope: Scope {
            business: BusinessId::parse(&text(1)?).map_err(|_| corrupt("business"))?,
            mode: Mode::parse(&text(2)?).ok_or_else(|| corrupt("mode"))?,
        },
        kind: text(3)?,
        key: text(4)?,
        subject: r.try_get(5).map_err(backend)?,
        event: r.try_get(6).map_err(backend)?,
        payload: text(7)?,
        run_at: from_micros(r.try_get(8).map_err(backend)?)?,
        attempt: u32::try_from(r.try_get::<i64, _>(9).map_err(backend)?)
            .map_err(|_| corrupt("attempts"))?,
    })
}

/// Writes the jobs a change schedules; a key already scheduled (by this
/// change or any other) keeps the first job.
pub(crate) async fn insert_jobs(
    conn: &mut PgConnection,
    scope: &Scope,
    jobs: &[NewJob],
) -> StoreResult<()> {
    for job in jobs {
        sqlx::query(
            "INSERT INTO jobs (id, business_id, mode, kind, key, subject, event_id, payload,
                               run_at, status, created_at, updated_at)
             VALUES ($10, $1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $9)
             ON CONFLICT (kind, key) DO NOTHING",
        )
        .bind(scope.business.as_str())
        .bind(scope.mode.as_str())
        .bind(job.kind)
        .bind(&job.key)
        .bind(&job.subject)
        .bind(&job.event)
        .bind(&job.payload)
        .bind(micros(job.run_at))
        .bind(micros(job.created_at))
        .bind(JobId::generate().as_str())
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    }
    Ok(())
}

/// Cancels the scope's pending job of `kind` under `key`, if there is one
/// (a running one too: its worker's end is then refused).
pub(crate) async fn cancel_job(
    conn: &mut PgConnection,
    scope: &Scope,
    kind: &str,
    key: &str,
) -> StoreResult<()> {
    sqlx::query(AssertSqlSafe(format!(
        "UPDATE jobs SET status = 'cancelled', lease_owner = NULL, lease_until = NULL,
             updated_at = {DB_NOW}
         WHERE kind = $1 AND key = $2 AND business_id = $3 AND mode = $4
           AND status = 'pending'"
    )))
    .bind(kind)
    .bind(key)
    .bind(scope.business.as_str())
    .bind(scope.mode.as_str())
    .execute(&mut *conn)
    .await
    .map_err(backend)?;
    Ok(())
}

/// Ends `worker`'s run of a job; false when its lease was lost (another
/// worker took it, or it was cancelled or ended meanwhile). The update
/// waits for any transaction holding the row, then re-checks the lease.
pub(crate) async fn end_job(
    conn: &mut PgConnection,
    worker: &str,
    id: &str,
    end: &JobEnd,
    now: OffsetDateTime,
) -> StoreResult<bool> {
    let (status, run_at, error) = match end {
        JobEnd::Succeeded => ("succeeded", None, None),
        JobEnd::RetryAt(at, why) => ("pending", Some(micros(*at)), Some(why.as_str())),
        JobEnd::Failed(why) => ("failed", None, Some(why.as_str())),
    };
    let done = sqlx::query(
        "UPDATE jobs SET status = $1, run_at = COALESCE($2, run_at), last_error = $3,
             lease_owner = NULL, lease_until = NULL, updated_at = $4
         WHERE id = $5 AND lease_owner = $6 AND status = 'pending'",
    )
    .bind(status)
    .bind(run_at)
    .bind(error)
    .bind(micros(now))
    .bind(id)
    .bind(worker)
    .execute(&mut *conn)
    .await
    .map_err(backend)?;
    Ok(done.rows_affected() == 1)
}

#[async_trait]
impl JobStore for PgStore {
    async fn lease_jobs(
        &self,
        worker: &str,
        kinds: &[&'static str],
        now: OffsetDateTime,
        lease_for: Duration,
        limit: usize,
    ) -> StoreResult<Vec<LeasedJob>> {
        if kinds.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let due = due("$3");
        let rows = sqlx::query(AssertSqlSafe(format!(
            "WITH picked AS (
                 SELECT j.id FROM jobs j
                 WHERE {due} AND j.kind = ANY($4) AND {NOT_HELD}
                 ORDER BY j.run_at LIMIT $5
                 FOR UPDATE OF j SKIP LOCKED)
             UPDATE jobs j SET {TAKE_LEASE}
             FROM picked WHERE j.id = picked.id
             RETURNING {COLUMNS}"
        )))
        .bind(worker)
        .bind(micros(now + lease_for))
        .bind(micros(now))
        .bind(kinds)
        .bind(limit as i64)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        let mut out = rows.iter().map(read_job).collect::<StoreResult<Vec<_>>>()?;
        // RETURNING keeps no order.
        out.sort_by_key(|j| j.run_at);
        Ok(out)
    }

    async fn next_due(
        &self,
        scope: &Scope,
        until: OffsetDateTime,
    ) -> StoreResult<Option<(OffsetDateTime, u64)>> {
        let (first, n): (Option<i64>, i64) = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT min(j.run_at), count(*) FROM jobs j
             WHERE j.business_id = $1 AND j.mode = $2 AND j.status = 'pending'
               AND j.run_at <= $3 AND {NOT_HELD}"
        )))
        .bind(scope.business.as_str())
        .bind(scope.mode.as_str())
        .bind(micros(until))
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?;
        match first {
            Some(at) => Ok(Some((from_micros(at)?, n as u64))),
            None => Ok(None),
        }
    }

    async fn finish_job(
        &self,
        worker: &str,
        id: &str,
        end: &JobEnd,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        end_job(&mut conn, worker, id, end, now).await
    }

    async fn defer_job(&self, worker: &str, id: &str, at: OffsetDateTime) -> StoreResult<()> {
        sqlx::query(AssertSqlSafe(format!(
            "UPDATE jobs SET run_at = $1, attempts = attempts - 1,
                 lease_owner = NULL, lease_until = NULL, updated_at = {DB_NOW}
             WHERE id = $2 AND lease_owner = $3 AND status = 'pending'"
        )))
        .bind(micros(at))
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn clock_offset(&self, business: &BusinessId) -> StoreResult<Duration> {
        let offset: Option<i64> =
            sqlx::query_scalar("SELECT offset_us FROM test_clocks WHERE business_id = $1")
                .bind(business.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?;
        Ok(Duration::microseconds(offset.unwrap_or(0)))
    }

    async fn advance_clock(
        &self,
        business: &BusinessId,
        offset: Duration,
    ) -> StoreResult<Duration> {
        let offset_us = offset.whole_microseconds().clamp(0, MAX_OFFSET_US.into()) as i64;
        let now: i64 = sqlx::query_scalar(
            "INSERT INTO test_clocks (business_id, offset_us) VALUES ($1, $2)
             ON CONFLICT (business_id) DO UPDATE
                 SET offset_us = GREATEST(test_clocks.offset_us, EXCLUDED.offset_us)
             RETURNING offset_us",
        )
        .bind(business.as_str())
        .bind(offset_us)
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?;
        Ok(Duration::microseconds(now))
    }
}
