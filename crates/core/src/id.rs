//! Typed object ids: a Dodo prefix plus 21 base62 characters.
//!
//! The shape matters on the wire: the overlay SDK rejects a checkout session
//! id of any other shape, so every id Kassa mints has exactly this form.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Number of random base62 characters after the prefix.
pub const ID_BODY_LEN: usize = 21;

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `n` characters drawn uniformly from base62 using the OS random source.
pub fn random_base62(n: usize) -> String {
    let mut out = String::with_capacity(n);
    let mut buf = [0u8; 64];
    while out.len() < n {
        getrandom::fill(&mut buf).expect("the OS random source is available");
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

            /// A fresh random id.
            pub fn generate() -> Self {
                Self(format!("{}{}", $prefix, random_base62(ID_BODY_LEN)))
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
    fn ids_of_another_kind_or_shape_are_refused() {
        let customer = CustomerId::generate();
        assert!(ProductId::parse(customer.as_str()).is_err());
        assert!(ProductId::parse("pdt_short").is_err());
        assert!(ProductId::parse("pdt_aaaaaaaaaaaaaaaaaaaa-").is_err());
    }
}
