//! Customers: the people and companies who buy from a business.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::DomainError;
use crate::id::{BusinessId, CustomerId};
use crate::metadata::Metadata;
use crate::text;

#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Customer {
    pub id: CustomerId,
    pub business: BusinessId,
    pub email: String,
    pub name: String,
    pub phone_number: Option<String>,
    pub metadata: Metadata,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

#[derive(Clone, PartialEq, Debug)]
pub struct CustomerDraft {
    pub email: String,
    pub name: String,
    pub phone_number: Option<String>,
    pub metadata: Metadata,
}

#[derive(Clone, PartialEq, Debug, Default)]
pub struct CustomerPatch {
    pub email: Option<String>,
    pub name: Option<String>,
    pub phone_number: Option<Option<String>>,
    pub metadata: Option<Metadata>,
}

/// List filters (`GET /customers`); `email` matches exactly, `name` by substring.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct CustomerFilter {
    pub email: Option<String>,
    pub name: Option<String>,
    pub created_at_gte: Option<OffsetDateTime>,
    pub created_at_lte: Option<OffsetDateTime>,
}

impl Customer {
    pub fn create(
        id: CustomerId,
        business: BusinessId,
        draft: CustomerDraft,
        now: OffsetDateTime,
    ) -> Result<Customer, DomainError> {
        Ok(Customer {
            id,
            business,
            email: text::email("email", &draft.email)?,
            name: text::required("name", &draft.name, 200)?,
            phone_number: draft
                .phone_number
                .map(|p| phone("phone_number", &p))
                .transpose()?,
            metadata: draft.metadata,
            created_at: now,
        })
    }

    /// The details a checkout session takes from a known customer.
    pub fn details(&self) -> CustomerDraft {
        CustomerDraft {
            email: self.email.clone(),
            name: self.name.clone(),
            phone_number: self.phone_number.clone(),
            metadata: self.metadata.clone(),
        }
    }

    pub fn apply(&mut self, patch: CustomerPatch) -> Result<(), DomainError> {
        let mut next = self.clone();
        if let Some(email) = patch.email {
            next.email = text::email("email", &email)?;
        }
        if let Some(name) = patch.name {
            next.name = text::required("name", &name, 200)?;
        }
        if let Some(phone_number) = patch.phone_number {
            next.phone_number = phone_number
                .map(|p| phone("phone_number", &p))
                .transpose()?;
        }
        if let Some(metadata) = patch.metadata {
            next.metadata = metadata;
        }
        *self = next;
        Ok(())
    }
}

/// A phone number as people write it: digits with an optional leading `+`
/// and spaces, dashes, dots or parentheses; 6 to 15 digits.
fn phone(field: &str, value: &str) -> Result<String, DomainError> {
    let value = value.trim();
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let allowed = value
        .char_indices()
        .all(|(i, c)| c.is_ascii_digit() || " -.()".contains(c) || (c == '+' && i == 0));
    if allowed && (6..=15).contains(&digits) {
        Ok(value.to_owned())
    } else {
        Err(DomainError::invalid(field, "is not a valid phone number"))
    }
}
