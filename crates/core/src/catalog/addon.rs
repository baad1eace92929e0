//! Addons: extras a customer can buy with a subscription product.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::TaxCategory;
use super::product::{MAX_DESCRIPTION, MAX_NAME};
use crate::DomainError;
use crate::id::{AddonId, BusinessId};
use crate::money::{Amount, Currency};
use crate::text;

#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Addon {
    pub id: AddonId,
    pub business: BusinessId,
    pub name: String,
    pub description: Option<String>,
    pub price: Amount,
    pub currency: Currency,
    pub tax_category: TaxCategory,
    pub image: Option<String>,
    pub archived: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Clone, PartialEq, Debug)]
pub struct AddonDraft {
    pub name: String,
    pub description: Option<String>,
    pub price: Amount,
    pub currency: Currency,
    pub tax_category: TaxCategory,
}

#[derive(Clone, PartialEq, Debug, Default)]
pub struct AddonPatch {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub price: Option<Amount>,
    pub currency: Option<Currency>,
    pub tax_category: Option<TaxCategory>,
    pub image: Option<Option<String>>,
}

impl Addon {
    pub fn create(
        id: AddonId,
        business: BusinessId,
        draft: AddonDraft,
        now: OffsetDateTime,
    ) -> Result<Addon, DomainError> {
        Ok(Addon {
            id,
            business,
            name: text::required("name", &draft.name, MAX_NAME)?,
            description: draft
                .description
                .map(|d| text::bounded("description", &d, MAX_DESCRIPTION))
                .transpose()?,
            price: draft.price,
            currency: draft.currency,
            tax_category: draft.tax_category,
            image: None,
            archived: false,
            created_at: now,
            updated_at: now,
        })
    }

    pub fn apply(&mut self, patch: AddonPatch, now: OffsetDateTime) -> Result<(), DomainError> {
        let mut next = self.clone();
        if let Some(name) = patch.name {
            next.name = text::required("name", &name, MAX_NAME)?;
        }
        if let Some(description) = patch.description {
            next.description = description
                .map(|d| text::bounded("description", &d, MAX_DESCRIPTION))
                .transpose()?;
        }
        if let Some(price) = patch.price {
            next.price = price;
        }
        if let Some(currency) = patch.currency {
            next.currency = currency;
        }
        if let Some(tax_category) = patch.tax_category {
            next.tax_category = tax_category;
        }
        if let Some(image) = patch.image {
            next.image = image;
        }
        next.updated_at = now;
        *self = next;
        Ok(())
    }
}
