//! `Idempotency-Key`: a POST retried with the same key and body gets the
//! first response again instead of acting twice.

use kassa_core::tenancy::Scope;
use kassa_store::{Claim, StoredResponse};
use time::Duration;

use crate::{App, AppError};

/// How long a key is remembered.
pub const KEY_LIFETIME: Duration = Duration::hours(24);
/// Longest key accepted (Stripe's limit).
pub const MAX_KEY_LEN: usize = 255;

impl App {
    /// Claims `key` for a request with this fingerprint (a hash of method,
    /// path and body). `Fresh` obliges the caller to finish or release it.
    pub async fn claim_idempotency_key(
        &self,
        scope: &Scope,
        key: &str,
        fingerprint: &str,
    ) -> Result<Claim, AppError> {
        if key.is_empty() || key.len() > MAX_KEY_LEN || !key.is_ascii() {
            return Err(AppError::unusable(
                "Idempotency-Key",
                format!("must be 1-{MAX_KEY_LEN} ASCII characters"),
            ));
        }
        let now = self.now();
        Ok(self
            .store
            .claim_key(scope, key, fingerprint, now, now - KEY_LIFETIME)
            .await?)
    }

    pub async fn finish_idempotency_key(
        &self,
        scope: &Scope,
        key: &str,
        status: u16,
        body: Vec<u8>,
    ) -> Result<(), AppError> {
        let response = StoredResponse { status, body };
        Ok(self.store.finish_key(scope, key, &response).await?)
    }

    pub async fn release_idempotency_key(&self, scope: &Scope, key: &str) -> Result<(), AppError> {
        Ok(self.store.release_key(scope, key).await?)
    }
}
