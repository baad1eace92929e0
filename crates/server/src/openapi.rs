//! Kassa's own OpenAPI 3.1 document, served at `/openapi.json`: the
//! dialects' operations as their routers describe them, and the server's
//! own (health, readiness, metrics, this document).
//!
//! It is built from the same `#[utoipa::path]` descriptions the routers are
//! made from, so it lists exactly the routes served; it is serialized once
//! per process (the routes are the same for every server in it).

use std::sync::OnceLock;

use axum::body::Bytes;
use utoipa::openapi::OpenApi;
use utoipa::openapi::info::InfoBuilder;

static DOCUMENT: OnceLock<Bytes> = OnceLock::new();

/// Serializes the document of the first router built in this process.
pub fn publish(doc: OpenApi) {
    DOCUMENT.get_or_init(|| document(doc));
}

/// The published document.
pub fn published() -> Bytes {
    DOCUMENT.get().cloned().unwrap_or_default()
}

/// The whole document, with Kassa's `info`, as JSON.
pub fn document(mut doc: OpenApi) -> Bytes {
    doc.info = InfoBuilder::new()
        .title("Kassa")
        .version(env!("CARGO_PKG_VERSION"))
        .description(Some(
            "Self-hosted checkout and payments. The Dodo Payments dialect is served at the root, \
             as the official `dodopayments` SDKs call it; Kassa's own extras are under `/kassa/`. \
             Where this document is stricter or looser than Dodo's own, the schema's description \
             says why. Every POST takes an optional `Idempotency-Key` header: the same key with \
             the same body replays the stored response (`Idempotent-Replayed: true`); with another \
             body it is a 409.",
        ))
        .build();
    Bytes::from(serde_json::to_vec(&doc).expect("an OpenAPI document serializes"))
}
