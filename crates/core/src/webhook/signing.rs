//! Endpoint secrets and Standard Webhooks signatures.
//!
//! The signed content is `{webhook-id}.{webhook-timestamp}.{body}`, keyed by
//! the base64-decoded secret (without `whsec_`), HMAC-SHA256, base64: what
//! the `standardwebhooks` libraries inside Dodo's SDKs verify.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::DomainError;

const PREFIX: &str = "whsec_";
/// Svix and Dodo secrets carry 24 random bytes (32 base64 characters).
const KEY_BYTES: usize = 24;

/// A `whsec_…` signing secret. Its key bytes are what gets signed with.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct WebhookSecret {
    text: String,
    key: Vec<u8>,
}

impl WebhookSecret {
    pub fn generate() -> WebhookSecret {
        let mut key = vec![0u8; KEY_BYTES];
        rand::rng().fill_bytes(&mut key);
        WebhookSecret {
            text: format!("{PREFIX}{}", STANDARD.encode(&key)),
            key,
        }
    }

    pub fn parse(text: &str) -> Result<WebhookSecret, DomainError> {
        let encoded = text.strip_prefix(PREFIX).unwrap_or(text);
        let key = STANDARD
            .decode(encoded)
            .ok()
            .filter(|k| k.len() >= 16)
            .ok_or_else(|| {
                DomainError::invalid("secret", "must be whsec_ and at least 16 bytes of base64")
            })?;
        Ok(WebhookSecret {
            text: format!("{PREFIX}{encoded}"),
            key,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// `v1,<base64 HMAC-SHA256>` of one message.
    pub fn sign(&self, msg_id: &str, timestamp: i64, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(msg_id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
    }
}

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret(…)")
    }
}

impl TryFrom<String> for WebhookSecret {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, DomainError> {
        WebhookSecret::parse(&value)
    }
}

impl From<WebhookSecret> for String {
    fn from(s: WebhookSecret) -> String {
        s.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_matches_the_standard_webhooks_reference_vector() {
        // The example from the Standard Webhooks specification's test suite.
        let secret = WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let body = br#"{"test": 2432232314}"#;
        assert_eq!(
            secret.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn generated_secrets_round_trip_through_their_text() {
        let secret = WebhookSecret::generate();
        assert!(secret.as_str().starts_with("whsec_"));
        assert_eq!(WebhookSecret::parse(secret.as_str()).unwrap(), secret);
        assert_ne!(WebhookSecret::generate(), secret);
    }
}
