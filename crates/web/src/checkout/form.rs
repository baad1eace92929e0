//! The customer's part of the pay form: contact, billing address, business
//! details and the merchant's custom fields.

use crate::fields;
use crate::html::{Esc, Html, id_fragment};
use crate::messages::{Msg, t};
use crate::view::{CheckoutPage, CustomFieldView, FieldType};

use super::controls::{self, Ctx, Input, Select};

/// The HTML id of the control posting `field`, for links from the error
/// summary. `None` for names the page has no control for.
pub(super) fn control_id(page: &CheckoutPage, field: &str) -> Option<String> {
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

pub(super) fn contact(h: &mut Html, ctx: &Ctx<'_>, page: &CheckoutPage) {
    let lang = ctx.lang;
    let customer = &page.customer;
    writeln!(
        h,
        "<fieldset><legend>{}</legend>",
        Esc(t(lang, Msg::ContactInformation))
    );
    let mut email = Input::new(fields::EMAIL, "email", t(lang, Msg::Email));
    email.kind = "email";
    email.value = customer.email.as_deref();
    email.autocomplete = Some("email");
    email.required = true;
    email.readonly = !customer.email_editable;
    controls::input(h, ctx, &email);

    let mut name = Input::new(fields::NAME, "name", t(lang, Msg::FullName));
    name.value = customer.name.as_deref();
    name.autocomplete = Some("name");
    name.required = true;
    name.readonly = !customer.name_editable;
    controls::input(h, ctx, &name);

    if customer.show_phone {
        let mut phone = Input::new(fields::PHONE_NUMBER, "phone", t(lang, Msg::PhoneNumber));
        phone.kind = "tel";
        phone.value = customer.phone.as_deref();
        phone.autocomplete = Some("tel");
        phone.required = customer.require_phone;
        controls::input(h, ctx, &phone);
    }
    h.raw("</fieldset>\n");
}

/// Country first (it decides what follows), then street, city, state and
/// postal code; a minimal address has only country and postal code.
pub(super) fn address(h: &mut Html, ctx: &Ctx<'_>, page: &CheckoutPage) {
    let lang = ctx.lang;
    let address = &page.address;
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
            options: page
                .countries
                .iter()
                .map(|(code, name)| (code.as_str(), name.as_str()))
                .collect(),
            selected: address.country.as_deref(),
            prompt: t(lang, Msg::SelectCountry),
            autocomplete: Some("country"),
            required: true,
            editable: address.country_editable,
            testid: None,
        },
    );
    if !address.minimal {
        let mut street = address_input(
            ctx,
            fields::STREET,
            "street",
            Msg::Street,
            &address.street,
            "address-line1",
            address.street_editable,
        );
        street.required = true;
        controls::input(h, ctx, &street);
        h.raw("<div class=\"row\">");
        let mut city = address_input(
            ctx,
            fields::CITY,
            "city",
            Msg::City,
            &address.city,
            "address-level2",
            address.city_editable,
        );
        city.required = true;
        controls::input(h, ctx, &city);
        let state = address_input(
            ctx,
            fields::STATE,
            "state",
            Msg::State,
            &address.state,
            "address-level1",
            address.state_editable,
        );
        controls::input(h, ctx, &state);
    }
    let mut zipcode = address_input(
        ctx,
        fields::ZIPCODE,
        "zipcode",
        Msg::Zipcode,
        &address.zipcode,
        "postal-code",
        address.zipcode_editable,
    );
    zipcode.required = true;
    controls::input(h, ctx, &zipcode);
    if !address.minimal {
        h.raw("</div>");
    }
    h.raw("</fieldset>\n");
}

fn address_input<'a>(
    ctx: &Ctx<'_>,
    name: &'a str,
    id: &'a str,
    msg: Msg,
    value: &'a Option<String>,
    autocomplete: &'static str,
    editable: bool,
) -> Input<'a> {
    let mut input = Input::new(name, id, t(ctx.lang, msg));
    input.value = value.as_deref();
    input.autocomplete = Some(autocomplete);
    input.readonly = !editable;
    input
}

/// Tax id and business name, for B2B invoices.
pub(super) fn business(h: &mut Html, ctx: &Ctx<'_>, page: &CheckoutPage) {
    if !page.show_tax_id && !page.show_business_name {
        return;
    }
    let lang = ctx.lang;
    writeln!(
        h,
        "<fieldset><legend>{}</legend>",
        Esc(t(lang, Msg::BusinessDetails))
    );
    if page.show_business_name {
        let mut name = Input::new(
            fields::BUSINESS_NAME,
            "business-name",
            t(lang, Msg::BusinessName),
        );
        name.value = page.business_name_value.as_deref();
        name.autocomplete = Some("organization");
        controls::input(h, ctx, &name);
    }
    if page.show_tax_id {
        let mut tax_id = Input::new(fields::TAX_ID, "tax-id", t(lang, Msg::TaxId));
        tax_id.value = page.tax_id.as_deref();
        tax_id.autocomplete = Some("off");
        tax_id.required = page.require_tax_id;
        controls::input(h, ctx, &tax_id);
    }
    h.raw("</fieldset>\n");
}

pub(super) fn custom_fields(h: &mut Html, ctx: &Ctx<'_>, page: &CheckoutPage) {
    if page.custom_fields.is_empty() {
        return;
    }
    writeln!(
        h,
        "<fieldset><legend>{}</legend>",
        Esc(t(ctx.lang, Msg::AdditionalInformation))
    );
    for field in &page.custom_fields {
        custom_field(h, ctx, field);
    }
    h.raw("</fieldset>\n");
}

fn custom_field(h: &mut Html, ctx: &Ctx<'_>, field: &CustomFieldView) {
    let name = fields::custom(&field.key);
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
                name: &name,
                id: &id,
                label: &field.label,
                options: field
                    .options
                    .iter()
                    .map(|o| (o.as_str(), o.as_str()))
                    .collect(),
                selected: field.value.as_deref(),
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
            let checked = field.value.as_deref() == Some("true");
            let control = (name.as_str(), id.as_str(), field.label.as_str());
            return controls::checkbox(h, ctx, control, checked, field.required, Some(&testid));
        }
    };
    let mut input = Input::new(&name, &id, &field.label);
    input.kind = kind;
    input.value = field.value.as_deref();
    input.placeholder = field.placeholder.as_deref();
    input.required = field.required;
    input.testid = Some(&testid);
    if field.field_type == FieldType::Number {
        input.inputmode = Some("decimal");
    }
    controls::input(h, ctx, &input);
}
