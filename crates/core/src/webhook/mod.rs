//! Webhook endpoints, the events they subscribe to, and the rules of
//! delivering to them (signing, retry schedule, target policy).

mod delivery;
mod event;
pub mod limits;
mod retry;
mod signing;
mod target;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::DomainError;
use crate::id::WebhookEndpointId;

pub use delivery::{Attempt, DeliveryKey, DeliveryLog, DeliveryStatus};
pub use event::{Event, EventObject, EventType};
pub use retry::RetrySchedule;
pub use signing::WebhookSecret;
pub use target::{EndpointUrl, PrivateTargets, is_private};

/// How long a rotated-out secret still signs deliveries (Dodo: 24 h).
pub const ROTATION_OVERLAP: time::Duration = time::Duration::hours(24);

/// The API dialect an endpoint was registered through. Its deliveries are
/// shaped, signed and retried as that dialect's receivers expect.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dialect {
    /// Endpoints stored before dialects were recorded are Dodo's, the only
    /// dialect Kassa spoke then.
    #[default]
    Dodo,
}

impl Dialect {
    fn is_default(&self) -> bool {
        *self == Dialect::default()
    }
}

/// A merchant's webhook endpoint.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct WebhookEndpoint {
    pub id: WebhookEndpointId,
    /// Stored only when not the default, so bodies written before the
    /// field existed read and write back unchanged.
    #[serde(default, skip_serializing_if = "Dialect::is_default")]
    pub dialect: Dialect,
    pub url: EndpointUrl,
    pub description: String,
    pub metadata: BTreeMap<String, String>,
    /// Empty: every event type.
    pub filter_types: Vec<EventType>,
    pub headers: CustomHeaders,
    /// Deliveries per second, if limited.
    pub rate_limit: Option<u32>,
    pub disabled: bool,
    pub secret: WebhookSecret,
    /// The secret before the last rotation, valid until the given instant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_secret: Option<(WebhookSecret, OffsetDateTime)>,
    /// The key it was created with: a create repeated with it returns this
    /// endpoint instead of a second one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl WebhookEndpoint {
    /// Whether an event of this type goes to this endpoint.
    pub fn wants(&self, kind: EventType) -> bool {
        self.filter_types.is_empty() || self.filter_types.contains(&kind)
    }

    /// The secrets a delivery at `now` is signed with: the current one,
    /// and the previous one while its overlap lasts.
    pub fn signing_secrets(&self, now: OffsetDateTime) -> Vec<&WebhookSecret> {
        let mut secrets = vec![&self.secret];
        if let Some((old, until)) = &self.previous_secret
            && now < *until
        {
            secrets.push(old);
        }
        secrets
    }

    /// Replaces the secret; the old one keeps signing for [`ROTATION_OVERLAP`].
    pub fn rotate_secret(&mut self, now: OffsetDateTime) {
        let old = std::mem::replace(&mut self.secret, WebhookSecret::generate());
        self.previous_secret = Some((old, now + ROTATION_OVERLAP));
        self.updated_at = now;
    }
}

/// Headers an endpoint adds to each delivery, by lower-cased name.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CustomHeaders(BTreeMap<String, String>);

/// Headers Kassa sets itself whatever the dialect; an endpoint cannot
/// override them (nor the dialect's own, given to [`CustomHeaders::parse`]).
const RESERVED: &[&str] = &[
    "content-type",
    "content-length",
    "host",
    "connection",
    "transfer-encoding",
    "user-agent",
];

impl CustomHeaders {
    /// `signed` names the headers the dialect's deliveries carry (a name
    /// ending in `-` stands for every header it starts).
    pub fn parse(
        pairs: BTreeMap<String, String>,
        signed: &[&str],
    ) -> Result<CustomHeaders, DomainError> {
        limits::header_count(pairs.len())?;
        let mut out = BTreeMap::new();
        for (name, value) in pairs {
            limits::header(&name, &value)?;
            let lower = name.to_ascii_lowercase();
            let token = !lower.is_empty()
                && lower
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
            if !token {
                return Err(DomainError::invalid(
                    "headers",
                    format!("`{name}` is not a header name"),
                ));
            }
            let dialects = signed.iter().any(|s| match s.strip_suffix('-') {
                Some(_) => lower.starts_with(s),
                None => lower == *s,
            });
            if RESERVED.contains(&lower.as_str()) || dialects {
                return Err(DomainError::invalid(
                    "headers",
                    format!("`{name}` is set by Kassa and cannot be overridden"),
                ));
            }
            if value.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
                return Err(DomainError::invalid(
                    "headers",
                    format!("the value of `{name}` contains a line break"),
                ));
            }
            out.insert(lower, value);
        }
        Ok(CustomHeaders(out))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Adds or replaces the given headers.
    pub fn merge(&mut self, other: CustomHeaders) {
        self.0.extend(other.0);
    }

    /// Whether a header's value is a credential, shown by name only.
    pub fn is_sensitive(name: &str) -> bool {
        let name = name.to_ascii_lowercase();
        [
            "authorization",
            "cookie",
            "token",
            "secret",
            "key",
            "password",
            "auth",
            "signature",
        ]
        .iter()
        .any(|word| name.contains(word))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock, ManualClock};

    fn endpoint(now: OffsetDateTime) -> WebhookEndpoint {
        WebhookEndpoint {
            dialect: Dialect::Dodo,
            id: WebhookEndpointId::generate(),
            url: EndpointUrl::parse("https://example.com/hook").unwrap(),
            description: String::new(),
            metadata: BTreeMap::new(),
            filter_types: vec![EventType::PaymentSucceeded],
            headers: CustomHeaders::default(),
            rate_limit: None,
            disabled: false,
            secret: WebhookSecret::generate(),
            previous_secret: None,
            idempotency_key: None,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn an_endpoint_with_filter_types_wants_only_those_and_one_without_wants_all() {
        let now = ManualClock::new(OffsetDateTime::UNIX_EPOCH).now();
        let mut e = endpoint(now);
        assert!(e.wants(EventType::PaymentSucceeded));
        assert!(!e.wants(EventType::PaymentFailed));
        e.filter_types.clear();
        assert!(e.wants(EventType::PaymentFailed));
    }

    #[test]
    fn a_rotated_secret_signs_alongside_the_new_one_for_24_hours() {
        let clock = ManualClock::new(OffsetDateTime::UNIX_EPOCH);
        let mut e = endpoint(clock.now());
        let old = e.secret.clone();
        e.rotate_secret(clock.now());
        assert_ne!(e.secret, old);
        assert_eq!(e.signing_secrets(clock.now()), vec![&e.secret, &old]);
        clock.advance(ROTATION_OVERLAP);
        assert_eq!(e.signing_secrets(clock.now()), vec![&e.secret]);
    }

    #[test]
    fn custom_headers_cannot_override_the_signature_or_smuggle_lines() {
        let one = |k: &str, v: &str| BTreeMap::from([(k.to_owned(), v.to_owned())]);
        let parse = |pairs| CustomHeaders::parse(pairs, &["sig-", "x-stamp"]);
        assert!(parse(one("X-Shop", "a")).is_ok());
        assert!(parse(one("Sig-Anything", "v1,x")).is_err());
        assert!(parse(one("x-stamp", "1")).is_err());
        assert!(parse(one("x-stamped", "1")).is_ok());
        assert!(parse(one("Content-Type", "text/plain")).is_err());
        assert!(parse(one("X-A", "a\r\nX-B: b")).is_err());
        assert!(parse(one("bad name", "a")).is_err());
        assert!(CustomHeaders::is_sensitive("Authorization"));
        assert!(CustomHeaders::is_sensitive("x-api-key"));
        assert!(!CustomHeaders::is_sensitive("x-shop"));
    }
}
