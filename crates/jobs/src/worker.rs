//! The worker loop: lease what is due (deliveries, then the application's
//! jobs), run each concurrently, record how it ended.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use kassa_core::clock::Clock;
use kassa_core::id::WebhookEndpointId;
use kassa_core::webhook::{DeliveryKey, PrivateTargets, RetrySchedule};
use kassa_store::{LeasedDelivery, LeasedJob, Store};
use tokio::sync::{Notify, Semaphore, watch};
use tokio::task::JoinHandle;

use crate::delivery::{Dialects, Sender};
use crate::runner::JobRunner;

/// How a worker runs.
#[derive(Clone, Debug)]
pub struct WorkerConfig {
    /// The operator's retry schedule for every delivery; `None`: each
    /// endpoint's dialect's own.
    pub schedule: Option<RetrySchedule>,
    /// How long a leased delivery is this worker's; longer than `timeout`,
    /// so a live worker never loses a lease mid-attempt.
    pub lease: time::Duration,
    /// Connect + response timeout of one attempt (Dodo: 15 s).
    pub timeout: std::time::Duration,
    /// Attempts in flight at once.
    pub concurrency: usize,
    /// How often to look for due deliveries when nothing wakes the worker.
    pub poll: std::time::Duration,
    pub private_targets: PrivateTargets,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            schedule: None,
            lease: time::Duration::seconds(60),
            timeout: std::time::Duration::from_secs(15),
            concurrency: 64,
            poll: std::time::Duration::from_millis(500),
            private_targets: PrivateTargets::TestOnly,
        }
    }
}

/// The running worker: wake it when deliveries are queued, stop it on
/// shutdown.
pub struct WorkerHandle {
    wake: Arc<Notify>,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl WorkerHandle {
    /// Something to call after a write that queued deliveries.
    pub fn waker(&self) -> Arc<dyn Fn() + Send + Sync> {
        let wake = self.wake.clone();
        Arc::new(move || wake.notify_one())
    }

    /// Stops leasing and waits for attempts in flight. Attempts cut short
    /// by the process ending are made again once their lease lapses.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// A webhook delivery worker over one store.
pub struct DeliveryWorker {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    dialects: Dialects,
    runner: Arc<dyn JobRunner>,
    sender: Arc<Sender>,
    config: WorkerConfig,
    /// Unique per process start, so a restarted worker never claims the
    /// leases of its previous life.
    id: String,
    limiter: Arc<RateLimiter>,
}

impl DeliveryWorker {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        dialects: Dialects,
        runner: Arc<dyn JobRunner>,
        config: WorkerConfig,
    ) -> DeliveryWorker {
        let sender = Sender::new(
            config.timeout,
            config.schedule.clone(),
            config.private_targets,
        );
        DeliveryWorker {
            store,
            clock,
            dialects,
            runner,
            sender: Arc::new(sender),
            id: format!("w{}-{:016x}", std::process::id(), rand::random::<u64>()),
            config,
            limiter: Arc::new(RateLimiter::default()),
        }
    }

    pub fn start(self) -> WorkerHandle {
        let wake = Arc::new(Notify::new());
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(self.run(wake.clone(), stopped));
        WorkerHandle { wake, stop, task }
    }

    async fn run(self, wake: Arc<Notify>, mut stopped: watch::Receiver<bool>) {
        let this = Arc::new(self);
        let permits = Arc::new(Semaphore::new(this.config.concurrency));
        tracing::info!(worker = %this.id, "webhook delivery worker started");
        while !*stopped.borrow() {
            let free = permits.available_permits();
            let leased = if free == 0 {
                Vec::new()
            } else {
                let now = this.clock.now();
                match this
                    .store
                    .lease_deliveries(&this.id, now, this.config.lease, free)
                    .await
                {
                    Ok(leased) => leased,
                    Err(e) => {
                        tracing::warn!(error = %e, "leasing webhook deliveries failed");
                        Vec::new()
                    }
                }
            };
            let mut full = !leased.is_empty() && leased.len() == free;
            let free = free - leased.len();
            let jobs = if free == 0 {
                Vec::new()
            } else {
                match this
                    .store
                    .lease_jobs(
                        &this.id,
                        this.runner.kinds(),
                        this.clock.now(),
                        this.config.lease,
                        free,
                    )
                    .await
                {
                    Ok(jobs) => jobs,
                    Err(e) => {
                        tracing::warn!(error = %e, "leasing jobs failed");
                        Vec::new()
                    }
                }
            };
            full |= !jobs.is_empty() && jobs.len() == free;
            for job in jobs {
                let permit = permits.clone().acquire_owned().await.expect("never closed");
                let this = this.clone();
                tokio::spawn(async move {
                    this.run_job(job).await;
                    drop(permit);
                });
            }
            for delivery in leased {
                let permit = permits.clone().acquire_owned().await.expect("never closed");
                let this = this.clone();
                tokio::spawn(async move {
                    this.deliver(delivery).await;
                    drop(permit);
                });
            }
            if full {
                // More may be due: lease again once a quarter of the slots
                // are free, so each lease (a durable write) takes a batch.
                let refill = (this.config.concurrency / 4).max(1) as u32;
                let _ = permits.acquire_many(refill).await;
                continue;
            }
            tokio::select! {
                () = wake.notified() => {}
                () = tokio::time::sleep(this.config.poll) => {}
                _ = stopped.changed() => {}
            }
        }
        // Wait for attempts in flight: every permit back means none left.
        let _ = permits.acquire_many(this.config.concurrency as u32).await;
        tracing::info!(worker = %this.id, "webhook delivery worker stopped");
    }

    async fn run_job(&self, job: LeasedJob) {
        let end = self.runner.run(&self.id, &job).await;
        tracing::debug!(job = %job.id, kind = %job.kind, ?end, "job run");
        if let Err(e) = self
            .store
            .finish_job(&self.id, &job.id, &end, self.clock.now())
            .await
        {
            tracing::warn!(job = %job.id, error = %e, "recording a job's end failed");
        }
    }

    async fn deliver(&self, leased: LeasedDelivery) {
        let key = DeliveryKey {
            event: leased.event.id.clone(),
            endpoint: leased.endpoint.id.clone(),
        };
        // Attempts happen on the scope's clock: a walk through Dodo's retry
        // schedule on a test clock records each at its scheduled offset.
        let now = self.runner.now_in(&leased.scope).await;
        if let Some(limit) = leased.endpoint.rate_limit
            && !self.limiter.admit(&leased.endpoint.id, limit, now)
        {
            let next_second =
                now + time::Duration::milliseconds(1_000 - i64::from(now.millisecond()));
            if let Err(e) = self.store.defer_delivery(&self.id, &key, next_second).await {
                tracing::warn!(error = %e, "deferring a rate-limited delivery failed");
            }
            return;
        }
        let outcome = self
            .sender
            .attempt(
                &leased,
                (self.dialects)(leased.endpoint.dialect).as_ref(),
                now,
            )
            .await;
        tracing::debug!(
            event = %key.event, endpoint = %key.endpoint, attempt = outcome.attempt.number,
            status = ?outcome.attempt.status_code, "webhook attempt"
        );
        match self
            .store
            .finish_attempt(
                &self.id,
                &key,
                &outcome.attempt,
                outcome.after,
                outcome.gone,
            )
            .await
        {
            Ok(true) => {}
            Ok(false) => tracing::warn!(event = %key.event, "webhook lease lost before recording"),
            Err(e) => tracing::warn!(error = %e, "recording a webhook attempt failed"),
        }
    }
}

/// Per-endpoint deliveries per second (an endpoint's `rate_limit`), counted
/// by this worker; several workers each allow the limit.
#[derive(Default)]
struct RateLimiter(Mutex<HashMap<WebhookEndpointId, (i64, u32)>>);

impl RateLimiter {
    fn admit(&self, endpoint: &WebhookEndpointId, limit: u32, now: time::OffsetDateTime) -> bool {
        let second = now.unix_timestamp();
        let mut map = self.0.lock().expect("limiter lock");
        let slot = map.entry(endpoint.clone()).or_insert((second, 0));
        if slot.0 != second {
            *slot = (second, 0);
        }
        if slot.1 >= limit {
            return false;
        }
        slot.1 += 1;
        true
    }
}
