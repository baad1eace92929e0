//! Merchant metadata: at most 50 key/value pairs echoed back verbatim.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// Dodo's cap (`MAXIMUM_KEYS_REACHED` above it).
pub const MAX_KEYS: usize = 50;
pub const MAX_KEY_LEN: usize = 40;
pub const MAX_VALUE_LEN: usize = 500;

/// One metadata value. `Number` is a merchant's free-form datum, never money.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MetadataValue {
    Boolean(bool),
    Integer(i64),
    Number(f64),
    String(String),
}

/// Key/value pairs in key order, bounded by [`MAX_KEYS`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Metadata(BTreeMap<String, MetadataValue>);

impl Metadata {
    pub fn new(pairs: BTreeMap<String, MetadataValue>) -> Result<Metadata, DomainError> {
        if pairs.len() > MAX_KEYS {
            return Err(DomainError::TooManyMetadataKeys {
                max: MAX_KEYS,
                got: pairs.len(),
            });
        }
        for (key, value) in &pairs {
            if key.is_empty() || key.chars().count() > MAX_KEY_LEN {
                return Err(DomainError::invalid(
                    "metadata",
                    format!("keys must be 1 to {MAX_KEY_LEN} characters (`{key}`)"),
                ));
            }
            if let MetadataValue::String(s) = value
                && s.chars().count() > MAX_VALUE_LEN
            {
                return Err(DomainError::invalid(
                    format!("metadata.{key}"),
                    format!("must be at most {MAX_VALUE_LEN} characters"),
                ));
            }
        }
        Ok(Metadata(pairs))
    }

    pub fn pairs(&self) -> &BTreeMap<String, MetadataValue> {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_keys(n: usize) -> BTreeMap<String, MetadataValue> {
        (0..n)
            .map(|i| (format!("k{i}"), MetadataValue::Integer(i as i64)))
            .collect()
    }

    #[test]
    fn fifty_keys_are_accepted_and_fifty_one_refused() {
        assert!(Metadata::new(with_keys(50)).is_ok());
        assert_eq!(
            Metadata::new(with_keys(51)),
            Err(DomainError::TooManyMetadataKeys { max: 50, got: 51 })
        );
    }
}
