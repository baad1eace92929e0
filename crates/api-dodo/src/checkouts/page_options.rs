//! How the hosted page looks and what it lets the customer do, on the wire:
//! `customization` and `feature_flags` of a checkout request, each absent
//! setting keeping Dodo's default.

use std::collections::BTreeMap;

use kassa_core::checkout::{Customization, FeatureFlags, THEME_COLOUR_KEYS, Theme, ThemeConfig};
use serde::Deserialize;
use utoipa::ToSchema;

use super::request::invalid;
use super::schema::{ThemeColours, ThemeSchema, rule, with_rules};
use crate::ApiError;

/// `CheckoutSessionCustomization`: how the hosted page looks.
#[derive(Deserialize, ToSchema)]
#[schema(as = CheckoutSessionCustomization)]
pub(super) struct CustomizationIn {
    /// Render the page in this language (`en`, `es`, …).
    force_language: Option<String>,
    /// Show the on-demand tag (default true).
    show_on_demand_tag: Option<bool>,
    /// Show the order details (default true).
    show_order_details: Option<bool>,
    /// Light, dark or the system's; the business's theme (light) when
    /// absent.
    #[schema(value_type = Option<ThemeSchema>)]
    theme: Option<Theme>,
    theme_config: Option<ThemeConfigIn>,
}

/// `ThemeConfig`: colours per mode and type settings. Values are kept as
/// given (Kassa takes any string where Dodo lists `font_size` and
/// `font_weight` values); the page renders only safe CSS.
#[derive(Deserialize, ToSchema)]
#[schema(as = ThemeConfig)]
struct ThemeConfigIn {
    #[schema(value_type = Option<ThemeColours>)]
    light: Option<BTreeMap<String, Option<String>>>,
    #[schema(value_type = Option<ThemeColours>)]
    dark: Option<BTreeMap<String, Option<String>>>,
    /// Corner radius, e.g. `4px`, `0.5rem`.
    radius: Option<String>,
    font_size: Option<String>,
    font_weight: Option<String>,
    font_primary_url: Option<String>,
    font_secondary_url: Option<String>,
    /// The pay button's text.
    pay_button_text: Option<String>,
}

/// `CheckoutSessionFlags`: what the page lets the customer see and change.
/// Every flag is optional; an absent one keeps Dodo's default (true for the
/// `allow_*` flags but `allow_editing_addons`, false for the others). Unlike
/// the other objects of a request, unknown flags are refused.
///
/// `require_phone_number: true` needs `allow_phone_number_collection`, and
/// `require_tax_id: true` needs `allow_tax_id` (not false): refused with a
/// 422 otherwise.
#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct FlagsIn {
    allow_currency_selection: Option<bool>,
    allow_discount_code: Option<bool>,
    allow_phone_number_collection: Option<bool>,
    require_phone_number: Option<bool>,
    allow_tax_id: Option<bool>,
    require_tax_id: Option<bool>,
    require_cardholder_name: Option<bool>,
    allow_customer_editing_name: Option<bool>,
    allow_customer_editing_email: Option<bool>,
    allow_customer_editing_street: Option<bool>,
    allow_customer_editing_city: Option<bool>,
    allow_customer_editing_state: Option<bool>,
    allow_customer_editing_country: Option<bool>,
    allow_customer_editing_zipcode: Option<bool>,
    allow_customer_editing_tax_id: Option<bool>,
    allow_customer_editing_business_name: Option<bool>,
    allow_editing_addons: Option<bool>,
    always_create_new_customer: Option<bool>,
    redirect_immediately: Option<bool>,
    single_page: Option<bool>,
}

with_rules! {
    /// `CheckoutSessionFlags`: [`FlagsIn`]'s flags and the two rules
    /// between them.
    FlagsSchema as "CheckoutSessionFlags" for FlagsIn => [
        needs_allowed("require_phone_number", "allow_phone_number_collection"),
        needs_allowed("require_tax_id", "allow_tax_id"),
    ]
}

/// `required: true` needs `allowed` not turned off.
fn needs_allowed(required: &str, allowed: &str) -> utoipa::openapi::schema::Schema {
    rule::any(
        [
            rule::on().property(required, rule::not_true()).into(),
            rule::on().property(allowed, rule::not_false()).into(),
        ],
        &format!("`{required}: true` needs `{allowed}` (not false)."),
    )
}

pub(super) fn customization(c: CustomizationIn) -> Result<Customization, ApiError> {
    let defaults = Customization::default();
    let theme_config = c
        .theme_config
        .map(|t| -> Result<ThemeConfig, ApiError> {
            Ok(ThemeConfig {
                light: colours("customization.theme_config.light", t.light)?,
                dark: colours("customization.theme_config.dark", t.dark)?,
                radius: t.radius,
                font_size: t.font_size,
                font_weight: t.font_weight,
                font_primary_url: t.font_primary_url,
                font_secondary_url: t.font_secondary_url,
                pay_button_text: t.pay_button_text,
            })
        })
        .transpose()?;
    Ok(Customization {
        force_language: c.force_language,
        show_on_demand_tag: c.show_on_demand_tag.unwrap_or(defaults.show_on_demand_tag),
        show_order_details: c.show_order_details.unwrap_or(defaults.show_order_details),
        theme: c.theme,
        theme_config,
    })
}

fn colours(
    field: &str,
    raw: Option<BTreeMap<String, Option<String>>>,
) -> Result<BTreeMap<String, String>, ApiError> {
    let mut out = BTreeMap::new();
    for (key, value) in raw.unwrap_or_default() {
        if !THEME_COLOUR_KEYS.contains(&key.as_str()) {
            return Err(invalid(
                format!("{field}.{key}"),
                "is not a theme colour key",
            ));
        }
        if let Some(v) = value {
            out.insert(key, v);
        }
    }
    Ok(out)
}

pub(super) fn flags(f: FlagsIn) -> FeatureFlags {
    let d = FeatureFlags::default();
    FeatureFlags {
        allow_currency_selection: f
            .allow_currency_selection
            .unwrap_or(d.allow_currency_selection),
        allow_discount_code: f.allow_discount_code.unwrap_or(d.allow_discount_code),
        allow_phone_number_collection: f
            .allow_phone_number_collection
            .unwrap_or(d.allow_phone_number_collection),
        require_phone_number: f.require_phone_number.unwrap_or(d.require_phone_number),
        allow_tax_id: f.allow_tax_id.unwrap_or(d.allow_tax_id),
        require_tax_id: f.require_tax_id.unwrap_or(d.require_tax_id),
        require_cardholder_name: f
            .require_cardholder_name
            .unwrap_or(d.require_cardholder_name),
        allow_customer_editing_name: f
            .allow_customer_editing_name
            .unwrap_or(d.allow_customer_editing_name),
        allow_customer_editing_email: f
            .allow_customer_editing_email
            .unwrap_or(d.allow_customer_editing_email),
        allow_customer_editing_street: f
            .allow_customer_editing_street
            .unwrap_or(d.allow_customer_editing_street),
        allow_customer_editing_city: f
            .allow_customer_editing_city
            .unwrap_or(d.allow_customer_editing_city),
        allow_customer_editing_state: f
            .allow_customer_editing_state
            .unwrap_or(d.allow_customer_editing_state),
        allow_customer_editing_country: f
            .allow_customer_editing_country
            .unwrap_or(d.allow_customer_editing_country),
        allow_customer_editing_zipcode: f
            .allow_customer_editing_zipcode
            .unwrap_or(d.allow_customer_editing_zipcode),
        allow_customer_editing_tax_id: f
            .allow_customer_editing_tax_id
            .unwrap_or(d.allow_customer_editing_tax_id),
        allow_customer_editing_business_name: f
            .allow_customer_editing_business_name
            .unwrap_or(d.allow_customer_editing_business_name),
        allow_editing_addons: f.allow_editing_addons.unwrap_or(d.allow_editing_addons),
        always_create_new_customer: f
            .always_create_new_customer
            .unwrap_or(d.always_create_new_customer),
        redirect_immediately: f.redirect_immediately.unwrap_or(d.redirect_immediately),
        single_page: f.single_page.unwrap_or(d.single_page),
    }
}
