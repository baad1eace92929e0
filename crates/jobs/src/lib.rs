//! The durable job queue's worker: it leases due jobs from the store and
//! runs them, webhook deliveries (shaped and signed by their endpoint's
//! dialect, sent and recorded attempt by attempt) and every kind the
//! application defines ([`JobRunner`]). Any number of workers (processes
//! or nodes) may run on one store; leases keep them from running one job
//! twice.

mod delivery;
mod resolver;
mod runner;
mod worker;

pub use delivery::{Dialects, Sender, WebhookDialect};
pub use runner::JobRunner;
pub use worker::{DeliveryWorker, WorkerConfig, WorkerHandle};
