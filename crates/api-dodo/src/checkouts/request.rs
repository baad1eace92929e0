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
use utoipa::ToSchema;
use utoipa::openapi::schema::{
    AllOfBuilder, ArrayBuilder, ObjectBuilder, Schema, SchemaType, Type,
};

use super::page_options::FlagsSchema;
use super::page_options::{CustomizationIn, FlagsIn, customization, flags};
use super::schema::{
    CheckoutCustomer, FieldTypeSchema, PaymentCustomer, PaymentMethodType, WebUrl, empty_list,
    rule, unsupported, with_rules,
};
use crate::ApiError;
use crate::openapi::{CountryCode, CurrencyCode, MetadataSchema, MinorUnits};
use crate::wire::{MetadataIn, amount, currency, metadata_in};

/// `CreateCheckoutSessionRequest`, for `POST /checkouts` and
/// `POST /checkouts/preview`.
///
/// Rules between fields, refused with a 422 naming the field (those a
/// schema can state are also in [`CheckoutRequestSchema`]'s `allOf`):
/// - each product appears once in `product_cart` (raise its `quantity`);
///   products exist (else 404), are not archived and share one currency,
///   addons go only with subscription products that offer them, and a
///   line's `amount` is at least a pay-what-you-want product's price;
/// - `discount_code` and `discount_codes` are not both given, and each
///   code exists, is redeemable for this cart and appears once;
/// - `custom_fields` keys are unique, and only `dropdown` fields (and
///   every one of them) have `options`;
/// - `tax_id` needs `billing_address`;
/// - `payment_method_id` needs `confirm: true` and `customer.customer_id`
///   (Kassa keeps no saved methods for checkout sessions yet: any id is a
///   404 then);
/// - `confirm: true` needs a `customer` and a `billing_address` whose
///   `street`, `city`, `state` and `zipcode` are not blank (only `zipcode`
///   with `minimal_address`, which defaults to `feature_flags.single_page`),
///   and `tax_id` when `feature_flags.require_tax_id`; the new customer's
///   `name` and `phone_number` are then checked too;
/// - `feature_flags.require_phone_number` needs
///   `allow_phone_number_collection`, and `require_tax_id` needs
///   `allow_tax_id`.
#[derive(Deserialize, ToSchema)]
pub struct CheckoutRequest {
    /// 1 to 20 lines (Dodo states no bound), each product once.
    #[schema(min_items = 1, max_items = 20)]
    product_cart: Vec<CartItemIn>,
    #[schema(value_type = Option<CheckoutCustomer>)]
    customer: Option<CustomerIn>,
    billing_address: Option<AddressIn>,
    /// With `confirm: true`, only `billing_address.zipcode` is required.
    /// Defaults to `feature_flags.single_page`.
    minimal_address: Option<bool>,
    /// Finalizes the session at once and opens its payment: every detail
    /// the payment needs must be given (see the rules above).
    #[serde(default)]
    confirm: bool,
    /// A saved payment method to charge; needs `confirm: true` and an
    /// existing customer.
    payment_method_id: Option<String>,
    /// Where the customer goes after paying (or failing to).
    #[schema(value_type = Option<WebUrl>)]
    return_url: Option<String>,
    /// Where the page's back button goes; no back button without it.
    #[schema(value_type = Option<WebUrl>)]
    cancel_url: Option<String>,
    /// Bill in this currency (adaptive pricing); ignored unless the
    /// operator has loaded exchange rates.
    #[schema(value_type = Option<CurrencyCode>)]
    billing_currency: Option<String>,
    /// The methods the page may offer; duplicates are allowed (Dodo asks
    /// for unique items).
    #[schema(value_type = Option<Vec<PaymentMethodType>>)]
    allowed_payment_method_types: Option<Vec<String>>,
    /// Offer a returning customer's saved methods.
    #[serde(default)]
    show_saved_payment_methods: bool,
    /// Discount codes to stack, in order: at most 20, each once.
    #[schema(max_items = 20)]
    discount_codes: Option<Vec<String>>,
    /// One discount code (deprecated): not with `discount_codes`.
    #[schema(deprecated)]
    discount_code: Option<String>,
    /// Questions the page asks: at most 5, keys unique.
    #[schema(max_items = 5, value_type = Option<Vec<CustomFieldSchema>>)]
    custom_fields: Option<Vec<CustomFieldIn>>,
    #[schema(value_type = Option<MetadataSchema>)]
    metadata: Option<MetadataIn>,
    /// The customer's tax id; needs `billing_address`. A valid EU VAT
    /// number of the billing country makes the sale reverse-charged; one
    /// Kassa cannot use is reported in the preview's `tax_id_err_msg`, not
    /// refused.
    tax_id: Option<String>,
    /// The legal name to invoice with a tax id.
    customer_business_name: Option<String>,
    /// Answer with a short checkout URL.
    #[serde(default)]
    short_link: bool,
    /// Product collections are not served yet: only null.
    #[schema(schema_with = unsupported)]
    product_collection_id: Option<String>,
    subscription_data: Option<SubscriptionDataIn>,
    /// Overrides the merchant's 3-D Secure default.
    force_3ds: Option<bool>,
    /// Accepted for Dodo compatibility and unused (Kassa takes no Indian
    /// e-mandates); 0 or more, up to an int64 (Dodo: an int32).
    #[schema(minimum = 0, maximum = 9223372036854775807_i64)]
    mandate_min_amount_inr_paise: Option<i64>,
    customization: Option<CustomizationIn>,
    #[schema(value_type = Option<FlagsSchema>)]
    feature_flags: Option<FlagsIn>,
}

with_rules! {
    /// `CreateCheckoutSessionRequest`: [`CheckoutRequest`]'s fields and
    /// the rules between them that a schema can state.
    CheckoutRequestSchema as "CreateCheckoutSessionRequest" for CheckoutRequest => [
        rule::not_both("discount_code", "discount_codes"),
        rule::needs("tax_id", "billing_address", Type::Object),
        saved_method_rule(),
        confirm_rule(),
    ]; refs PaymentCustomer
}

/// `payment_method_id` needs `confirm: true` and an existing customer.
fn saved_method_rule() -> Schema {
    rule::any(
        [
            rule::on()
                .property("payment_method_id", rule::unset())
                .into(),
            rule::on()
                .required("confirm")
                .property("confirm", rule::is(true))
                .required("customer")
                .property(
                    "customer",
                    ObjectBuilder::new()
                        .required("customer_id")
                        .property("customer_id", rule::of_type(Type::String)),
                )
                .into(),
        ],
        "`payment_method_id` needs `confirm: true` and `customer.customer_id`.",
    )
}

/// What `confirm: true` needs: a customer (a new one with a valid name and
/// phone number), a billing address complete enough, and the tax id the
/// flags require.
fn confirm_rule() -> Schema {
    let full_address = ["street", "city", "state"]
        .into_iter()
        .fold(rule::on(), |o, f| {
            o.required(f).property(f, rule::not_blank())
        });
    let address = rule::any(
        [
            rule::on()
                .required("minimal_address")
                .property("minimal_address", rule::is(true))
                .into(),
            rule::on()
                .property("minimal_address", rule::unset())
                .required("feature_flags")
                .property(
                    "feature_flags",
                    ObjectBuilder::new()
                        .required("single_page")
                        .property("single_page", rule::is(true)),
                )
                .into(),
            rule::on().property("billing_address", full_address).into(),
        ],
        "With `confirm: true`, `billing_address.street`, `city` and `state` are not blank, unless `minimal_address` (by default `feature_flags.single_page`).",
    );
    let tax_id = rule::any(
        [
            rule::on()
                .property(
                    "feature_flags",
                    rule::on().property("require_tax_id", rule::not_true()),
                )
                .into(),
            rule::on()
                .required("tax_id")
                .property("tax_id", rule::of_type(Type::String))
                .into(),
        ],
        "With `confirm: true` and `feature_flags.require_tax_id`, `tax_id` is given.",
    );
    let confirmed = AllOfBuilder::new()
        .item(
            rule::on()
                .required("confirm")
                .property("confirm", rule::is(true))
                .required("customer")
                .property("customer", rule::named("PaymentCustomerRequest"))
                .required("billing_address")
                .property(
                    "billing_address",
                    ObjectBuilder::new()
                        .required("zipcode")
                        .property("zipcode", rule::not_blank()),
                ),
        )
        .item(address)
        .item(tax_id)
        .build();
    rule::any(
        [
            rule::on().property("confirm", rule::not_true()).into(),
            Schema::AllOf(confirmed),
        ],
        "`confirm: true` needs a customer (a new one is made at once, so its name and phone number are checked), a billing address with a `zipcode` that is not blank, and the tax id `feature_flags.require_tax_id` asks for.",
    )
}

/// `ProductItemReq`: one cart line.
#[derive(Deserialize, ToSchema)]
#[schema(as = ProductItemReq)]
pub(crate) struct CartItemIn {
    /// A product id (`pdt_…`).
    #[schema(pattern = "^pdt_[0-9A-Za-z]{21}$")]
    product_id: String,
    /// At least 1 (Dodo allows 0).
    #[schema(minimum = 1, maximum = 4294967295_i64)]
    quantity: i64,
    /// The price a pay-what-you-want product is sold at, in minor units:
    /// at least the product's price; ignored for other products. Without
    /// it, the product's suggested price.
    #[schema(value_type = Option<MinorUnits>)]
    amount: Option<i64>,
    /// Addons of a subscription product, each offered with it.
    addons: Option<Vec<AddonIn>>,
    /// Credit entitlements are not served yet: null or empty only.
    #[schema(schema_with = empty_list)]
    credit_entitlements: Option<Vec<Value>>,
}

/// `AttachAddonReq`.
#[derive(Deserialize, ToSchema)]
#[schema(as = AttachAddonReq)]
struct AddonIn {
    /// An addon id (`adn_…`).
    #[schema(pattern = "^adn_[0-9A-Za-z]{21}$")]
    addon_id: String,
    /// Units of the addon; 0 prices it without buying any.
    #[schema(minimum = 0, maximum = 4294967295_i64)]
    quantity: i64,
}

/// Dodo's `AttachExistingCustomer | NewCustomer`, told apart by which
/// fields are present (`customer_id` wins). A plain struct, not an untagged
/// enum: that would buffer every body's customer and try each shape in turn.
/// Its schemas are [`CheckoutCustomer`] and
/// [`PaymentCustomer`](super::schema::PaymentCustomer).
#[derive(Deserialize)]
pub(crate) struct CustomerIn {
    customer_id: Option<String>,
    email: Option<String>,
    name: Option<String>,
    phone_number: Option<String>,
}

/// A billing address: the country always, the rest as a payment needs it
/// (`confirm: true`, or a saved method on `POST /payments`, requires some
/// of them not blank).
#[derive(Deserialize, ToSchema)]
#[schema(as = BillingAddressRequest)]
pub(crate) struct AddressIn {
    #[schema(value_type = CountryCode)]
    country: String,
    street: Option<String>,
    city: Option<String>,
    /// State or province; it picks the tax rate where the country's
    /// rates differ by region.
    state: Option<String>,
    zipcode: Option<String>,
}

/// `CustomField`: a question the hosted page asks; the answers come back
/// on the payment. A `dropdown` field needs at least one option; other
/// types take none (`options` null or empty).
#[derive(Deserialize, ToSchema)]
struct CustomFieldIn {
    #[schema(value_type = FieldTypeSchema)]
    field_type: FieldType,
    /// 1 to 50 letters, digits, `_` or `-`; unique in the session.
    #[schema(pattern = "^[A-Za-z0-9_-]{1,50}$")]
    key: String,
    /// 1 to 200 characters, not all blank.
    #[schema(
        max_length = 200,
        pattern = r"[^\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
    )]
    label: String,
    /// A dropdown's choices (at least one); null or empty for other types.
    options: Option<Vec<String>>,
    placeholder: Option<String>,
    /// Whether the customer must answer.
    #[serde(default)]
    required: bool,
}

/// `SubscriptionData`.
#[derive(Deserialize, ToSchema)]
#[schema(as = SubscriptionData)]
struct SubscriptionDataIn {
    /// Overrides the products' trial: 0 to 10000 days.
    #[schema(minimum = 0, maximum = 10000)]
    trial_period_days: Option<i64>,
    /// On-demand subscriptions are not enabled on Kassa: only null
    /// (`ON_DEMAND_SUBSCRIPTIONS_NOT_ENABLED` otherwise).
    #[schema(schema_with = unsupported)]
    on_demand: Option<Value>,
}

with_rules! {
    /// `CustomField`: [`CustomFieldIn`]'s fields and the rule between
    /// `field_type` and `options`.
    CustomFieldSchema as "CustomField" for CustomFieldIn => [options_rule()]
}

/// The field types that take no options: all but `dropdown`.
const OPTIONLESS_TYPES: [&str; 6] = ["text", "number", "email", "url", "date", "boolean"];

/// A `dropdown` has at least one option; other types have none.
fn options_rule() -> Schema {
    rule::any(
        [
            rule::on()
                .required("field_type")
                .property("field_type", rule::is("dropdown"))
                .required("options")
                .property(
                    "options",
                    ArrayBuilder::new()
                        .items(ObjectBuilder::new().schema_type(Type::String))
                        .min_items(Some(1)),
                )
                .into(),
            rule::on()
                .property(
                    "field_type",
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some(OPTIONLESS_TYPES)),
                )
                .property(
                    "options",
                    ArrayBuilder::new()
                        .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
                        .items(ObjectBuilder::new().schema_type(Type::String))
                        .max_items(Some(0)),
                )
                .into(),
        ],
        "A `dropdown` field has at least one option; other types have none.",
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_optionless_types_are_every_field_type_but_dropdown() {
        let mut all: Vec<&str> = FieldTypeSchema::serde_names()
            .into_iter()
            .map(|(_, wire)| wire)
            .filter(|t| *t != "dropdown")
            .collect();
        let mut listed = OPTIONLESS_TYPES.to_vec();
        all.sort_unstable();
        listed.sort_unstable();
        assert_eq!(all, listed);
    }
}
