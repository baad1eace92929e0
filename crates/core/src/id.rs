//! Typed object ids: a Dodo prefix plus 21 base62 characters.
//!
//! The shape matters on the wire: the overlay SDK rejects a checkout session
//! id of any other shape, so every id Kassa mints has exactly this form.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Number of base62 characters after the prefix.
pub const ID_BODY_LEN: usize = 21;

/// Leading characters that encode the minting millisecond (62^8 ms lasts
/// until the year 8900); the other 13 (~77 bits) are random.
const TIME_LEN: usize = 8;

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `n` characters drawn uniformly from base62.
///
/// The bytes come from the thread-local CSPRNG (ChaCha, seeded and
/// periodically reseeded from the OS): as unpredictable as the OS source for
/// secrets and ids, without a system call on every request.
pub fn random_base62(n: usize) -> String {
    use rand::RngCore;
    let mut out = String::with_capacity(n);
    let mut buf = [0u8; 64];
    let mut rng = rand::rng();
    while out.len() < n {
        rng.fill_bytes(&mut buf);
        // Rejection sampling keeps the distribution uniform: 248 = 4 * 62.
        for b in buf.iter().filter(|b| **b < 248) {
            if out.len() == n {
                break;
            }
            out.push(BASE62[(*b % 62) as usize] as char);
        }
    }
    out
}

/// An id body that sorts by minting time: new rows land at the right edge
/// of every primary-key index instead of on a random leaf page, which is
/// what lets a durable commit write a few pages rather than one per row.
/// Uniqueness and unguessability come from the random tail alone.
pub fn time_ordered_base62() -> String {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let mut head = [b'0'; TIME_LEN];
    let mut rest = millis;
    for slot in head.iter_mut().rev() {
        *slot = BASE62[(rest % 62) as usize];
        rest /= 62;
    }
    let mut out = String::with_capacity(ID_BODY_LEN);
    out.push_str(std::str::from_utf8(&head).expect("base62 is ASCII"));
    out.push_str(&random_base62(ID_BODY_LEN - TIME_LEN));
    out
}

/// The given string is not an id of the expected kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a valid {kind} id")]
pub struct IdError {
    pub kind: &'static str,
    pub value: String,
}

macro_rules! define_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, $kind:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub const PREFIX: &'static str = $prefix;

            /// A fresh id: time-ordered head, random tail.
            pub fn generate() -> Self {
                Self(format!("{}{}", $prefix, time_ordered_base62()))
            }

            /// Accepts only `prefix` + 21 base62 characters.
            pub fn parse(value: &str) -> Result<Self, IdError> {
                let ok = value
                    .strip_prefix($prefix)
                    .is_some_and(|body| {
                        body.len() == ID_BODY_LEN && body.bytes().all(|b| b.is_ascii_alphanumeric())
                    });
                if ok {
                    Ok(Self(value.to_owned()))
                } else {
                    Err(IdError { kind: $kind, value: value.to_owned() })
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(value: String) -> Result<Self, IdError> {
                Self::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }
    };
}

define_id!(/// A tenant: owns every other object.
    BusinessId, "bus_", "business");
define_id!(/// An API key record (not the secret itself).
    ApiKeyId, "key_", "API key");
define_id!(ProductId, "pdt_", "product");
define_id!(AddonId, "adn_", "addon");
define_id!(CustomerId, "cus_", "customer");
define_id!(DiscountId, "dsc_", "discount");
define_id!(BrandId, "brnd_", "brand");
define_id!(CheckoutSessionId, "cks_", "checkout session");
define_id!(PaymentId, "pay_", "payment");
define_id!(PaymentMethodId, "pm_", "payment method");
define_id!(WebhookEndpointId, "whk_", "webhook");
define_id!(/// An event, sent as `webhook-id`.
    EventId, "evt_", "event");
define_id!(/// A durable job. Time-ordered like every id, so the jobs table's
    /// primary-key index grows at its right edge instead of taking a
    /// random page per insert (a random id made each new job dirty a page
    /// of its own, and checkouts slowed as the table grew).
    JobId, "job_", "job");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_have_prefix_and_21_base62_chars() {
        let id = ProductId::generate();
        assert!(id.as_str().starts_with("pdt_"));
        assert_eq!(id.as_str().len(), 4 + ID_BODY_LEN);
        assert_eq!(ProductId::parse(id.as_str()), Ok(id));
    }

    #[test]
    fn ids_minted_in_a_later_millisecond_sort_after_earlier_ones() {
        let first = PaymentId::generate();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let second = PaymentId::generate();
        assert!(first < second, "{first} should sort before {second}");
        assert_ne!(first.as_str()[12..], second.as_str()[12..]);
    }

    #[test]
    fn ids_of_another_kind_or_shape_are_refused() {
        let customer = CustomerId::generate();
        assert!(ProductId::parse(customer.as_str()).is_err());
        assert!(ProductId::parse("pdt_short").is_err());
        assert!(ProductId::parse("pdt_aaaaaaaaaaaaaaaaaaaa-").is_err());
    }
}
