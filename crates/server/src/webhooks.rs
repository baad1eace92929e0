//! Wires the job queue's worker to the app: the app's own jobs and clocks,
//! each endpoint's deliveries shaped and signed by its dialect, woken by
//! every write that queues deliveries.

use std::sync::Arc;

use kassa_app::App;
use kassa_core::webhook::Dialect;
use kassa_jobs::{DeliveryWorker, Dialects, WebhookDialect, WorkerConfig, WorkerHandle};

pub fn start_worker(app: &Arc<App>, config: WorkerConfig) -> WorkerHandle {
    let dodo: Arc<dyn WebhookDialect> = Arc::new(kassa_api_dodo::DodoWebhooks::new(app.clone()));
    let dialects: Dialects = Arc::new(move |dialect| match dialect {
        Dialect::Dodo => dodo.clone(),
    });
    let worker = DeliveryWorker::new(
        app.store_handle(),
        app.clock(),
        dialects,
        app.clone(),
        config,
    );
    let handle = worker.start();
    app.on_new_deliveries(handle.waker());
    handle
}
