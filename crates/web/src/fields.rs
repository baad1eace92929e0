//! Names of the form fields the checkout page posts.
//!
//! The pay form (to `CheckoutPage::form_action`) carries every field below
//! except [`DISCOUNT_CODE`]; the apply-code form (to
//! `CheckoutPage::discount_action`) carries only [`DISCOUNT_CODE`]. Fields
//! that are not shown are not posted; an unchecked boolean custom field is
//! absent, a checked one is `true`. The challenge page's two forms carry
//! [`SESSION_ID`].

pub const EMAIL: &str = "email";
pub const NAME: &str = "name";
pub const PHONE_NUMBER: &str = "phone_number";
/// ISO 3166-1 alpha-2.
pub const COUNTRY: &str = "country";
pub const STREET: &str = "street";
pub const CITY: &str = "city";
pub const STATE: &str = "state";
pub const ZIPCODE: &str = "zipcode";
pub const TAX_ID: &str = "tax_id";
pub const BUSINESS_NAME: &str = "business_name";
/// The chosen `PaymentMethodChoice::id`, e.g. `card` or `upi`.
pub const PAYMENT_METHOD: &str = "payment_method";
/// Digits, possibly with spaces.
pub const CARD_NUMBER: &str = "card_number";
/// `MM/YY`.
pub const CARD_EXPIRY: &str = "card_expiry";
pub const CARD_CVC: &str = "card_cvc";
pub const CARDHOLDER_NAME: &str = "cardholder_name";
/// A UPI virtual payment address, e.g. `success@upi`.
pub const UPI_VPA: &str = "upi_vpa";
pub const DISCOUNT_CODE: &str = "discount_code";
/// The currency selector (adaptive pricing).
pub const CURRENCY: &str = "currency";
/// Hidden; the session's id, echoed back.
pub const SUBMIT_TOKEN: &str = "submit_token";
/// Hidden, on the challenge forms.
pub const SESSION_ID: &str = "session_id";
/// Prefix of a custom field's name: the answer to key `size` is posted as
/// `custom_size`.
pub const CUSTOM_PREFIX: &str = "custom_";

/// The form field name of the custom field `key`.
pub fn custom(key: &str) -> String {
    format!("{CUSTOM_PREFIX}{key}")
}

/// The custom field key a posted field name carries, if it is one.
pub fn custom_key(field_name: &str) -> Option<&str> {
    field_name.strip_prefix(CUSTOM_PREFIX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_field_names_round_trip() {
        assert_eq!(custom("company_size"), "custom_company_size");
        assert_eq!(custom_key("custom_company_size"), Some("company_size"));
        assert_eq!(custom_key("email"), None);
    }
}
