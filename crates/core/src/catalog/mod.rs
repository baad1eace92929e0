//! The catalog a business sells from: products with their prices, addons, brands.

mod addon;
mod brand;
mod price;
mod product;

pub use addon::{Addon, AddonDraft, AddonPatch};
pub use brand::{Brand, BrandDraft, BrandPatch};
pub use price::{OneTimePrice, Period, Price, RecurringPrice, TimeInterval, UsageBasedPrice};
pub use product::{
    DigitalDelivery, LicenseKeySettings, Product, ProductDraft, ProductFilter, ProductPatch,
};

use serde::{Deserialize, Serialize};

/// How a product or addon is taxed (Dodo's `TaxCategory`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaxCategory {
    DigitalProducts,
    Saas,
    EBook,
    Edtech,
    LiveTutoring,
}

/// Whether localized prices are keyed by currency or by country.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PricingMode {
    ByCurrency,
    ByCountry,
}
