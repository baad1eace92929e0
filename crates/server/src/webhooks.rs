//! Wires the job queue's worker to the app: the app's own jobs and clocks,
//! payloads rendered by the Dodo dialect, woken by every write that
//! queues deliveries.

use std::sync::Arc;

use async_trait::async_trait;
use kassa_app::App;
use kassa_core::tenancy::Scope;
use kassa_core::webhook::Event;
use kassa_jobs::{DeliveryWorker, Payloads, WorkerConfig, WorkerHandle};

/// Envelopes in Dodo's shape with the object's current state.
struct DodoPayloads(Arc<App>);

#[async_trait]
impl Payloads for DodoPayloads {
    async fn envelope(&self, scope: &Scope, event: &Event) -> Result<serde_json::Value, String> {
        kassa_api_dodo::render_event(&self.0, scope, event).await
    }
}

pub fn start_worker(app: &Arc<App>, config: WorkerConfig) -> WorkerHandle {
    let worker = DeliveryWorker::new(
        app.store_handle(),
        app.clock(),
        Arc::new(DodoPayloads(app.clone())),
        app.clone(),
        config,
    );
    let handle = worker.start();
    app.on_new_deliveries(handle.waker());
    handle
}
