//! View models: everything a page shows, already decided by the app layer.
//!
//! Amounts are `i64` minor units in `currency` with `exponent` decimals;
//! discounts are positive numbers that the page shows with a minus sign.
//! Strings are raw (the renderers escape them).

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::theme::{Theme, ThemeConfig};

/// The hosted checkout page of one session.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CheckoutPage {
    pub lang: Lang,
    pub session_id: String,
    pub business_name: String,
    pub theme: Theme,
    pub theme_config: ThemeConfig,
    /// `customization.show_order_details`: when false the line items are
    /// hidden and only the totals remain.
    pub show_order_details: bool,
    pub lines: Vec<SummaryLine>,
    pub currency: String,
    pub exponent: u8,
    pub subtotal: i64,
    pub discount: i64,
    pub tax: i64,
    pub total: i64,
    /// Prices already include tax: the tax row reads "Tax (included)".
    pub tax_inclusive: bool,
    pub applied_codes: Vec<String>,
    /// `feature_flags.allow_discount_code`: shows the apply-code form.
    pub allow_discount_code: bool,
    pub customer: CustomerForm,
    pub address: AddressForm,
    /// `(alpha-2 code, display name)`, in display order.
    pub countries: Vec<(String, String)>,
    pub show_tax_id: bool,
    pub require_tax_id: bool,
    pub tax_id: Option<String>,
    pub show_business_name: bool,
    pub business_name_value: Option<String>,
    pub custom_fields: Vec<CustomFieldView>,
    pub payment_methods: Vec<PaymentMethodChoice>,
    pub require_cardholder_name: bool,
    pub errors: Vec<FieldError>,
    /// A message for the top of the page, e.g. a decline reason.
    pub notice: Option<String>,
    /// The merchant's back link; no link when `None`.
    pub cancel_url: Option<String>,
    /// Where the pay form posts.
    pub form_action: String,
    /// Where the apply-discount form posts.
    pub discount_action: String,
    /// Adaptive pricing: the currencies the customer may switch to (the
    /// current one included); no selector when `None`.
    pub currency_choice: Option<CurrencyChoice>,
    /// Echoed back as the hidden [`crate::fields::SUBMIT_TOKEN`] field.
    pub submit_token: String,
    /// Shows the "Test mode" badge and the test card hint.
    pub test_mode: bool,
}

/// One cart line in the order summary.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SummaryLine {
    pub name: String,
    pub description: Option<String>,
    pub quantity: u32,
    pub unit_amount: i64,
    pub subtotal: i64,
    pub discount: i64,
    pub tax: i64,
    pub total: i64,
    pub is_subscription: bool,
    /// Already localised, e.g. "every 1 Month".
    pub billing_note: Option<String>,
    pub trial_days: Option<u32>,
}

/// Contact fields, their values and whether the customer may change them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerForm {
    pub email: Option<String>,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email_editable: bool,
    pub name_editable: bool,
    pub show_phone: bool,
    pub require_phone: bool,
}

impl Default for CustomerForm {
    /// Empty and editable, phone shown but optional (Dodo's flag defaults).
    fn default() -> Self {
        Self {
            email: None,
            name: None,
            phone: None,
            email_editable: true,
            name_editable: true,
            show_phone: true,
            require_phone: false,
        }
    }
}

/// Billing address fields, their values and whether each is editable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressForm {
    pub country: Option<String>,
    pub street: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zipcode: Option<String>,
    pub country_editable: bool,
    pub street_editable: bool,
    pub city_editable: bool,
    pub state_editable: bool,
    pub zipcode_editable: bool,
    /// `minimal_address`: only country and postal code are shown.
    pub minimal: bool,
}

impl Default for AddressForm {
    /// Empty, editable and complete.
    fn default() -> Self {
        Self {
            country: None,
            street: None,
            city: None,
            state: None,
            zipcode: None,
            country_editable: true,
            street_editable: true,
            city_editable: true,
            state_editable: true,
            zipcode_editable: true,
            minimal: false,
        }
    }
}

/// The input kind of a merchant-defined custom field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    #[default]
    Text,
    Number,
    Email,
    Url,
    Date,
    Dropdown,
    Boolean,
}

/// A merchant-defined field, posted as `custom_<key>`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CustomFieldView {
    pub key: String,
    pub label: String,
    pub field_type: FieldType,
    /// Choices of a [`FieldType::Dropdown`].
    pub options: Vec<String>,
    pub placeholder: Option<String>,
    pub required: bool,
    /// The submitted value; `"true"` checks a [`FieldType::Boolean`].
    pub value: Option<String>,
}

/// A payment method the customer may pick.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PaymentMethodChoice {
    /// `card`, `upi`, …: posted as [`crate::fields::PAYMENT_METHOD`].
    pub id: String,
    pub label: String,
    pub selected: bool,
}

/// The currency selector's own form.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CurrencyChoice {
    /// ISO 4217 codes, in display order.
    pub options: Vec<String>,
    /// Where the selector posts (field [`crate::fields::CURRENCY`]).
    pub action: String,
}

/// A validation or processing error to show the customer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FieldError {
    /// The form field it concerns (a [`crate::fields`] name), if any.
    pub field: Option<String>,
    pub message: String,
}

/// "This checkout session has expired."
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ExpiredPage {
    pub lang: Lang,
    pub business_name: String,
    pub theme: Theme,
    pub theme_config: ThemeConfig,
}

/// Shown after a successful payment.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SuccessPage {
    pub lang: Lang,
    pub business_name: String,
    pub theme: Theme,
    pub theme_config: ThemeConfig,
    pub payment_id: String,
    pub amount: i64,
    pub currency: String,
    pub exponent: u8,
    pub email: Option<String>,
    /// The merchant's `return_url`: a "Continue" link when present.
    pub return_url: Option<String>,
}

/// The page shown for a session that has already been paid.
pub type CompletedPage = SuccessPage;

/// The test processor's simulated 3-D Secure challenge.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ChallengePage {
    pub lang: Lang,
    pub session_id: String,
    pub amount: i64,
    pub currency: String,
    pub exponent: u8,
    /// Where the "Complete authentication" form posts.
    pub complete_action: String,
    /// Where the "Fail authentication" form posts.
    pub fail_action: String,
}

/// Unknown session or link.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NotFoundPage {
    pub lang: Lang,
}

/// A page that could not be served as asked: a failure on Kassa's side
/// (retryable; `detail` is `None`, the cause is in the log) or a session
/// that can no longer be priced (`detail` says why).
pub struct TroublePage {
    pub lang: Lang,
    pub detail: Option<String>,
}

/// A payment link whose parameters cannot make a checkout: the problem is
/// the merchant's to fix, so it is shown as written (not translated).
pub struct LinkProblemPage {
    pub lang: Lang,
    pub problem: String,
}
