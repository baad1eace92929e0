//! The durable job queue's named queries, and the per-business test
//! clock the queue runs by.
//!
//! A job is a row of `jobs`: a kind, a payload, a time it is due by its
//! scope's clock, a dedup key unique per kind (scheduling a key twice
//! keeps the first), and a lease. Jobs are written by the commit of the
//! change that causes them ([`Changes::schedule`](crate::Changes::schedule)),
//! so a job exists exactly when its cause does. Any node may lease a due
//! job; a lease is exclusive until it lapses, and a job is finished only
//! by the worker holding its lease, so each job's effect happens once.
//!
//! Time: live mode runs on the wall clock. Each test-mode business may
//! have a clock ahead of it by an offset that only grows; a test-mode job
//! is due when its `run_at` is at or before wall time plus that offset.

use async_trait::async_trait;
use kassa_core::id::BusinessId;
use kassa_core::tenancy::Scope;
use time::{Duration, OffsetDateTime};

use crate::StoreResult;

/// The kind of the jobs the outbox writes: one webhook delivery each
/// (subject: the endpoint; event: the event; key: `event:endpoint`).
pub const DELIVER: &str = "deliver";

/// A job to write with a change.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct NewJob {
    /// What runs it (`deliver`, `expire_session`…), named by the app.
    pub kind: &'static str,
    /// Unique per kind: a job scheduled again under its key is not added.
    pub key: String,
    /// When it is due, by its scope's clock.
    pub run_at: OffsetDateTime,
    /// The object it is about (an endpoint, a session, a payment), for
    /// the logs that list jobs by it.
    pub subject: Option<String>,
    /// The event that caused it, if one did.
    pub event: Option<String>,
    /// What the job needs, as the app serialised it.
    pub payload: String,
    /// When it was scheduled (wall time; bookkeeping only).
    pub created_at: OffsetDateTime,
}

/// Where a job stands.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum JobStatus {
    Pending,
    Succeeded,
    Failed,
    Cancelled,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Pending => "pending",
            JobStatus::Succeeded => "succeeded",
            JobStatus::Failed => "failed",
            JobStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<JobStatus> {
        [
            JobStatus::Pending,
            JobStatus::Succeeded,
            JobStatus::Failed,
            JobStatus::Cancelled,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }
}

/// A due job, held by one worker until its lease lapses.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct LeasedJob {
    pub id: String,
    pub scope: Scope,
    pub kind: String,
    pub key: String,
    pub subject: Option<String>,
    pub event: Option<String>,
    pub payload: String,
    pub run_at: OffsetDateTime,
    /// The number of the attempt about to be made (1 for the first).
    pub attempt: u32,
}

/// What a run leaves the job as.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum JobEnd {
    Succeeded,
    /// Due again at this time (by the scope's clock), with why it failed.
    RetryAt(OffsetDateTime, String),
    /// Given up, with why.
    Failed(String),
}

#[async_trait]
pub trait JobStore {
    /// Leases up to `limit` jobs of these kinds due at `now` (wall time; a
    /// test-mode job by its business's clock) to `worker` for `lease_for`,
    /// the earliest due first.
    async fn lease_jobs(
        &self,
        worker: &str,
        kinds: &[&'static str],
        now: OffsetDateTime,
        lease_for: Duration,
        limit: usize,
    ) -> StoreResult<Vec<LeasedJob>>;
    /// The earliest `run_at` of the scope's pending jobs due at or before
    /// `until` (by the scope's clock), and how many such jobs there are;
    /// deliveries held for a disabled endpoint do not count. What
    /// advancing a test clock steps through, in due order.
    async fn next_due(
        &self,
        scope: &Scope,
        until: OffsetDateTime,
    ) -> StoreResult<Option<(OffsetDateTime, u64)>>;
    /// Records how `worker`'s run of the job ended. `Ok(false)` when the
    /// lease was lost meanwhile: nothing is written.
    async fn finish_job(
        &self,
        worker: &str,
        id: &str,
        end: &JobEnd,
        now: OffsetDateTime,
    ) -> StoreResult<bool>;
    /// Gives a leased job back unrun, due again at `at` (a rate limit).
    async fn defer_job(&self, worker: &str, id: &str, at: OffsetDateTime) -> StoreResult<()>;

    /// How far the business's test clock is ahead of wall time.
    async fn clock_offset(&self, business: &BusinessId) -> StoreResult<Duration>;
    /// Moves the business's test clock to `offset` ahead of wall time,
    /// unless it is already further: returns the offset it now has.
    async fn advance_clock(&self, business: &BusinessId, offset: Duration)
    -> StoreResult<Duration>;
}
