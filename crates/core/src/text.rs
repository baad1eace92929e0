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

/// Any string of at most `max` characters (kept as given), without
/// control characters other than tab and line breaks: no field has a use
/// for them, and PostgreSQL cannot store a NUL.
pub fn bounded(field: &str, value: &str, max: usize) -> Result<String, DomainError> {
    if value.chars().any(is_refused_control) {
        return Err(DomainError::invalid(
            field,
            "must not contain control characters",
        ));
    }
    if value.chars().count() > max {
        return Err(DomainError::invalid(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(value.to_owned())
}

/// C0 controls except tab, line feed and carriage return, and DEL.
pub fn is_refused_control(c: char) -> bool {
    (c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{7f}'
}

/// An email address in the loose `local@domain.tld` shape: no whitespace,
/// one `@`, a dot in the domain. Deliverability is not Kassa's business.
pub fn email(field: &str, value: &str) -> Result<String, DomainError> {
    let value = value.trim();
    let valid = value.len() <= 254
        && !value
            .chars()
            .any(|c| c.is_whitespace() || is_refused_control(c))
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

    #[test]
    fn text_keeps_tabs_and_line_breaks_and_refuses_other_controls() {
        assert!(bounded("d", "a\tb\nc\r", 10).is_ok());
        for bad in ["a\0b", "\u{1}", "x\u{1f}", "del\u{7f}"] {
            let e = required("name", bad, 10).unwrap_err();
            assert_eq!(e.field(), Some("name".into()), "{bad:?}");
        }
        assert!(email("email", "a\0@b.co").is_err());
    }
}
