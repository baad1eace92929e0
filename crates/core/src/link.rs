//! Short links: a slug on Kassa's host that redirects to a checkout page —
//! a session's (`short_link: true`) or a product's static link with preset
//! parameters (`POST /products/{id}/short_links`).
//!
//! Slugs share one namespace across all businesses, because the URL does.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::DomainError;
use crate::id::{BusinessId, ProductId, random_base62};

/// Length of the slugs Kassa mints (Dodo's link ids are 8 characters).
pub const MINTED_SLUG_LEN: usize = 8;

/// `[A-Za-z0-9_-]`, 3 to 64 characters.
#[derive(Clone, PartialEq, Eq, Debug, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    pub fn parse(field: &str, raw: &str) -> Result<Slug, DomainError> {
        let ok = (3..=64).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            Ok(Slug(raw.to_owned()))
        } else {
            Err(DomainError::invalid(
                field,
                format!("`{raw}` is not a slug: use 3 to 64 letters, digits, `-` or `_`"),
            ))
        }
    }

    /// A fresh random slug for a session's short link.
    pub fn mint() -> Slug {
        Slug(random_base62(MINTED_SLUG_LEN))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Slug {
    type Error = DomainError;
    fn try_from(raw: String) -> Result<Slug, DomainError> {
        Slug::parse("slug", &raw)
    }
}

impl From<Slug> for String {
    fn from(slug: Slug) -> String {
        slug.0
    }
}

#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct ShortLink {
    pub slug: Slug,
    pub business: BusinessId,
    /// Set for a product's link; `None` for a session's.
    pub product: Option<ProductId>,
    /// Where the link leads: a path and query on Kassa's own host, so the
    /// link keeps working when the public URL changes.
    pub target: String,
    pub created_at: OffsetDateTime,
}

impl ShortLink {
    /// Path on Kassa's host that redirects to [`target`](Self::target).
    pub fn path(&self) -> String {
        format!("/l/{}", self.slug.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_three_to_sixty_four_url_safe_characters() {
        assert!(Slug::parse("slug", "summer-sale_2026").is_ok());
        assert!(Slug::parse("slug", "ab").is_err());
        assert!(Slug::parse("slug", &"a".repeat(65)).is_err());
        assert!(Slug::parse("slug", "no spaces").is_err());
        assert!(Slug::parse("slug", "../etc").is_err());
        assert_eq!(Slug::mint().as_str().len(), MINTED_SLUG_LEN);
    }
}
