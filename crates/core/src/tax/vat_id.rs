//! EU VAT identification numbers, checked for format (not against VIES).
//!
//! A valid-format EU VAT id on a B2B sale means the buyer accounts for the
//! VAT (reverse charge), so Kassa charges none.

use crate::DomainError;
use crate::country::Country;

/// A VAT id whose country prefix and shape match the member state's format.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct EuVatId {
    normalized: String,
    country: Country,
}

/// Digits-only body lengths per prefix, and the odd formats handled below.
const DIGIT_FORMATS: &[(&str, &str, &[usize])] = &[
    ("BE", "BE", &[10]),
    ("BG", "BG", &[9, 10]),
    ("CZ", "CZ", &[8, 9, 10]),
    ("DE", "DE", &[9]),
    ("DK", "DK", &[8]),
    ("EE", "EE", &[9]),
    ("EL", "GR", &[9]),
    ("FI", "FI", &[8]),
    ("HR", "HR", &[11]),
    ("HU", "HU", &[8]),
    ("IT", "IT", &[11]),
    ("LT", "LT", &[9, 12]),
    ("LU", "LU", &[8]),
    ("LV", "LV", &[11]),
    ("MT", "MT", &[8]),
    ("PL", "PL", &[10]),
    ("PT", "PT", &[9]),
    ("RO", "RO", &[2, 3, 4, 5, 6, 7, 8, 9, 10]),
    ("SE", "SE", &[12]),
    ("SI", "SI", &[8]),
    ("SK", "SK", &[10]),
];

impl EuVatId {
    pub fn parse(raw: &str) -> Result<EuVatId, DomainError> {
        let normalized: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '.' && *c != '-')
            .collect::<String>()
            .to_ascii_uppercase();
        let invalid =
            || DomainError::invalid("tax_id", format!("`{raw}` is not a valid EU VAT number"));
        if normalized.len() < 4 || !normalized.is_ascii() {
            return Err(invalid());
        }
        let (prefix, body) = normalized.split_at(2);
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let alnum = |s: &str| s.bytes().all(|b| b.is_ascii_alphanumeric());
        let country_code = match prefix {
            "AT" if body.len() == 9 && body.starts_with('U') && digits(&body[1..]) => "AT",
            "CY" if body.len() == 9
                && digits(&body[..8])
                && body.as_bytes()[8].is_ascii_alphabetic() =>
            {
                "CY"
            }
            "ES" if body.len() == 9 && alnum(body) && digits(&body[1..8]) => "ES",
            "FR" if body.len() == 11 && alnum(&body[..2]) && digits(&body[2..]) => "FR",
            "IE" if (body.len() == 8 || body.len() == 9)
                && alnum(body)
                && body.as_bytes()[0].is_ascii_digit() =>
            {
                "IE"
            }
            "NL" if body.len() == 12
                && digits(&body[..9])
                && &body[9..10] == "B"
                && digits(&body[10..]) =>
            {
                "NL"
            }
            _ => DIGIT_FORMATS
                .iter()
                .find(|(p, _, lens)| *p == prefix && digits(body) && lens.contains(&body.len()))
                .map(|(_, country, _)| *country)
                .ok_or_else(invalid)?,
        };
        Ok(EuVatId {
            country: Country::parse(country_code).map_err(|_| invalid())?,
            normalized,
        })
    }

    /// The member state that issued it (`EL` ids are Greek: `GR`).
    pub fn country(&self) -> Country {
        self.country
    }

    pub fn as_str(&self) -> &str {
        &self.normalized
    }
}
