//! `CreateCheckoutSessionRequest` on the wire, parsed into a [`SessionDraft`].
//! Every field is either honoured or refused with a message naming it.

use kassa_core::DomainError;
use kassa_core::checkout::{
    AddonLine, BillingAddress, CartItem, CustomField, CustomerRef, FieldType, SessionDraft,
    payment_method_type,
};
use kassa_core::country::Country;
use kassa_core::id::{AddonId, CustomerId, ProductId};
use serde::Deserialize;
use serde_json::Value;

use super::page_options::{CustomizationIn, FlagsIn, customization, flags};
use crate::ApiError;
use crate::wire::{MetadataIn, amount, currency, metadata_in};

#[derive(Deserialize)]
pub struct CheckoutRequest {
    product_cart: Vec<CartItemIn>,
    customer: Option<CustomerIn>,
    billing_address: Option<AddressIn>,
    minimal_address: Option<bool>,
    #[serde(default)]
    confirm: bool,
    payment_method_id: Option<String>,
    return_url: Option<String>,
    cancel_url: Option<String>,
    billing_currency: Option<String>,
    allowed_payment_method_types: Option<Vec<String>>,
    #[serde(default)]
    show_saved_payment_methods: bool,
    discount_codes: Option<Vec<String>>,
    discount_code: Option<String>,
    custom_fields: Option<Vec<CustomFieldIn>>,
    metadata: Option<MetadataIn>,
    tax_id: Option<String>,
    customer_business_name: Option<String>,
    #[serde(default)]
    short_link: bool,
    product_collection_id: Option<String>,
    subscription_data: Option<SubscriptionDataIn>,
    force_3ds: Option<bool>,
    mandate_min_amount_inr_paise: Option<i64>,
    customization: Option<CustomizationIn>,
    feature_flags: Option<FlagsIn>,
}

#[derive(Deserialize)]
pub(crate) struct CartItemIn {
    product_id: String,
    quantity: i64,
    amount: Option<i64>,
    addons: Option<Vec<AddonIn>>,
    credit_entitlements: Option<Vec<Value>>,
}

#[derive(Deserialize)]
struct AddonIn {
    addon_id: String,
    quantity: i64,
}

/// Dodo's `AttachExistingCustomer | NewCustomer`, told apart by which
/// fields are present (`customer_id` wins). A plain struct, not an untagged
/// enum: that would buffer every body's customer and try each shape in turn.
#[derive(Deserialize)]
pub(crate) struct CustomerIn {
    customer_id: Option<String>,
    email: Option<String>,
    name: Option<String>,
    phone_number: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct AddressIn {
    country: String,
    street: Option<String>,
    city: Option<String>,
    state: Option<String>,
    zipcode: Option<String>,
}

#[derive(Deserialize)]
struct CustomFieldIn {
    field_type: FieldType,
    key: String,
    label: String,
    options: Option<Vec<String>>,
    placeholder: Option<String>,
    #[serde(default)]
    required: bool,
}

#[derive(Deserialize)]
struct SubscriptionDataIn {
    trial_period_days: Option<i64>,
    on_demand: Option<Value>,
}

pub(crate) fn invalid(field: impl Into<String>, reason: impl Into<String>) -> ApiError {
    ApiError::InvalidBody {
        field: field.into(),
        reason: reason.into(),
    }
}

fn count(field: &str, n: i64) -> Result<u32, ApiError> {
    u32::try_from(n).map_err(|_| invalid(field, format!("must be a non-negative count, got {n}")))
}

impl CheckoutRequest {
    pub fn into_draft(self) -> Result<SessionDraft, ApiError> {
        if self.product_collection_id.is_some() {
            return Err(invalid(
                "product_collection_id",
                "product collections are not supported by Kassa yet; send product_cart",
            ));
        }
        if let Some(paise) = self.mandate_min_amount_inr_paise
            && paise < 0
        {
            return Err(invalid(
                "mandate_min_amount_inr_paise",
                "must not be negative",
            ));
        }
        let trial_period_days = match self.subscription_data {
            Some(SubscriptionDataIn {
                on_demand: Some(v), ..
            }) if !v.is_null() => {
                return Err(ApiError::OnDemandNotEnabled);
            }
            Some(data) => data
                .trial_period_days
                .map(|d| count("subscription_data.trial_period_days", d))
                .transpose()?,
            None => None,
        };
        Ok(SessionDraft {
            cart: cart(self.product_cart)?,
            customer: self.customer.map(customer).transpose()?,
            billing: self
                .billing_address
                .map(|a| address(a, "billing_address"))
                .transpose()?,
            minimal_address: self.minimal_address,
            confirm: self.confirm,
            payment_method_id: self.payment_method_id,
            return_url: self.return_url,
            cancel_url: self.cancel_url,
            billing_currency: self
                .billing_currency
                .map(|c| currency("billing_currency", &c))
                .transpose()?,
            allowed_payment_method_types: method_types(self.allowed_payment_method_types)?,
            show_saved_payment_methods: self.show_saved_payment_methods,
            discount_codes: codes(self.discount_codes, self.discount_code)?,
            custom_fields: self
                .custom_fields
                .unwrap_or_default()
                .into_iter()
                .map(|f| CustomField {
                    field_type: f.field_type,
                    key: f.key,
                    label: f.label,
                    options: f.options.unwrap_or_default(),
                    placeholder: f.placeholder,
                    required: f.required,
                })
                .collect(),
            metadata: metadata_in(self.metadata)?,
            tax_id: self.tax_id,
            customer_business_name: self.customer_business_name,
            short_link: self.short_link,
            trial_period_days,
            force_3ds: self.force_3ds,
            customization: self
                .customization
                .map(customization)
                .transpose()?
                .unwrap_or_default(),
            flags: flags(self.feature_flags.unwrap_or_default()),
        })
    }
}

/// `allowed_payment_method_types`, each one Kassa can take.
pub(crate) fn method_types(raw: Option<Vec<String>>) -> Result<Vec<&'static str>, ApiError> {
    Ok(raw
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, t)| payment_method_type(&format!("allowed_payment_method_types[{i}]"), t))
        .collect::<Result<_, DomainError>>()?)
}

/// `discount_codes`, or the deprecated singular `discount_code`; not both.
pub(crate) fn codes(
    codes: Option<Vec<String>>,
    code: Option<String>,
) -> Result<Vec<String>, ApiError> {
    match (codes, code) {
        (Some(_), Some(_)) => Err(invalid(
            "discount_code",
            "send either discount_code or discount_codes, not both",
        )),
        (Some(codes), None) => Ok(codes),
        (None, Some(code)) => Ok(vec![code]),
        (None, None) => Ok(Vec::new()),
    }
}

pub(crate) fn cart(items: Vec<CartItemIn>) -> Result<Vec<CartItem>, ApiError> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let at = |f: &str| format!("product_cart[{i}].{f}");
            if item
                .credit_entitlements
                .as_ref()
                .is_some_and(|c| !c.is_empty())
            {
                return Err(invalid(
                    at("credit_entitlements"),
                    "credit entitlements are not supported by Kassa yet",
                ));
            }
            let product = ProductId::parse(&item.product_id).map_err(|_| {
                invalid(
                    at("product_id"),
                    format!("`{}` is not a product id", item.product_id),
                )
            })?;
            let addons = item
                .addons
                .unwrap_or_default()
                .into_iter()
                .enumerate()
                .map(|(j, a)| {
                    let field = format!("product_cart[{i}].addons[{j}]");
                    Ok(AddonLine {
                        addon: AddonId::parse(&a.addon_id).map_err(|_| {
                            invalid(format!("{field}.addon_id"), "is not an addon id")
                        })?,
                        quantity: count(&format!("{field}.quantity"), a.quantity)?,
                    })
                })
                .collect::<Result<_, ApiError>>()?;
            Ok(CartItem {
                product,
                quantity: count(&at("quantity"), item.quantity)?,
                amount: item.amount.map(|a| amount(&at("amount"), a)).transpose()?,
                addons,
            })
        })
        .collect()
}

pub(crate) fn customer(c: CustomerIn) -> Result<CustomerRef, ApiError> {
    if let Some(id) = c.customer_id {
        return Ok(CustomerRef::Existing(CustomerId::parse(&id).map_err(
            |_| invalid("customer.customer_id", "is not a customer id"),
        )?));
    }
    let email = c.email.ok_or_else(|| {
        invalid(
            "customer",
            "needs either `customer_id` (an existing customer) or `email` (a new one)",
        )
    })?;
    Ok(CustomerRef::New {
        email,
        name: c.name,
        phone_number: c.phone_number,
    })
}

/// `field` is where the address sits in the request (`billing_address`).
pub(crate) fn address(a: AddressIn, field: &str) -> Result<BillingAddress, ApiError> {
    Ok(BillingAddress {
        country: Country::parse(&a.country).map_err(|_| ApiError::UnsupportedCountry {
            field: format!("{field}.country"),
            value: a.country.clone(),
        })?,
        street: a.street,
        city: a.city,
        state: a.state,
        zipcode: a.zipcode,
    })
}
