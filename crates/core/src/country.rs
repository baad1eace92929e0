//! ISO 3166-1 alpha-2 country codes.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::country_codes::ALPHA2;

/// An assigned ISO 3166-1 alpha-2 code, upper case.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Country([u8; 2]);

impl Country {
    pub fn parse(code: &str) -> Result<Self, DomainError> {
        ALPHA2
            .binary_search(&code)
            .map(|_| {
                let b = code.as_bytes();
                Country([b[0], b[1]])
            })
            .map_err(|_| {
                DomainError::invalid(
                    "country",
                    format!("`{code}` is not an ISO 3166-1 alpha-2 code"),
                )
            })
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("country codes are ASCII")
    }

    /// Every country Kassa's checkout accepts.
    pub fn all() -> impl Iterator<Item = Country> {
        ALPHA2
            .iter()
            .map(|c| Country::parse(c).expect("table entries are valid"))
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for Country {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, DomainError> {
        Country::parse(&value)
    }
}

impl From<Country> for String {
    fn from(c: Country) -> String {
        c.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_has_every_assigned_code() {
        assert!(ALPHA2.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(ALPHA2.len(), 249);
        assert_eq!(Country::parse("DE").unwrap().as_str(), "DE");
        assert!(Country::parse("de").is_err());
        assert!(Country::parse("XX").is_err());
    }
}
