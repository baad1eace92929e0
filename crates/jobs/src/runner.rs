//! What the queue's worker needs from the application: the kinds of job it
//! runs and how, and the time by each scope's clock (a test-mode business
//! may run ahead of the wall clock).

use async_trait::async_trait;
use kassa_core::tenancy::Scope;
use kassa_store::{JobEnd, LeasedJob};
use time::OffsetDateTime;

#[async_trait]
pub trait JobRunner: Send + Sync {
    /// The kinds [`run`](JobRunner::run) knows (webhook deliveries are the
    /// worker's own).
    fn kinds(&self) -> &'static [&'static str];
    /// Runs a leased job; the worker records how it ended (a run that
    /// committed its end with its effect makes that a no-op).
    async fn run(&self, worker: &str, job: &LeasedJob) -> JobEnd;
    /// Now, by the scope's clock.
    async fn now_in(&self, scope: &Scope) -> OffsetDateTime;
}
