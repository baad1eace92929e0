//! Product request and response bodies as the Dodo SDKs send and expect them.

use kassa_app::AppError;
use kassa_core::catalog::{
    DigitalDelivery, LicenseKeySettings, Period, PricingMode, Product, ProductDraft, ProductPatch,
    TaxCategory, TimeInterval,
};
use kassa_core::id::{AddonId, BrandId};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::price::{PriceIn, PriceOut};
use crate::ApiError;
use crate::openapi::{MetadataSchema, PricingModeSchema, TaxCategorySchema, TimeIntervalSchema};
use crate::wire::{MetadataIn, metadata_in, metadata_out, nullable, ts};

#[derive(Deserialize, ToSchema)]
pub struct LicenseKeyDuration {
    #[schema(minimum = 1, maximum = 1000)]
    count: i64,
    #[schema(value_type = TimeIntervalSchema)]
    interval: TimeInterval,
}

#[derive(Serialize, ToSchema)]
pub struct LicenseKeyDurationOut {
    count: u32,
    #[schema(value_type = TimeIntervalSchema)]
    interval: TimeInterval,
}

#[derive(Deserialize, ToSchema)]
#[schema(as = DigitalDeliveryIn)]
pub struct DeliveryIn {
    external_url: Option<String>,
    instructions: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = DigitalDelivery)]
pub struct DeliveryOut {
    external_url: Option<String>,
    instructions: Option<String>,
    files: Vec<Value>,
}

/// `CreateProductRequest`. Addons go only on subscription products, at
/// most one `suggested_price` with `pay_what_you_want`, a `trial_amount`
/// no more than the price: rules between fields that a schema cannot say,
/// refused with a 422 naming the field.
#[derive(Deserialize, ToSchema)]
pub struct CreateProduct {
    #[schema(
        max_length = 100,
        pattern = r"[^\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
    )]
    name: String,
    price: PriceIn,
    #[schema(value_type = TaxCategorySchema)]
    tax_category: TaxCategory,
    #[schema(max_length = 1000)]
    description: Option<String>,
    brand_id: Option<String>,
    /// Addon ids (subscription products only), at most 20, each once.
    #[schema(max_items = 20)]
    addons: Option<Vec<String>>,
    #[schema(value_type = Option<MetadataSchema>)]
    metadata: Option<MetadataIn>,
    #[schema(value_type = Option<PricingModeSchema>)]
    pricing_mode: Option<PricingMode>,
    /// Entitlements are not served yet: any id named here is a 404.
    #[schema(max_items = 0)]
    entitlements: Option<Vec<Value>>,
    #[schema(max_items = 0)]
    credit_entitlements: Option<Vec<Value>>,
    license_key_enabled: Option<bool>,
    #[schema(minimum = 0, maximum = 4294967295_i64)]
    license_key_activations_limit: Option<i64>,
    #[schema(max_length = 2500)]
    license_key_activation_message: Option<String>,
    license_key_duration: Option<LicenseKeyDuration>,
    digital_product_delivery: Option<DeliveryIn>,
}

/// `PatchProductRequest`: absent fields are kept, `null` clears.
#[derive(Deserialize, ToSchema)]
pub struct PatchProduct {
    #[schema(
        max_length = 100,
        pattern = r"[^\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
    )]
    name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(max_length = 1000)]
    description: Option<Option<String>>,
    price: Option<PriceIn>,
    #[schema(value_type = Option<TaxCategorySchema>)]
    tax_category: Option<TaxCategory>,
    brand_id: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<PricingModeSchema>)]
    pricing_mode: Option<Option<PricingMode>>,
    #[schema(max_items = 20)]
    addons: Option<Vec<String>>,
    #[schema(value_type = Option<MetadataSchema>)]
    metadata: Option<MetadataIn>,
    /// Image upload is not served yet: any image id is a 404.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(schema_with = crate::openapi::null_only)]
    image_id: Option<Option<String>>,
    #[schema(max_items = 0)]
    entitlements: Option<Vec<Value>>,
    #[schema(max_items = 0)]
    credit_entitlements: Option<Vec<Value>>,
    license_key_enabled: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(minimum = 0, maximum = 4294967295_i64)]
    license_key_activations_limit: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(max_length = 2500)]
    license_key_activation_message: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    license_key_duration: Option<Option<LicenseKeyDuration>>,
    digital_product_delivery: Option<DeliveryIn>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Page size, 1 to 100 (default 10).
    #[param(minimum = 1, maximum = 100)]
    pub page_size: Option<i64>,
    /// Zero-based page number.
    #[param(minimum = 0, maximum = 2147483647)]
    pub page_number: Option<i64>,
    pub archived: Option<bool>,
    pub recurring: Option<bool>,
    pub brand_id: Option<String>,
}

fn addon_ids(raw: Vec<String>) -> Result<Vec<AddonId>, ApiError> {
    raw.iter()
        .map(|id| AddonId::parse(id).map_err(|_| AppError::not_found("addon", id).into()))
        .collect()
}

fn brand_id(raw: &str) -> Result<BrandId, ApiError> {
    BrandId::parse(raw).map_err(|_| AppError::not_found("brand", raw).into())
}

/// Entitlements are objects of their own; none exist yet, so any id
/// named here is unknown.
fn no_entitlements(kind: &'static str, list: Option<&Vec<Value>>) -> Result<(), ApiError> {
    match list.and_then(|l| l.first()) {
        None => Ok(()),
        Some(first) => {
            let id = first
                .get("entitlement_id")
                .or_else(|| first.get("credit_entitlement_id"))
                .and_then(Value::as_str)
                .unwrap_or("");
            Err(AppError::not_found(kind, id).into())
        }
    }
}

fn activations_limit(raw: i64) -> Result<u32, ApiError> {
    u32::try_from(raw).map_err(|_| ApiError::InvalidBody {
        field: "license_key_activations_limit".into(),
        reason: "must be 0 or more".into(),
    })
}

fn duration(raw: LicenseKeyDuration) -> Result<Period, ApiError> {
    Ok(Period::new(
        "license_key_duration.count",
        raw.count,
        raw.interval,
    )?)
}

fn delivery(raw: DeliveryIn) -> DigitalDelivery {
    DigitalDelivery {
        external_url: raw.external_url,
        instructions: raw.instructions,
    }
}

impl CreateProduct {
    pub fn into_draft(self) -> Result<ProductDraft, ApiError> {
        no_entitlements("entitlement", self.entitlements.as_ref())?;
        no_entitlements("credit entitlement", self.credit_entitlements.as_ref())?;
        Ok(ProductDraft {
            name: self.name,
            description: self.description,
            price: self.price.into_domain()?,
            tax_category: self.tax_category,
            brand: self.brand_id.as_deref().map(brand_id).transpose()?,
            pricing_mode: self.pricing_mode,
            addons: addon_ids(self.addons.unwrap_or_default())?,
            metadata: metadata_in(self.metadata)?,
            license_key: LicenseKeySettings {
                enabled: self.license_key_enabled.unwrap_or(false),
                activations_limit: self
                    .license_key_activations_limit
                    .map(activations_limit)
                    .transpose()?,
                activation_message: self.license_key_activation_message,
                duration: self.license_key_duration.map(duration).transpose()?,
            },
            digital_delivery: self.digital_product_delivery.map(delivery),
        })
    }
}

impl PatchProduct {
    pub fn into_patch(self) -> Result<ProductPatch, ApiError> {
        no_entitlements("entitlement", self.entitlements.as_ref())?;
        no_entitlements("credit entitlement", self.credit_entitlements.as_ref())?;
        if let Some(Some(image)) = &self.image_id {
            // Image upload (PUT /products/{id}/images) is not served yet, so
            // no image id can be valid.
            return Err(AppError::not_found("image", image).into());
        }
        Ok(ProductPatch {
            name: self.name,
            description: self.description,
            price: self.price.map(PriceIn::into_domain).transpose()?,
            tax_category: self.tax_category,
            brand: self.brand_id.as_deref().map(brand_id).transpose()?,
            pricing_mode: self.pricing_mode,
            addons: self.addons.map(addon_ids).transpose()?,
            metadata: self.metadata.map(|m| metadata_in(Some(m))).transpose()?,
            image: self.image_id.map(|_| None),
            license_key_enabled: self.license_key_enabled,
            license_key_activations_limit: self
                .license_key_activations_limit
                .map(|l| l.map(activations_limit).transpose())
                .transpose()?,
            license_key_activation_message: self.license_key_activation_message,
            license_key_duration: self
                .license_key_duration
                .map(|d| d.map(duration).transpose())
                .transpose()?,
            digital_delivery: self.digital_product_delivery.map(delivery),
        })
    }
}

/// `GetProductResponse`.
#[derive(Serialize, ToSchema)]
pub struct ProductOut {
    product_id: String,
    business_id: String,
    brand_id: String,
    name: Option<String>,
    description: Option<String>,
    price: PriceOut,
    #[schema(value_type = TaxCategorySchema)]
    tax_category: TaxCategory,
    #[schema(value_type = Option<PricingModeSchema>)]
    pricing_mode: Option<PricingMode>,
    is_recurring: bool,
    addons: Vec<String>,
    #[schema(value_type = MetadataSchema)]
    metadata: Value,
    image: Option<String>,
    product_collection_id: Option<String>,
    entitlements: Vec<Value>,
    credit_entitlements: Vec<Value>,
    digital_product_delivery: Option<DeliveryOut>,
    license_key_enabled: bool,
    license_key_activations_limit: Option<u32>,
    license_key_activation_message: Option<String>,
    license_key_duration: Option<LicenseKeyDurationOut>,
    created_at: String,
    updated_at: String,
}

impl From<&Product> for ProductOut {
    fn from(p: &Product) -> ProductOut {
        ProductOut {
            product_id: p.id.to_string(),
            business_id: p.business.to_string(),
            brand_id: p.brand.to_string(),
            name: Some(p.name.clone()),
            description: p.description.clone(),
            price: PriceOut::from(&p.price),
            tax_category: p.tax_category,
            pricing_mode: p.pricing_mode,
            is_recurring: p.price.is_recurring(),
            addons: p.addons.iter().map(ToString::to_string).collect(),
            metadata: metadata_out(&p.metadata),
            image: p.image.clone(),
            product_collection_id: None,
            entitlements: vec![],
            credit_entitlements: vec![],
            digital_product_delivery: p.digital_delivery.as_ref().map(|d| DeliveryOut {
                external_url: d.external_url.clone(),
                instructions: d.instructions.clone(),
                files: vec![],
            }),
            license_key_enabled: p.license_key.enabled,
            license_key_activations_limit: p.license_key.activations_limit,
            license_key_activation_message: p.license_key.activation_message.clone(),
            license_key_duration: p.license_key.duration.map(|d| LicenseKeyDurationOut {
                count: d.count,
                interval: d.interval,
            }),
            created_at: ts(p.created_at),
            updated_at: ts(p.updated_at),
        }
    }
}

/// `GetProductsListResponseItem`: the price flattened, the full price in
/// `price_detail`.
#[derive(Serialize, ToSchema)]
pub struct ProductListItem {
    product_id: String,
    business_id: String,
    name: Option<String>,
    description: Option<String>,
    price: Option<i64>,
    currency: Option<&'static str>,
    tax_inclusive: Option<bool>,
    price_detail: PriceOut,
    #[schema(value_type = TaxCategorySchema)]
    tax_category: TaxCategory,
    #[schema(value_type = Option<PricingModeSchema>)]
    pricing_mode: Option<PricingMode>,
    is_recurring: bool,
    #[schema(value_type = MetadataSchema)]
    metadata: Value,
    image: Option<String>,
    entitlements: Vec<Value>,
    created_at: String,
    updated_at: String,
}

impl From<&Product> for ProductListItem {
    fn from(p: &Product) -> ProductListItem {
        ProductListItem {
            product_id: p.id.to_string(),
            business_id: p.business.to_string(),
            name: Some(p.name.clone()),
            description: p.description.clone(),
            price: Some(p.price.amount().minor()),
            currency: Some(p.price.currency().code()),
            tax_inclusive: p.price.tax_inclusive(),
            price_detail: PriceOut::from(&p.price),
            tax_category: p.tax_category,
            pricing_mode: p.pricing_mode,
            is_recurring: p.price.is_recurring(),
            metadata: metadata_out(&p.metadata),
            image: p.image.clone(),
            entitlements: vec![],
            created_at: ts(p.created_at),
            updated_at: ts(p.updated_at),
        }
    }
}
