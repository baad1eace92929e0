//! Bounded text fields: names, descriptions, emails.

use crate::DomainError;

/// A trimmed, non-empty string of at most `max` characters.
pub fn required(field: &str, value: &str, max: usize) -> Result<String, DomainError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(DomainError::invalid(field, "must not be empty"));
    }
    bounded(field, value, max)
}

/// Any string of at most `max` characters (kept as given).
pub fn bounded(field: &str, value: &str, max: usize) -> Result<String, DomainError> {
    if value.chars().count() > max {
        return Err(DomainError::invalid(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(value.to_owned())
}

/// An email address in the loose `local@domain.tld` shape: no whitespace,
/// one `@`, a dot in the domain. Deliverability is not Kassa's business.
pub fn email(field: &str, value: &str) -> Result<String, DomainError> {
    let value = value.trim();
    let valid = value.len() <= 254
        && !value.chars().any(char::is_whitespace)
        && value.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if valid {
        Ok(value.to_owned())
    } else {
        Err(DomainError::invalid(field, "is not a valid email address"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_accepts_plain_addresses_and_refuses_junk() {
        assert_eq!(email("email", " a@b.co ").unwrap(), "a@b.co");
        for bad in ["", "a", "a@b", "@b.co", "a b@c.co", "a@@b.co", "a@.co"] {
            assert!(email("email", bad).is_err(), "{bad} accepted");
        }
    }
}
