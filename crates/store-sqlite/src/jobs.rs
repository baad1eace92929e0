//! The job queue on SQLite: leases taken in the writer (so two workers of
//! this process never take one job), due times by each business's test
//! clock, and the clocks themselves.

use async_trait::async_trait;
use kassa_core::id::{BusinessId, JobId};
use kassa_core::tenancy::{Mode, Scope};
use kassa_store::{JobEnd, JobStore, LeasedJob, NewJob, StoreError, StoreResult};
use rusqlite::{Connection, OptionalExtension, params};
use time::{Duration, OffsetDateTime};

use crate::{SqliteStore, backend, from_micros, micros};

/// The due condition: `run_at` by the job's scope's clock, `?now` wall
/// time in microseconds; the first bound lets the index do the work. A
/// delivery held for a disabled endpoint is never due (as in `next_due`).
pub(crate) const DUE: &str = "status = 'pending' AND run_at <= :bound
    AND run_at <= :now + CASE WHEN mode = 'test'
        THEN COALESCE((SELECT offset_us FROM test_clocks c WHERE c.business_id = jobs.business_id), 0)
        ELSE 0 END
    AND (lease_until IS NULL OR lease_until < :now)
    AND NOT (kind = 'deliver' AND EXISTS (
        SELECT 1 FROM webhook_endpoints e WHERE e.id = jobs.subject AND e.disabled = 1))";

const COLUMNS: &str =
    "id, business_id, mode, kind, key, subject, event_id, payload, run_at, attempts";

fn corrupt(what: &str) -> StoreError {
    StoreError::Backend(format!("corrupt jobs row: {what}").into())
}

pub(crate) fn read_job(r: &rusqlite::Row<'_>) -> StoreResult<LeasedJob> {
    let text = |i: usize| r.get::<_, String>(i).map_err(backend);
    Ok(LeasedJob {
        id: text(0)?,
        scope: Scope {
            business: BusinessId::parse(&text(1)?).map_err(|_| corrupt("business"))?,
            mode: Mode::parse(&text(2)?).ok_or_else(|| corrupt("mode"))?,
        },
        kind: text(3)?,
        key: text(4)?,
        subject: r.get(5).map_err(backend)?,
        event: r.get(6).map_err(backend)?,
        payload: text(7)?,
        run_at: from_micros(r.get(8).map_err(backend)?)?,
        attempt: r.get::<_, u32>(9).map_err(backend)?,
    })
}

/// The largest offset of any test clock: no job can be due later than
/// wall time plus it.
pub(crate) fn bound(c: &Connection, now: i64) -> StoreResult<i64> {
    let max: i64 = c
        .query_row(
            "SELECT COALESCE(max(offset_us), 0) FROM test_clocks",
            [],
            |r| r.get(0),
        )
        .map_err(backend)?;
    Ok(now.saturating_add(max.max(0)))
}

/// Writes jobs a change schedules; a key already scheduled keeps the first.
pub(crate) fn insert_jobs(c: &Connection, scope: &Scope, jobs: &[NewJob]) -> StoreResult<()> {
    for job in jobs {
        c.prepare_cached(
            "INSERT INTO jobs (id, business_id, mode, kind, key, subject, event_id, payload,
                               run_at, status, created_at, updated_at)
             VALUES (?10, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending', ?9, ?9)
             ON CONFLICT (kind, key) DO NOTHING",
        )
        .and_then(|mut s| {
            s.execute(params![
                scope.business.as_str(),
                scope.mode.as_str(),
                job.kind,
                job.key,
                job.subject,
                job.event,
                job.payload,
                micros(job.run_at),
                micros(job.created_at),
                JobId::generate().as_str()
            ])
        })
        .map_err(backend)?;
    }
    Ok(())
}

/// Cancels the pending job of `kind` under `key`, if there is one.
pub(crate) fn cancel_job(c: &Connection, scope: &Scope, kind: &str, key: &str) -> StoreResult<()> {
    c.prepare_cached(
        "UPDATE jobs SET status = 'cancelled', lease_owner = NULL, lease_until = NULL
         WHERE kind = ?1 AND key = ?2 AND status = 'pending' AND business_id = ?3 AND mode = ?4",
    )
    .and_then(|mut s| {
        s.execute(params![
            kind,
            key,
            scope.business.as_str(),
            scope.mode.as_str()
        ])
    })
    .map_err(backend)?;
    Ok(())
}

/// Ends `worker`'s run of a job; false when its lease was lost.
pub(crate) fn end_job(
    c: &Connection,
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
    let changed = c
        .prepare_cached(
            "UPDATE jobs SET status = ?1, run_at = COALESCE(?2, run_at), last_error = ?3,
                 lease_owner = NULL, lease_until = NULL, updated_at = ?4
             WHERE id = ?5 AND lease_owner = ?6 AND status = 'pending'",
        )
        .and_then(|mut s| s.execute(params![status, run_at, error, micros(now), id, worker]))
        .map_err(backend)?;
    Ok(changed == 1)
}

#[async_trait]
impl JobStore for SqliteStore {
    async fn lease_jobs(
        &self,
        worker: &str,
        kinds: &[&'static str],
        now: OffsetDateTime,
        lease_for: Duration,
        limit: usize,
    ) -> StoreResult<Vec<LeasedJob>> {
        let worker = worker.to_owned();
        // Kinds are names from code; anything else never reaches the SQL.
        if let Some(bad) = kinds
            .iter()
            .find(|k| k.is_empty() || !k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        {
            return Err(StoreError::Backend(
                format!("`{bad}` is no job kind").into(),
            ));
        }
        let kinds = kinds
            .iter()
            .map(|k| format!("'{k}'"))
            .collect::<Vec<_>>()
            .join(", ");
        self.writer
            .write(move |c| {
                let now_us = micros(now);
                let sql = format!(
                    "UPDATE jobs SET lease_owner = :worker, lease_until = :until, attempts = attempts + 1
                     WHERE id IN (SELECT id FROM jobs WHERE {DUE} AND kind IN ({kinds})
                                  ORDER BY run_at LIMIT :limit)
                     RETURNING {COLUMNS}"
                );
                let mut stmt = c.prepare_cached(&sql).map_err(backend)?;
                let mut rows = stmt
                    .query(rusqlite::named_params! {
                        ":worker": worker,
                        ":until": micros(now + lease_for),
                        ":bound": bound(c, now_us)?,
                        ":now": now_us,
                        ":limit": limit as i64,
                    })
                    .map_err(backend)?;
                let mut out = Vec::new();
                while let Some(r) = rows.next().map_err(backend)? {
                    out.push(read_job(r)?);
                }
                out.sort_by_key(|j| j.run_at);
                Ok(out)
            })
            .await
    }

    async fn next_due(
        &self,
        scope: &Scope,
        until: OffsetDateTime,
    ) -> StoreResult<Option<(OffsetDateTime, u64)>> {
        let scope = scope.clone();
        self.readers
            .read(move |c| {
                let (first, n): (Option<i64>, i64) = c
                    .prepare_cached(
                        "SELECT min(run_at), count(*) FROM jobs j
                         WHERE j.business_id = ?1 AND j.mode = ?2 AND j.status = 'pending'
                           AND j.run_at <= ?3
                           AND NOT (j.kind = 'deliver' AND EXISTS (
                               SELECT 1 FROM webhook_endpoints e
                               WHERE e.id = j.subject AND e.disabled = 1))",
                    )
                    .and_then(|mut s| {
                        s.query_row(
                            params![scope.business.as_str(), scope.mode.as_str(), micros(until)],
                            |r| Ok((r.get(0)?, r.get(1)?)),
                        )
                    })
                    .map_err(backend)?;
                match first {
                    Some(at) => Ok(Some((from_micros(at)?, n as u64))),
                    None => Ok(None),
                }
            })
            .await
    }

    async fn finish_job(
        &self,
        worker: &str,
        id: &str,
        end: &JobEnd,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        let (worker, id, end) = (worker.to_owned(), id.to_owned(), end.clone());
        self.writer
            .write(move |c| end_job(c, &worker, &id, &end, now))
            .await
    }

    async fn defer_job(&self, worker: &str, id: &str, at: OffsetDateTime) -> StoreResult<()> {
        let (worker, id) = (worker.to_owned(), id.to_owned());
        self.writer
            .write(move |c| {
                c.prepare_cached(
                    "UPDATE jobs SET run_at = ?1, attempts = attempts - 1,
                         lease_owner = NULL, lease_until = NULL
                     WHERE id = ?2 AND lease_owner = ?3",
                )
                .and_then(|mut s| s.execute(params![micros(at), id, worker]))
                .map_err(backend)?;
                Ok(())
            })
            .await
    }

    async fn clock_offset(&self, business: &BusinessId) -> StoreResult<Duration> {
        let business = business.to_string();
        self.readers
            .read(move |c| {
                let offset: Option<i64> = c
                    .prepare_cached("SELECT offset_us FROM test_clocks WHERE business_id = ?1")
                    .and_then(|mut s| s.query_row([&business], |r| r.get(0)).optional())
                    .map_err(backend)?;
                Ok(Duration::microseconds(offset.unwrap_or(0)))
            })
            .await
    }

    async fn advance_clock(
        &self,
        business: &BusinessId,
        offset: Duration,
    ) -> StoreResult<Duration> {
        let business = business.to_string();
        let offset_us = offset.whole_microseconds().clamp(0, i64::MAX as i128) as i64;
        self.writer
            .write(move |c| {
                let now: i64 = c
                    .prepare_cached(
                        "INSERT INTO test_clocks (business_id, offset_us) VALUES (?1, ?2)
                         ON CONFLICT (business_id) DO UPDATE
                             SET offset_us = max(offset_us, excluded.offset_us)
                         RETURNING offset_us",
                    )
                    .and_then(|mut s| s.query_row(params![business, offset_us], |r| r.get(0)))
                    .map_err(backend)?;
                Ok(Duration::microseconds(now))
            })
            .await
    }
}
