//! Brands: the name, descriptor and support contact a customer sees.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::DomainError;
use crate::id::{BrandId, BusinessId};
use crate::text;

/// Card networks allow 22 characters on a statement.
pub const MAX_STATEMENT_DESCRIPTOR: usize = 22;

#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Brand {
    pub id: BrandId,
    pub business: BusinessId,
    pub name: Option<String>,
    pub description: Option<String>,
    pub statement_descriptor: String,
    pub support_email: Option<String>,
    pub url: Option<String>,
    pub image: Option<String>,
    /// The brand new products get when none is named. Cannot be archived.
    pub primary: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    pub archived_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

#[derive(Clone, PartialEq, Debug, Default)]
pub struct BrandDraft {
    pub name: Option<String>,
    pub description: Option<String>,
    pub statement_descriptor: Option<String>,
    pub support_email: Option<String>,
    pub url: Option<String>,
}

#[derive(Clone, PartialEq, Debug, Default)]
pub struct BrandPatch {
    pub name: Option<Option<String>>,
    pub description: Option<Option<String>>,
    pub statement_descriptor: Option<String>,
    pub support_email: Option<Option<String>>,
    pub url: Option<Option<String>>,
    pub image: Option<Option<String>>,
}

impl Brand {
    pub fn create(
        id: BrandId,
        business: BusinessId,
        draft: BrandDraft,
        primary: bool,
        now: OffsetDateTime,
    ) -> Result<Brand, DomainError> {
        let fallback = draft.name.clone().unwrap_or_else(|| "KASSA".to_owned());
        let brand = Brand {
            id,
            business,
            name: draft.name,
            description: draft.description,
            statement_descriptor: draft
                .statement_descriptor
                .unwrap_or_else(|| descriptor_from(&fallback)),
            support_email: draft.support_email,
            url: draft.url,
            image: None,
            primary,
            archived_at: None,
            created_at: now,
        };
        brand.check()?;
        Ok(brand)
    }

    pub fn apply(&mut self, patch: BrandPatch) -> Result<(), DomainError> {
        let mut next = self.clone();
        if let Some(v) = patch.name {
            next.name = v;
        }
        if let Some(v) = patch.description {
            next.description = v;
        }
        if let Some(v) = patch.statement_descriptor {
            next.statement_descriptor = v;
        }
        if let Some(v) = patch.support_email {
            next.support_email = v;
        }
        if let Some(v) = patch.url {
            next.url = v;
        }
        if let Some(v) = patch.image {
            next.image = v;
        }
        next.check()?;
        *self = next;
        Ok(())
    }

    fn check(&self) -> Result<(), DomainError> {
        if let Some(name) = &self.name {
            text::bounded("name", name, 100)?;
        }
        if let Some(description) = &self.description {
            text::bounded("description", description, 1_000)?;
        }
        text::required(
            "statement_descriptor",
            &self.statement_descriptor,
            MAX_STATEMENT_DESCRIPTOR,
        )?;
        if let Some(email) = &self.support_email {
            text::email("support_email", email)?;
        }
        if let Some(url) = &self.url {
            // Whatever renders brands links it: a web address only, by the
            // rule webhook URLs follow (http or https, a host, printable
            // ASCII, no credentials).
            text::bounded("url", url, MAX_URL)?;
            crate::webhook::EndpointUrl::parse(url)?;
        }
        Ok(())
    }
}

/// A statement descriptor derived from a name: upper-case ASCII letters,
/// digits and spaces, at most 22 characters; "KASSA" if nothing is left.
/// The longest brand `url`, in characters.
const MAX_URL: usize = 2048;

fn descriptor_from(name: &str) -> String {
    let descriptor: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == ' ')
        .take(MAX_STATEMENT_DESCRIPTOR)
        .collect::<String>()
        .trim()
        .to_uppercase();
    if descriptor.is_empty() {
        "KASSA".to_owned()
    } else {
        descriptor
    }
}
