//! Wire conventions shared by every Dodo resource: timestamps, metadata,
//! currencies, amounts, pages, and the double-option used by PATCH bodies.

use std::collections::BTreeMap;

use kassa_core::DomainError;
use kassa_core::clock::truncate_to_micros;
use kassa_core::metadata::{Metadata, MetadataValue};
use kassa_core::money::{Amount, Currency};
use kassa_core::page::Page;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

use crate::ApiError;

/// Dodo writes `2025-08-04T05:30:31.152232Z`: UTC, always six digits.
pub fn ts(t: OffsetDateTime) -> String {
    let fmt =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");
    t.to_offset(time::UtcOffset::UTC)
        .format(&fmt)
        .expect("a UTC timestamp always formats")
}

pub fn ts_opt(t: Option<OffsetDateTime>) -> Option<String> {
    t.map(ts)
}

/// Parses an RFC 3339 date-time from a request.
/// The instant must lie in years 1 to 9999 in UTC, so it can be written
/// back out in RFC 3339.
pub fn parse_ts(field: &str, raw: &str) -> Result<OffsetDateTime, ApiError> {
    OffsetDateTime::parse(raw, &Rfc3339)
        .ok()
        .and_then(|t| t.checked_to_offset(time::UtcOffset::UTC))
        .filter(|t| (1..=9999).contains(&t.year()))
        .map(truncate_to_micros)
        .ok_or_else(|| ApiError::InvalidBody {
            field: field.to_owned(),
            reason: format!("`{raw}` is not an RFC 3339 date-time"),
        })
}

pub fn parse_ts_opt(field: &str, raw: Option<&str>) -> Result<Option<OffsetDateTime>, ApiError> {
    raw.map(|r| parse_ts(field, r)).transpose()
}

/// For PATCH fields where `null` means "clear" and absence means "keep":
/// absent → `None`, `null` → `Some(None)`, value → `Some(Some(v))`.
/// Use with `#[serde(default, deserialize_with = "nullable")]`.
pub fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

pub type MetadataIn = BTreeMap<String, Value>;

pub fn metadata_in(raw: Option<MetadataIn>) -> Result<Metadata, ApiError> {
    let mut pairs = BTreeMap::new();
    for (key, value) in raw.unwrap_or_default() {
        let value = match value {
            Value::String(s) => MetadataValue::String(s),
            Value::Bool(b) => MetadataValue::Boolean(b),
            Value::Number(n) => match n.as_i64() {
                Some(i) => MetadataValue::Integer(i),
                None => MetadataValue::Number(n.as_f64().unwrap_or_default()),
            },
            _ => {
                return Err(ApiError::InvalidBody {
                    field: format!("metadata.{key}"),
                    reason: "must be a string, number or boolean".into(),
                });
            }
        };
        pairs.insert(key, value);
    }
    Ok(Metadata::new(pairs)?)
}

pub fn metadata_out(metadata: &Metadata) -> Value {
    let map = metadata
        .pairs()
        .iter()
        .map(|(k, v)| {
            let value = match v {
                MetadataValue::String(s) => Value::from(s.clone()),
                MetadataValue::Boolean(b) => Value::from(*b),
                MetadataValue::Integer(i) => Value::from(*i),
                MetadataValue::Number(n) => Value::from(*n),
            };
            (k.clone(), value)
        })
        .collect();
    Value::Object(map)
}

pub fn currency(field: &str, code: &str) -> Result<Currency, ApiError> {
    Currency::parse(code).ok_or_else(|| ApiError::UnsupportedCurrency {
        field: field.to_owned(),
        value: code.to_owned(),
    })
}

pub fn amount(field: &str, minor: i64) -> Result<Amount, DomainError> {
    Amount::new(field, minor)
}

pub fn page(number: Option<i64>, size: Option<i64>) -> Result<Page, ApiError> {
    Page::new(number, size).map_err(|e| ApiError::InvalidQuery(e.to_string()))
}

/// Dodo's page envelope: `{"items": [...]}` and nothing else.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Items<T> {
    pub items: Vec<T>,
}
