//! The durable job queue's worker: it leases due jobs from the store and
//! runs them, webhook deliveries (signed, sent and recorded attempt by
//! attempt) and every kind the application defines ([`JobRunner`]). Any
//! number of workers (processes or nodes) may run on one store; leases
//! keep them from running one job twice.

mod canonical;
mod delivery;
mod runner;
mod worker;

pub use canonical::to_canonical_json;
pub use delivery::{Payloads, Sender};
pub use runner::JobRunner;
pub use worker::{DeliveryWorker, WorkerConfig, WorkerHandle};
