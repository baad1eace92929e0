//! What a merchant configures on a checkout session besides the cart:
//! feature flags, look and language, custom fields, payment method types.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::country::Country;
use crate::text;

/// Which parts of the page the customer may see and change. Defaults are
/// Dodo's (dodo-api.md §4.2).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct FeatureFlags {
    pub allow_currency_selection: bool,
    pub allow_discount_code: bool,
    pub allow_phone_number_collection: bool,
    pub require_phone_number: bool,
    pub allow_tax_id: bool,
    pub require_tax_id: bool,
    pub require_cardholder_name: bool,
    pub allow_customer_editing_name: bool,
    pub allow_customer_editing_email: bool,
    pub allow_customer_editing_street: bool,
    pub allow_customer_editing_city: bool,
    pub allow_customer_editing_state: bool,
    pub allow_customer_editing_country: bool,
    pub allow_customer_editing_zipcode: bool,
    pub allow_customer_editing_tax_id: bool,
    pub allow_customer_editing_business_name: bool,
    pub allow_editing_addons: bool,
    pub always_create_new_customer: bool,
    pub redirect_immediately: bool,
    pub single_page: bool,
}

impl Default for FeatureFlags {
    fn default() -> Self {
        FeatureFlags {
            allow_currency_selection: true,
            allow_discount_code: true,
            allow_phone_number_collection: true,
            require_phone_number: false,
            allow_tax_id: true,
            require_tax_id: false,
            require_cardholder_name: false,
            allow_customer_editing_name: true,
            allow_customer_editing_email: true,
            allow_customer_editing_street: true,
            allow_customer_editing_city: true,
            allow_customer_editing_state: true,
            allow_customer_editing_country: true,
            allow_customer_editing_zipcode: true,
            allow_customer_editing_tax_id: true,
            allow_customer_editing_business_name: true,
            allow_editing_addons: false,
            always_create_new_customer: false,
            redirect_immediately: false,
            single_page: false,
        }
    }
}

impl FeatureFlags {
    /// Flags that only make sense together.
    pub fn check(&self) -> Result<(), DomainError> {
        if self.require_phone_number && !self.allow_phone_number_collection {
            return Err(DomainError::invalid(
                "feature_flags.require_phone_number",
                "needs allow_phone_number_collection",
            ));
        }
        if self.require_tax_id && !self.allow_tax_id {
            return Err(DomainError::invalid(
                "feature_flags.require_tax_id",
                "needs allow_tax_id",
            ));
        }
        Ok(())
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    Light,
    Dark,
    System,
}

/// Colour keys a theme mode may set (Dodo's `ThemeModeConfig`).
pub const THEME_COLOUR_KEYS: [&str; 16] = [
    "bg_primary",
    "bg_secondary",
    "border_primary",
    "border_secondary",
    "button_primary",
    "button_primary_hover",
    "button_secondary",
    "button_secondary_hover",
    "button_text_primary",
    "button_text_secondary",
    "input_focus_border",
    "text_error",
    "text_placeholder",
    "text_primary",
    "text_secondary",
    "text_success",
];

/// Colours per mode (keys from [`THEME_COLOUR_KEYS`]) and type settings.
/// Values are kept as given; the page renderer emits only safe CSS.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct ThemeConfig {
    pub light: BTreeMap<String, String>,
    pub dark: BTreeMap<String, String>,
    pub radius: Option<String>,
    pub font_size: Option<String>,
    pub font_weight: Option<String>,
    pub font_primary_url: Option<String>,
    pub font_secondary_url: Option<String>,
    pub pay_button_text: Option<String>,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Customization {
    pub force_language: Option<String>,
    pub show_on_demand_tag: bool,
    pub show_order_details: bool,
    /// `None`: the business's theme (light).
    pub theme: Option<Theme>,
    pub theme_config: Option<ThemeConfig>,
}

impl Default for Customization {
    fn default() -> Self {
        Customization {
            force_language: None,
            show_on_demand_tag: true,
            show_order_details: true,
            theme: None,
            theme_config: None,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    Text,
    Number,
    Email,
    Url,
    Date,
    Dropdown,
    Boolean,
}

/// A question the page asks; answers come back on the payment.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct CustomField {
    pub field_type: FieldType,
    pub key: String,
    pub label: String,
    pub options: Vec<String>,
    pub placeholder: Option<String>,
    pub required: bool,
}

pub const MAX_CUSTOM_FIELDS: usize = 5;

impl CustomField {
    /// Checks one field; `at` is its position, for error paths.
    pub fn check(&self, at: usize) -> Result<(), DomainError> {
        let path = |f: &str| format!("custom_fields[{at}].{f}");
        let key_ok = !self.key.is_empty()
            && self.key.len() <= 50
            && self
                .key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !key_ok {
            return Err(DomainError::invalid(
                path("key"),
                "must be 1-50 letters, digits, '_' or '-'",
            ));
        }
        text::required(&path("label"), &self.label, 200)?;
        match (self.field_type, self.options.is_empty()) {
            (FieldType::Dropdown, true) => Err(DomainError::invalid(
                path("options"),
                "a dropdown needs at least one option",
            )),
            (FieldType::Dropdown, false) => Ok(()),
            (_, false) => Err(DomainError::invalid(
                path("options"),
                "only dropdown fields take options",
            )),
            (_, true) => Ok(()),
        }
    }

    /// Checks a customer's answer; `None`/blank is fine unless required.
    pub fn check_answer(&self, answer: Option<&str>) -> Result<(), String> {
        let answer = answer.map(str::trim).filter(|a| !a.is_empty());
        let Some(a) = answer else {
            return if self.required {
                Err("is required".to_owned())
            } else {
                Ok(())
            };
        };
        let ok = match self.field_type {
            FieldType::Text => a.len() <= 1_000,
            FieldType::Number => a.parse::<f64>().is_ok_and(f64::is_finite),
            FieldType::Email => text::email("", a).is_ok(),
            FieldType::Url => {
                url::Url::parse(a).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
            }
            FieldType::Date => {
                let fmt = time::macros::format_description!("[year]-[month]-[day]");
                time::Date::parse(a, fmt).is_ok()
            }
            FieldType::Dropdown => self.options.iter().any(|o| o == a),
            FieldType::Boolean => matches!(a, "true" | "false"),
        };
        if ok {
            Ok(())
        } else {
            Err(format!("is not a valid {:?}", self.field_type).to_lowercase())
        }
    }
}

/// A billing address; only the country is always required.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct BillingAddress {
    pub country: Country,
    pub street: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zipcode: Option<String>,
}

/// Dodo's `PaymentMethodTypes` that Kassa's test processor can take.
/// (Others are refused with a clear message rather than silently ignored.)
pub const PAYMENT_METHOD_TYPES: [&str; 4] = ["credit", "debit", "upi_collect", "upi_intent"];

/// Parses a payment method type name.
pub fn payment_method_type(field: &str, name: &str) -> Result<&'static str, DomainError> {
    PAYMENT_METHOD_TYPES
        .iter()
        .find(|t| **t == name)
        .copied()
        .ok_or_else(|| {
            DomainError::invalid(
                field,
                format!(
                    "`{name}` is not a payment method type Kassa supports ({})",
                    PAYMENT_METHOD_TYPES.join(", ")
                ),
            )
        })
}

/// `http`/`https` URLs only: the customer's browser is sent there.
pub fn web_url(field: &str, value: &str) -> Result<String, DomainError> {
    match url::Url::parse(value) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {
            Ok(value.to_owned())
        }
        _ => Err(DomainError::invalid(field, "must be an http(s) URL")),
    }
}
