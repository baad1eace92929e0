//! How much one webhook endpoint may carry. Every delivery sends its
//! headers and every read returns its fields, so each is bounded as the
//! rest of the API's objects are; without bounds one endpoint could hold a
//! megabyte of headers that every delivery then carries.

use std::collections::BTreeMap;

use crate::DomainError;
use crate::metadata::{Metadata, MetadataValue};
use crate::text;

pub const MAX_DESCRIPTION: usize = 1_000;
/// Custom headers per endpoint, after a merge too.
pub const MAX_HEADERS: usize = 50;
pub const MAX_HEADER_NAME: usize = 256;
/// Characters of one header's value.
pub const MAX_HEADER_VALUE: usize = 4_096;
/// Entries of `filter_types` as sent (each type counts once when stored).
pub const MAX_FILTER_TYPES: usize = 100;

/// An endpoint's description, at most [`MAX_DESCRIPTION`] characters.
pub fn description(raw: String) -> Result<String, DomainError> {
    text::bounded("description", &raw, MAX_DESCRIPTION)?;
    Ok(raw)
}

/// An endpoint's metadata, bounded as every object's is (50 keys,
/// `MAXIMUM_KEYS_REACHED` in Dodo's words, keys of 1 to 40 characters,
/// values of at most 500).
pub fn metadata(pairs: BTreeMap<String, String>) -> Result<BTreeMap<String, String>, DomainError> {
    let as_values = pairs
        .iter()
        .map(|(k, v)| (k.clone(), MetadataValue::String(v.clone())))
        .collect();
    Metadata::new(as_values)?;
    Ok(pairs)
}

/// `filter_types` may name at most [`MAX_FILTER_TYPES`] entries.
pub fn filter_entries(count: usize) -> Result<(), DomainError> {
    if count > MAX_FILTER_TYPES {
        return Err(DomainError::invalid(
            "filter_types",
            format!("must have at most {MAX_FILTER_TYPES} entries (got {count})"),
        ));
    }
    Ok(())
}

/// At most [`MAX_HEADERS`] custom headers.
pub fn header_count(count: usize) -> Result<(), DomainError> {
    if count > MAX_HEADERS {
        return Err(DomainError::invalid(
            "headers",
            format!("an endpoint carries at most {MAX_HEADERS} custom headers (got {count})"),
        ));
    }
    Ok(())
}

/// One custom header's name and value within their limits.
pub fn header(name: &str, value: &str) -> Result<(), DomainError> {
    if name.chars().count() > MAX_HEADER_NAME {
        return Err(DomainError::invalid(
            "headers",
            format!("header names are at most {MAX_HEADER_NAME} characters"),
        ));
    }
    if value.chars().count() > MAX_HEADER_VALUE {
        return Err(DomainError::invalid(
            format!("headers.{name}"),
            format!("must be at most {MAX_HEADER_VALUE} characters"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifty_headers_are_allowed_and_fifty_one_are_not() {
        assert!(header_count(MAX_HEADERS).is_ok());
        assert!(header_count(MAX_HEADERS + 1).is_err());
    }

    #[test]
    fn a_header_value_over_4_kib_names_the_header() {
        let e = header("x-big", &"v".repeat(MAX_HEADER_VALUE + 1)).unwrap_err();
        assert!(e.to_string().contains("headers.x-big"), "{e}");
        assert!(header("x-big", &"v".repeat(MAX_HEADER_VALUE)).is_ok());
    }

    #[test]
    fn metadata_takes_the_same_fifty_keys_as_every_object() {
        let keys = |n: usize| (0..n).map(|i| (format!("k{i}"), "v".to_owned())).collect();
        assert!(metadata(keys(50)).is_ok());
        assert!(matches!(
            metadata(keys(51)),
            Err(DomainError::TooManyMetadataKeys { .. })
        ));
    }
}
