//! The pay form's fields: contact, address, business, custom fields,
//! payment methods, and their error and label wiring.

use kassa_web::fields;
use kassa_web::render_checkout;
use kassa_web::view::*;

use crate::fixtures::{page, tag};

#[test]
fn contact_fields_carry_autocomplete_and_labels() {
    let html = render_checkout(&page());
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
fn the_phone_field_is_hidden_when_show_phone_is_false() {
    let html = render_checkout(&CheckoutPage {
        customer: CustomerForm {
            show_phone: false,
            ..CustomerForm::default()
        },
        ..page()
    });
    assert!(!html.contains("name=\"phone_number\""));
}

#[test]
fn a_required_phone_is_required() {
    let html = render_checkout(&CheckoutPage {
        customer: CustomerForm {
            require_phone: true,
            ..CustomerForm::default()
        },
        ..page()
    });
    assert!(tag(&html, "name=\"phone_number\"").contains("required aria-required=\"true\""));
}

#[test]
fn fixed_customer_values_are_shown_read_only() {
    let html = render_checkout(&CheckoutPage {
        customer: CustomerForm {
            email: Some("ada@example.com".into()),
            email_editable: false,
            ..CustomerForm::default()
        },
        ..page()
    });
    let email = tag(&html, "name=\"email\"");
    assert!(email.contains("value=\"ada@example.com\""));
    assert!(email.contains("readonly"));
    assert!(!tag(&html, "name=\"name\"").contains("readonly"));
}

#[test]
fn a_full_address_has_every_field_with_its_autocomplete_token() {
    let html = render_checkout(&page());
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
    assert!(html.contains("<option value=\"DE\">Germany</option>"));
}

#[test]
fn a_minimal_address_shows_only_country_and_zipcode() {
    let html = render_checkout(&CheckoutPage {
        address: AddressForm {
            minimal: true,
            ..AddressForm::default()
        },
        ..page()
    });
    assert!(html.contains("name=\"country\""));
    assert!(html.contains("name=\"zipcode\""));
    for hidden in ["street", "city", "state"] {
        assert!(!html.contains(&format!("name=\"{hidden}\"")), "{hidden}");
    }
}

#[test]
fn a_fixed_country_is_disabled_but_still_posted() {
    let html = render_checkout(&CheckoutPage {
        address: AddressForm {
            country: Some("DE".into()),
            country_editable: false,
            ..AddressForm::default()
        },
        ..page()
    });
    assert!(tag(&html, " id=\"country\"").contains("disabled"));
    assert!(html.contains("<option value=\"DE\" selected>Germany</option>"));
    assert!(html.contains("<input type=\"hidden\" name=\"country\" value=\"DE\">"));
}

#[test]
fn tax_id_is_required_only_when_asked() {
    let optional = render_checkout(&page());
    assert!(!tag(&optional, "name=\"tax_id\"").contains("required"));
    let required = render_checkout(&CheckoutPage {
        require_tax_id: true,
        ..page()
    });
    assert!(tag(&required, "name=\"tax_id\"").contains("required"));
    let hidden = render_checkout(&CheckoutPage {
        show_tax_id: false,
        show_business_name: false,
        ..page()
    });
    assert!(!hidden.contains("name=\"tax_id\""));
    assert!(!hidden.contains("name=\"business_name\""));
}

fn with_custom_fields() -> String {
    render_checkout(&CheckoutPage {
        custom_fields: vec![
            CustomFieldView {
                key: "company_size".into(),
                label: "Company size".into(),
                field_type: FieldType::Dropdown,
                options: vec!["1-10".into(), "11-50".into()],
                required: true,
                value: Some("11-50".into()),
                ..CustomFieldView::default()
            },
            CustomFieldView {
                key: "referrer".into(),
                label: "How did you hear about us?".into(),
                placeholder: Some("A friend".into()),
                ..CustomFieldView::default()
            },
            CustomFieldView {
                key: "terms".into(),
                label: "I accept the terms".into(),
                field_type: FieldType::Boolean,
                required: true,
                ..CustomFieldView::default()
            },
            CustomFieldView {
                key: "seats".into(),
                label: "Seats".into(),
                field_type: FieldType::Number,
                ..CustomFieldView::default()
            },
        ],
        ..page()
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
    assert!(terms.contains("value=\"true\""));
    assert!(tag(&html, "data-testid=\"custom-field-seats\"").contains("type=\"number\""));
    assert!(html.contains("<label for=\"custom-company_size\">Company size</label>"));
}

/// The value of `name="…"` in an opening tag.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    Some(&tag[start..start + tag[start..].find('"')?])
}

/// Visible text of an HTML fragment: tags dropped, whitespace trimmed.
fn text(fragment: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in fragment.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_owned()
}

/// Every form control a customer can see (`<input>` but hidden ones,
/// `<select>`, `<textarea>`) with how it is labelled, or why it is not.
fn controls_and_their_labels(html: &str) -> Vec<(String, Result<String, String>)> {
    // `<label for>` texts by id, and the spans of every `<label>…</label>`.
    let mut labels_for = std::collections::HashMap::new();
    let mut label_spans = vec![];
    for (at, _) in html.match_indices("<label") {
        let open = &html[at..=at + html[at..].find('>').unwrap()];
        let end = at + html[at..].find("</label>").expect("a closed label");
        label_spans.push(at..end);
        if let Some(id) = attr(open, "for") {
            labels_for.insert(id.to_owned(), text(&html[at..end]));
        }
    }
    let ids: std::collections::HashMap<&str, usize> = html
        .match_indices(" id=\"")
        .map(|(at, m)| {
            let start = at + m.len();
            (&html[start..start + html[start..].find('"').unwrap()], at)
        })
        .collect();
    let mut out = vec![];
    for kind in ["<input", "<select", "<textarea"] {
        for (at, _) in html.match_indices(kind) {
            let tag = &html[at..=at + html[at..].find('>').unwrap()];
            if attr(tag, "type") == Some("hidden") {
                continue;
            }
            let who = attr(tag, "name").unwrap_or(tag).to_owned();
            let by_for = attr(tag, "id")
                .and_then(|id| labels_for.get(id))
                .filter(|t| !t.is_empty());
            let by_aria = attr(tag, "aria-label").filter(|t| !t.trim().is_empty());
            let by_ref = attr(tag, "aria-labelledby").and_then(|r| {
                let at = *ids.get(r)?;
                let end = at + html[at..].find("</")?;
                Some(text(&html[at..end])).filter(|t| !t.is_empty())
            });
            let wrapped = label_spans
                .iter()
                .find(|s| s.contains(&at))
                .map(|s| text(&html[s.clone()]))
                .filter(|t| !t.is_empty());
            let label = match (by_for, by_aria, by_ref, wrapped) {
                (Some(t), ..) => Ok(format!("<label for>: {t}")),
                (_, Some(t), ..) => Ok(format!("aria-label: {t}")),
                (_, _, Some(t), _) => Ok(format!("aria-labelledby: {t}")),
                (.., Some(t)) => Ok(format!("wrapping <label>: {t}")),
                _ => Err(tag.to_owned()),
            };
            out.push((who, label));
        }
    }
    out
}

#[test]
fn every_visible_control_has_a_label() {
    // Every kind of control the page can show: contact, address, business
    // and tax id, custom fields of each type, two payment methods (radios,
    // card and UPI fields), the code box and the currency selector.
    let html = render_checkout(&CheckoutPage {
        custom_fields: vec![
            CustomFieldView {
                key: "company_size".into(),
                label: "Company size".into(),
                field_type: FieldType::Dropdown,
                options: vec!["1-10".into(), "11-50".into()],
                ..CustomFieldView::default()
            },
            CustomFieldView {
                key: "referrer".into(),
                label: "How did you hear about us?".into(),
                ..CustomFieldView::default()
            },
            CustomFieldView {
                key: "terms".into(),
                label: "I accept the terms".into(),
                field_type: FieldType::Boolean,
                ..CustomFieldView::default()
            },
            CustomFieldView {
                key: "start".into(),
                label: "Start date".into(),
                field_type: FieldType::Date,
                ..CustomFieldView::default()
            },
        ],
        payment_methods: vec![
            PaymentMethodChoice {
                id: "card".into(),
                label: "Card".into(),
                selected: true,
            },
            PaymentMethodChoice {
                id: "upi".into(),
                label: "UPI".into(),
                selected: false,
            },
        ],
        currency_choice: Some(CurrencyChoice {
            options: vec!["USD".into(), "EUR".into()],
            action: "/session/cks_0123456789abcdefghijk/currency".into(),
        }),
        require_cardholder_name: true,
        ..page()
    });
    let controls = controls_and_their_labels(&html);
    let unlabelled: Vec<_> = controls.iter().filter(|(_, l)| l.is_err()).collect();
    assert!(
        unlabelled.is_empty(),
        "controls without a label: {unlabelled:#?}"
    );
    let names: Vec<&str> = controls.iter().map(|(n, _)| n.as_str()).collect();
    for expected in [
        "email",
        "name",
        "phone_number",
        "country",
        "zipcode",
        "tax_id",
        "business_name",
        "custom_company_size",
        "custom_referrer",
        "custom_terms",
        "custom_start",
        "payment_method",
        "card_number",
        "card_expiry",
        "card_cvc",
        "cardholder_name",
        "upi_vpa",
        "discount_code",
        "currency",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} was not checked: {names:?}"
        );
    }
    assert!(
        controls.len() >= 20,
        "only {} controls checked: {names:?}",
        controls.len()
    );
}

/// The checker itself: a control with neither an id nor an aria-label, and
/// one whose label is empty, are reported; wrapping and aria labels count.
#[test]
fn the_label_check_reports_a_control_without_one() {
    let html = "<form><input name=\"bare\"><textarea name=\"notes\"></textarea>\
        <label for=\"e\"> </label><input id=\"e\" name=\"empty\">\
        <label>Wrapped <input type=\"checkbox\" name=\"wrapped\"></label>\
        <input name=\"aria\" aria-label=\"Search\"><input type=\"hidden\" name=\"h\">\
        <span id=\"lbl\">Seats</span><select name=\"by_ref\" aria-labelledby=\"lbl\"></select></form>";
    let controls = controls_and_their_labels(html);
    let verdict: Vec<(&str, bool)> = controls
        .iter()
        .map(|(n, l)| (n.as_str(), l.is_ok()))
        .collect();
    assert_eq!(
        verdict,
        [
            ("bare", false),
            ("empty", false),
            ("wrapped", true),
            ("aria", true),
            ("by_ref", true),
            ("notes", false),
        ]
    );
}

#[test]
fn errors_are_listed_in_a_live_region_and_mark_their_field() {
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
        ..page()
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
    let html = render_checkout(&page());
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
    let html = render_checkout(&CheckoutPage {
        require_cardholder_name: true,
        ..page()
    });
    assert!(tag(&html, "name=\"cardholder_name\"").contains(" required"));
}

#[test]
fn several_methods_are_radios_and_do_not_block_each_other() {
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
        ..page()
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
