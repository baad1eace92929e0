//! The customer's part of the pay form: contact, billing address, business
//! details and the merchant's custom fields.
//!
//! Each field shows what the customer typed, else what the session fixed
//! (its customer, billing address, tax id and business name). A field whose
//! editing the merchant turned off is read-only, except an email, name or
//! country the session does not fix: the purchase cannot go on without it.

use kassa_core::checkout::{CustomField, FieldType};
use kassa_core::country::Country;

use crate::fields;
use crate::html::{Esc, Html, id_fragment};
use crate::messages::{Msg, t};
use crate::view::CheckoutPage;

use super::controls::{self, Ctx, Input, Select};

/// The HTML id of the control posting `field`, for links from the error
/// summary. `None` for names the page has no control for.
pub(super) fn control_id(page: &CheckoutPage<'_>, field: &str) -> Option<String> {
    if let Some(key) = fields::custom_key(field) {
        return Some(custom_id(key));
    }
    let id = match field {
        fields::EMAIL => "email",
        fields::NAME => "name",
        fields::PHONE_NUMBER => "phone",
        fields::COUNTRY => "country",
        fields::STREET => "street",
        fields::CITY => "city",
        fields::STATE => "state",
        fields::ZIPCODE => "zipcode",
        fields::TAX_ID => "tax-id",
        fields::BUSINESS_NAME => "business-name",
        fields::CARD_NUMBER => "card-number",
        fields::CARD_EXPIRY => "card-expiry",
        fields::CARD_CVC => "card-cvc",
        fields::CARDHOLDER_NAME => "cardholder-name",
        fields::UPI_VPA => "upi-vpa",
        fields::DISCOUNT_CODE => "discount-code",
        fields::PAYMENT_METHOD => {
            let first = page.payment_methods.first()?;
            return Some(format!("pm-{}", id_fragment(&first.id)));
        }
        _ => return None,
    };
    Some(id.to_owned())
}

fn custom_id(key: &str) -> String {
    format!("custom-{}", id_fragment(key))
}

/// What the customer typed for `name`, else the session's `fixed` value.
fn typed_or<'a>(page: &'a CheckoutPage<'_>, name: &str, fixed: Option<&'a str>) -> Option<&'a str> {
    page.entered.get(name).or(fixed)
}

pub(super) fn contact(h: &mut Html, ctx: &Ctx<'_>, page: &CheckoutPage<'_>) {
    let lang = ctx.lang;
    let session = page.session;
    let flags = &session.flags;
    writeln!(
        h,
        "<fieldset><legend>{}</legend>",
        Esc(t(lang, Msg::ContactInformation))
    );
    let mut email = Input::new(fields::EMAIL, "email", t(lang, Msg::Email));
    email.kind = "email";
    email.value = typed_or(page, fields::EMAIL, session.customer_email.as_deref());
    email.autocomplete = Some("email");
    email.required = true;
    email.readonly = !flags.allow_customer_editing_email && session.customer_email.is_some();
    controls::input(h, ctx, &email);

    let mut name = Input::new(fields::NAME, "name", t(lang, Msg::FullName));
    name.value = typed_or(page, fields::NAME, session.customer_name.as_deref());
    name.autocomplete = Some("name");
    name.required = true;
    name.readonly = !flags.allow_customer_editing_name && session.customer_name.is_some();
    controls::input(h, ctx, &name);

    if flags.allow_phone_number_collection {
        let mut phone = Input::new(fields::PHONE_NUMBER, "phone", t(lang, Msg::PhoneNumber));
        phone.kind = "tel";
        phone.value = page.entered.get(fields::PHONE_NUMBER);
        phone.autocomplete = Some("tel");
        phone.required = flags.require_phone_number;
        controls::input(h, ctx, &phone);
    }
    h.raw("</fieldset>\n");
}

/// Country first (it decides what follows), then street, city, state and
/// postal code; a minimal address has only country and postal code.
pub(super) fn address(h: &mut Html, ctx: &Ctx<'_>, page: &CheckoutPage<'_>) {
    let lang = ctx.lang;
    let flags = &page.session.flags;
    let billing = page.session.billing.as_ref();
    let countries: Vec<Country> = Country::all().collect();
    let minimal = page.session.minimal_address;
    writeln!(
        h,
        "<fieldset><legend>{}</legend>",
        Esc(t(lang, Msg::BillingAddress))
    );
    controls::select(
        h,
        ctx,
        &Select {
            name: fields::COUNTRY,
            id: "country",
            label: t(lang, Msg::Country),
            // Country codes stand in for names: none are translated yet.
            options: countries.iter().map(|c| (c.as_str(), c.as_str())).collect(),
            selected: typed_or(page, fields::COUNTRY, billing.map(|b| b.country.as_str())),
            prompt: t(lang, Msg::SelectCountry),
            autocomplete: Some("country"),
            required: true,
            editable: flags.allow_customer_editing_country || billing.is_none(),
            testid: None,
        },
    );
    if !minimal {
        let mut street = address_input(
            page,
            (fields::STREET, "street", Msg::Street, "address-line1"),
            billing.and_then(|b| b.street.as_deref()),
            flags.allow_customer_editing_street,
        );
        street.required = true;
        controls::input(h, ctx, &street);
        h.raw("<div class=\"row\">");
        let mut city = address_input(
            page,
            (fields::CITY, "city", Msg::City, "address-level2"),
            billing.and_then(|b| b.city.as_deref()),
            flags.allow_customer_editing_city,
        );
        city.required = true;
        controls::input(h, ctx, &city);
        let state = address_input(
            page,
            (fields::STATE, "state", Msg::State, "address-level1"),
            billing.and_then(|b| b.state.as_deref()),
            flags.allow_customer_editing_state,
        );
        controls::input(h, ctx, &state);
    }
    let mut zipcode = address_input(
        page,
        (fields::ZIPCODE, "zipcode", Msg::Zipcode, "postal-code"),
        billing.and_then(|b| b.zipcode.as_deref()),
        flags.allow_customer_editing_zipcode,
    );
    zipcode.required = true;
    controls::input(h, ctx, &zipcode);
    if !minimal {
        h.raw("</div>");
    }
    h.raw("</fieldset>\n");
}

/// One address line: `(field name, control id, label, autocomplete token)`,
/// the session's value and whether the merchant lets the customer change it.
fn address_input<'a>(
    page: &'a CheckoutPage<'_>,
    (name, id, msg, autocomplete): (&'a str, &'a str, Msg, &'static str),
    fixed: Option<&'a str>,
    editable: bool,
) -> Input<'a> {
    let mut input = Input::new(name, id, t(page.lang, msg));
    input.value = typed_or(page, name, fixed);
    input.autocomplete = Some(autocomplete);
    input.readonly = !editable;
    input
}

/// Tax id and business name, for B2B invoices: both shown with
/// `allow_tax_id`.
pub(super) fn business(h: &mut Html, ctx: &Ctx<'_>, page: &CheckoutPage<'_>) {
    let session = page.session;
    if !session.flags.allow_tax_id {
        return;
    }
    let lang = ctx.lang;
    writeln!(
        h,
        "<fieldset><legend>{}</legend>",
        Esc(t(lang, Msg::BusinessDetails))
    );
    let mut name = Input::new(
        fields::BUSINESS_NAME,
        "business-name",
        t(lang, Msg::BusinessName),
    );
    name.value = typed_or(
        page,
        fields::BUSINESS_NAME,
        session.customer_business_name.as_deref(),
    );
    name.autocomplete = Some("organization");
    controls::input(h, ctx, &name);
    let mut tax_id = Input::new(fields::TAX_ID, "tax-id", t(lang, Msg::TaxId));
    tax_id.value = typed_or(page, fields::TAX_ID, session.tax_id.as_deref());
    tax_id.autocomplete = Some("off");
    tax_id.required = session.flags.require_tax_id;
    controls::input(h, ctx, &tax_id);
    h.raw("</fieldset>\n");
}

pub(super) fn custom_fields(h: &mut Html, ctx: &Ctx<'_>, page: &CheckoutPage<'_>) {
    let custom_fields = &page.session.custom_fields;
    if custom_fields.is_empty() {
        return;
    }
    writeln!(
        h,
        "<fieldset><legend>{}</legend>",
        Esc(t(ctx.lang, Msg::AdditionalInformation))
    );
    for field in custom_fields {
        let name = fields::custom(&field.key);
        let value = page.entered.get(&name);
        custom_field(h, ctx, field, &name, value);
    }
    h.raw("</fieldset>\n");
}

/// A merchant's question, posted as `name`; `value` is the typed answer
/// (`"true"` checks a boolean).
fn custom_field(h: &mut Html, ctx: &Ctx<'_>, field: &CustomField, name: &str, value: Option<&str>) {
    let id = custom_id(&field.key);
    let testid = format!("custom-field-{}", field.key);
    let kind = match field.field_type {
        FieldType::Text => "text",
        FieldType::Number => "number",
        FieldType::Email => "email",
        FieldType::Url => "url",
        FieldType::Date => "date",
        FieldType::Dropdown => {
            let select = Select {
                name,
                id: &id,
                label: &field.label,
                options: field
                    .options
                    .iter()
                    .map(|o| (o.as_str(), o.as_str()))
                    .collect(),
                selected: value,
                prompt: field
                    .placeholder
                    .as_deref()
                    .unwrap_or(t(ctx.lang, Msg::SelectOption)),
                autocomplete: None,
                required: field.required,
                editable: true,
                testid: Some(&testid),
            };
            return controls::select(h, ctx, &select);
        }
        FieldType::Boolean => {
            let checked = value == Some("true");
            let control = (name, id.as_str(), field.label.as_str());
            return controls::checkbox(h, ctx, control, checked, field.required, Some(&testid));
        }
    };
    let mut input = Input::new(name, &id, &field.label);
    input.kind = kind;
    input.value = value;
    input.placeholder = field.placeholder.as_deref();
    input.required = field.required;
    input.testid = Some(&testid);
    if field.field_type == FieldType::Number {
        input.inputmode = Some("decimal");
    }
    controls::input(h, ctx, &input);
}
