//! The pay form's fields: contact, address, business, custom fields,
//! payment methods, and their error and label wiring.

use kassa_core::checkout::{BillingAddress, CustomField, FieldType};
use kassa_core::country::Country;
use kassa_web::fields;
use kassa_web::render_checkout;
use kassa_web::view::*;

use crate::fixtures::{html, page, question, quote, render, session, tag, typed};

#[test]
fn contact_fields_carry_autocomplete_and_labels() {
    let html = html();
    let email = tag(&html, "name=\"email\"");
    assert!(email.contains("type=\"email\""));
    assert!(email.contains("autocomplete=\"email\""));
    assert!(email.contains("required"));
    assert!(html.contains("<label for=\"email\">"));
    assert!(tag(&html, "name=\"name\"").contains("autocomplete=\"name\""));
    let phone = tag(&html, "name=\"phone_number\"");
    assert!(phone.contains("type=\"tel\""));
    assert!(phone.contains("autocomplete=\"tel\""));
    assert!(!phone.contains("required"));
}

#[test]
fn the_phone_field_is_hidden_without_phone_number_collection() {
    let mut session = session();
    session.flags.allow_phone_number_collection = false;
    let html = render(&session);
    assert!(!html.contains("name=\"phone_number\""));
}

#[test]
fn a_required_phone_is_required() {
    let mut session = session();
    session.flags.require_phone_number = true;
    let html = render(&session);
    assert!(tag(&html, "name=\"phone_number\"").contains("required aria-required=\"true\""));
}

#[test]
fn fixed_customer_values_are_shown_read_only() {
    let mut session = session();
    session.customer_email = Some("ada@example.com".into());
    session.flags.allow_customer_editing_email = false;
    let html = render(&session);
    let email = tag(&html, "name=\"email\"");
    assert!(email.contains("value=\"ada@example.com\""));
    assert!(email.contains("readonly"));
    assert!(!tag(&html, "name=\"name\"").contains("readonly"));
}

#[test]
fn a_locked_email_or_name_the_session_lacks_stays_editable() {
    let mut session = session();
    session.flags.allow_customer_editing_email = false;
    session.flags.allow_customer_editing_name = false;
    let html = render(&session);
    assert!(!tag(&html, "name=\"email\"").contains("readonly"));
    assert!(!tag(&html, "name=\"name\"").contains("readonly"));
}

#[test]
fn what_was_typed_replaces_the_sessions_values() {
    let mut session = session();
    session.customer_email = Some("ada@example.com".into());
    session.billing = Some(BillingAddress {
        country: Country::parse("DE").unwrap(),
        street: None,
        city: Some("Berlin".into()),
        state: None,
        zipcode: None,
    });
    let quote = quote();
    let html = render_checkout(&CheckoutPage {
        entered: typed(&[
            ("email", "typed@example.com"),
            ("city", ""),
            ("zipcode", "10115"),
        ]),
        ..page(&session, &quote)
    });
    assert!(tag(&html, "name=\"email\"").contains("value=\"typed@example.com\""));
    // An empty answer counts as none: the session's value shows.
    assert!(tag(&html, "name=\"city\"").contains("value=\"Berlin\""));
    assert!(tag(&html, "name=\"zipcode\"").contains("value=\"10115\""));
    assert!(html.contains("<option value=\"DE\" selected>DE</option>"));
}

#[test]
fn a_full_address_has_every_field_with_its_autocomplete_token() {
    let html = html();
    for (name, token) in [
        ("country", "country"),
        ("street", "address-line1"),
        ("city", "address-level2"),
        ("state", "address-level1"),
        ("zipcode", "postal-code"),
    ] {
        let control = tag(&html, &format!("name=\"{name}\""));
        assert!(
            control.contains(&format!("autocomplete=\"{token}\"")),
            "{name}"
        );
    }
    assert!(html.contains("<option value=\"DE\">DE</option>"));
    let select = &html[html.find(" id=\"country\"").unwrap()..];
    let select = &select[..select.find("</select>").unwrap()];
    assert_eq!(
        select.matches("<option value=\"").count(),
        Country::all().count() + 1,
        "every country Kassa accepts is offered, after the prompt"
    );
}

#[test]
fn a_minimal_address_shows_only_country_and_zipcode() {
    let mut session = session();
    session.minimal_address = true;
    let html = render(&session);
    assert!(html.contains("name=\"country\""));
    assert!(html.contains("name=\"zipcode\""));
    for hidden in ["street", "city", "state"] {
        assert!(!html.contains(&format!("name=\"{hidden}\"")), "{hidden}");
    }
}

#[test]
fn a_fixed_country_is_disabled_but_still_posted() {
    let mut session = session();
    session.billing = Some(BillingAddress {
        country: Country::parse("DE").unwrap(),
        street: None,
        city: None,
        state: None,
        zipcode: None,
    });
    session.flags.allow_customer_editing_country = false;
    let html = render(&session);
    assert!(tag(&html, " id=\"country\"").contains("disabled"));
    assert!(html.contains("<option value=\"DE\" selected>DE</option>"));
    assert!(html.contains("<input type=\"hidden\" name=\"country\" value=\"DE\">"));
}

#[test]
fn tax_id_is_required_only_when_asked() {
    let optional = html();
    assert!(!tag(&optional, "name=\"tax_id\"").contains("required"));
    let mut session = session();
    session.flags.require_tax_id = true;
    let required = render(&session);
    assert!(tag(&required, "name=\"tax_id\"").contains("required"));
    session.flags.require_tax_id = false;
    session.flags.allow_tax_id = false;
    let hidden = render(&session);
    assert!(!hidden.contains("name=\"tax_id\""));
    assert!(!hidden.contains("name=\"business_name\""));
}

fn with_custom_fields() -> String {
    let mut session = session();
    session.custom_fields = vec![
        CustomField {
            options: vec!["1-10".into(), "11-50".into()],
            required: true,
            ..question("company_size", "Company size", FieldType::Dropdown)
        },
        CustomField {
            placeholder: Some("A friend".into()),
            ..question("referrer", "How did you hear about us?", FieldType::Text)
        },
        CustomField {
            required: true,
            ..question("terms", "I accept the terms", FieldType::Boolean)
        },
        question("seats", "Seats", FieldType::Number),
    ];
    let quote = quote();
    render_checkout(&CheckoutPage {
        entered: typed(&[("custom_company_size", "11-50"), ("custom_terms", "true")]),
        ..page(&session, &quote)
    })
}

#[test]
fn a_required_custom_field_is_required_for_browsers_and_assistive_technology() {
    let html = with_custom_fields();
    let size = tag(&html, "data-testid=\"custom-field-company_size\"");
    assert!(size.contains("name=\"custom_company_size\""));
    assert!(size.contains(" required"));
    assert!(size.contains("aria-required=\"true\""));
    let referrer = tag(&html, "data-testid=\"custom-field-referrer\"");
    assert!(!referrer.contains("required"));
    assert!(referrer.contains("placeholder=\"A friend\""));
}

#[test]
fn custom_fields_use_the_control_their_type_needs() {
    let html = with_custom_fields();
    assert!(html.contains("<option value=\"11-50\" selected>11-50</option>"));
    let terms = tag(&html, "data-testid=\"custom-field-terms\"");
    assert!(terms.contains("type=\"checkbox\""));
    assert!(terms.contains("value=\"true\" checked"));
    assert!(tag(&html, "data-testid=\"custom-field-seats\"").contains("type=\"number\""));
    assert!(html.contains("<label for=\"custom-company_size\">Company size</label>"));
}

#[test]
fn errors_are_listed_in_a_live_region_and_mark_their_field() {
    let (session, quote) = (session(), quote());
    let html = render_checkout(&CheckoutPage {
        errors: vec![
            FieldError {
                field: Some(fields::EMAIL.into()),
                message: "Enter a valid email address".into(),
            },
            FieldError {
                field: None,
                message: "Something else went wrong".into(),
            },
        ],
        ..page(&session, &quote)
    });
    assert!(html.contains("role=\"alert\" aria-live=\"assertive\""));
    assert_eq!(html.matches("data-testid=\"error\"").count(), 2);
    assert!(html.contains("<a href=\"#email\">Enter a valid email address</a>"));
    let email = tag(&html, "name=\"email\"");
    assert!(email.contains("aria-invalid=\"true\""));
    assert!(email.contains("aria-describedby=\"error-0\""));
    assert!(!tag(&html, "name=\"name\"").contains("aria-invalid"));
}

#[test]
fn a_sole_card_method_requires_card_fields_with_cc_autocomplete() {
    let html = html();
    assert!(html.contains("<input type=\"hidden\" name=\"payment_method\" value=\"card\">"));
    for (name, token) in [
        ("card_number", "cc-number"),
        ("card_expiry", "cc-exp"),
        ("card_cvc", "cc-csc"),
    ] {
        let input = tag(&html, &format!("name=\"{name}\""));
        assert!(
            input.contains(&format!("autocomplete=\"{token}\"")),
            "{name}"
        );
        assert!(input.contains(" required"), "{name}");
    }
    assert!(!tag(&html, "name=\"cardholder_name\"").contains("required"));
    assert!(!html.contains("name=\"upi_vpa\""));
}

#[test]
fn cardholder_name_can_be_required() {
    let mut session = session();
    session.flags.require_cardholder_name = true;
    let html = render(&session);
    assert!(tag(&html, "name=\"cardholder_name\"").contains(" required"));
}

#[test]
fn several_methods_are_radios_and_do_not_block_each_other() {
    let (session, quote) = (session(), quote());
    let html = render_checkout(&CheckoutPage {
        payment_methods: vec![
            PaymentMethodChoice {
                id: "card".into(),
                label: "Card".into(),
                selected: false,
            },
            PaymentMethodChoice {
                id: "upi".into(),
                label: "UPI".into(),
                selected: true,
            },
        ],
        ..page(&session, &quote)
    });
    let upi = tag(&html, "data-testid=\"payment-method-upi\"");
    assert!(upi.contains("type=\"radio\""));
    assert!(upi.contains("checked"));
    assert!(!tag(&html, "data-testid=\"payment-method-card\"").contains("checked"));
    let card_number = tag(&html, "name=\"card_number\"");
    assert!(!card_number.contains(" required"));
    assert!(card_number.contains("aria-required=\"true\""));
    assert!(!tag(&html, "name=\"upi_vpa\"").contains(" required"));
}
