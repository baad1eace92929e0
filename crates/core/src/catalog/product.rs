//! Products: what a business sells, at one price.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{Period, Price, PricingMode, TaxCategory};
use crate::DomainError;
use crate::id::{AddonId, BrandId, BusinessId, ProductId};
use crate::metadata::Metadata;
use crate::text;

pub const MAX_NAME: usize = 100;
pub const MAX_DESCRIPTION: usize = 1_000;
/// Dodo caps the addons offered with one subscription product.
pub const MAX_ADDONS: usize = 20;

/// Deprecated-in-Dodo license key settings, still part of the wire contract.
#[derive(Clone, PartialEq, Debug, Default, Serialize, Deserialize)]
pub struct LicenseKeySettings {
    pub enabled: bool,
    pub activations_limit: Option<u32>,
    pub activation_message: Option<String>,
    pub duration: Option<Period>,
}

/// Deprecated-in-Dodo digital delivery: a link and instructions.
#[derive(Clone, PartialEq, Debug, Default, Serialize, Deserialize)]
pub struct DigitalDelivery {
    pub external_url: Option<String>,
    pub instructions: Option<String>,
}

#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Product {
    pub id: ProductId,
    pub business: BusinessId,
    pub brand: BrandId,
    pub name: String,
    pub description: Option<String>,
    pub price: Price,
    pub tax_category: TaxCategory,
    pub pricing_mode: Option<PricingMode>,
    pub addons: Vec<AddonId>,
    pub metadata: Metadata,
    pub image: Option<String>,
    pub license_key: LicenseKeySettings,
    pub digital_delivery: Option<DigitalDelivery>,
    pub archived: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// Everything a merchant chooses when creating a product.
#[derive(Clone, PartialEq, Debug)]
pub struct ProductDraft {
    pub name: String,
    pub description: Option<String>,
    pub price: Price,
    pub tax_category: TaxCategory,
    pub brand: Option<BrandId>,
    pub pricing_mode: Option<PricingMode>,
    pub addons: Vec<AddonId>,
    pub metadata: Metadata,
    pub license_key: LicenseKeySettings,
    pub digital_delivery: Option<DigitalDelivery>,
}

/// A partial update; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct ProductPatch {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub price: Option<Price>,
    pub tax_category: Option<TaxCategory>,
    pub brand: Option<BrandId>,
    pub pricing_mode: Option<Option<PricingMode>>,
    pub addons: Option<Vec<AddonId>>,
    pub metadata: Option<Metadata>,
    pub image: Option<Option<String>>,
    pub license_key_enabled: Option<bool>,
    pub license_key_activations_limit: Option<Option<u32>>,
    pub license_key_activation_message: Option<Option<String>>,
    pub license_key_duration: Option<Option<Period>>,
    pub digital_delivery: Option<DigitalDelivery>,
}

/// List filters (`GET /products`).
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct ProductFilter {
    /// `Some(true)`: only archived; `Some(false)` or `None`: only active.
    pub archived: Option<bool>,
    pub recurring: Option<bool>,
    pub brand: Option<BrandId>,
}

impl Product {
    /// Builds a product from a draft, enforcing every catalog rule. `brand`
    /// is the resolved brand (the draft's, or the business's primary one).
    pub fn create(
        id: ProductId,
        business: BusinessId,
        brand: BrandId,
        draft: ProductDraft,
        now: OffsetDateTime,
    ) -> Result<Product, DomainError> {
        let product = Product {
            id,
            business,
            brand,
            name: text::required("name", &draft.name, MAX_NAME)?,
            description: bounded_opt("description", draft.description, MAX_DESCRIPTION)?,
            price: draft.price,
            tax_category: draft.tax_category,
            pricing_mode: draft.pricing_mode,
            addons: draft.addons,
            metadata: draft.metadata,
            image: None,
            license_key: draft.license_key,
            digital_delivery: draft.digital_delivery,
            archived: false,
            created_at: now,
            updated_at: now,
        };
        product.check()?;
        Ok(product)
    }

    /// Applies a patch; on error the product is left unchanged.
    pub fn apply(&mut self, patch: ProductPatch, now: OffsetDateTime) -> Result<(), DomainError> {
        let mut next = self.clone();
        if let Some(name) = patch.name {
            next.name = text::required("name", &name, MAX_NAME)?;
        }
        if let Some(description) = patch.description {
            next.description = bounded_opt("description", description, MAX_DESCRIPTION)?;
        }
        if let Some(price) = patch.price {
            next.price = price;
        }
        if let Some(tax_category) = patch.tax_category {
            next.tax_category = tax_category;
        }
        if let Some(brand) = patch.brand {
            next.brand = brand;
        }
        if let Some(mode) = patch.pricing_mode {
            next.pricing_mode = mode;
        }
        if let Some(addons) = patch.addons {
            next.addons = addons;
        }
        if let Some(metadata) = patch.metadata {
            next.metadata = metadata;
        }
        if let Some(image) = patch.image {
            next.image = image;
        }
        if let Some(enabled) = patch.license_key_enabled {
            next.license_key.enabled = enabled;
        }
        if let Some(limit) = patch.license_key_activations_limit {
            next.license_key.activations_limit = limit;
        }
        if let Some(message) = patch.license_key_activation_message {
            next.license_key.activation_message = message;
        }
        if let Some(duration) = patch.license_key_duration {
            next.license_key.duration = duration;
        }
        if let Some(delivery) = patch.digital_delivery {
            next.digital_delivery = Some(delivery);
        }
        next.check()?;
        next.updated_at = now;
        *self = next;
        Ok(())
    }

    fn check(&self) -> Result<(), DomainError> {
        self.price.check()?;
        if !self.addons.is_empty() && !self.price.is_recurring() {
            return Err(DomainError::invalid(
                "addons",
                "addons can only be attached to subscription products",
            ));
        }
        if self.addons.len() > MAX_ADDONS {
            return Err(DomainError::invalid(
                "addons",
                format!("at most {MAX_ADDONS} addons per product"),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(dup) = self.addons.iter().find(|a| !seen.insert(*a)) {
            return Err(DomainError::invalid(
                "addons",
                format!("`{dup}` is listed twice"),
            ));
        }
        if let Some(message) = &self.license_key.activation_message {
            text::bounded("license_key_activation_message", message, 2_500)?;
        }
        Ok(())
    }
}

fn bounded_opt(
    field: &str,
    value: Option<String>,
    max: usize,
) -> Result<Option<String>, DomainError> {
    value.map(|v| text::bounded(field, &v, max)).transpose()
}
