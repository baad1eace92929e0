//! Every control the customer can see has a label, checked by a small
//! label finder that is itself tested.

use kassa_core::checkout::{CustomField, FieldType};
use kassa_core::money::Currency;
use kassa_web::render_checkout;
use kassa_web::view::*;

use crate::fixtures::{page, question, quote, session};

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
    let mut session = session();
    session.custom_fields = vec![
        CustomField {
            options: vec!["1-10".into(), "11-50".into()],
            ..question("company_size", "Company size", FieldType::Dropdown)
        },
        question("referrer", "How did you hear about us?", FieldType::Text),
        question("terms", "I accept the terms", FieldType::Boolean),
        question("start", "Start date", FieldType::Date),
    ];
    session.flags.require_cardholder_name = true;
    let quote = quote();
    let html = render_checkout(&CheckoutPage {
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
            options: &[Currency::USD, Currency::EUR],
            action: "/session/cks_0123456789abcdefghijk/currency".into(),
        }),
        ..page(&session, &quote)
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
