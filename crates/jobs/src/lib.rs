//! Durable background work. Today: the webhook delivery worker, which
//! leases due deliveries from the store, signs and sends them, and records
//! each attempt. Any number of workers (processes or nodes) may run on one
//! store; leases keep them from making the same attempt twice.

mod canonical;
mod delivery;
mod worker;

pub use canonical::to_canonical_json;
pub use delivery::{Payloads, Sender};
pub use worker::{DeliveryWorker, WorkerConfig, WorkerHandle};
