//! A realistic checkout page to vary per test.

use kassa_web::view::*;
use kassa_web::{Lang, Theme, ThemeConfig};

pub fn page() -> CheckoutPage {
    CheckoutPage {
        lang: Lang::En,
        session_id: "cks_0123456789abcdefghijk".into(),
        business_name: "Acme Tools".into(),
        theme: Theme::Light,
        theme_config: ThemeConfig::default(),
        show_order_details: true,
        lines: vec![
            SummaryLine {
                name: "Hammer".into(),
                description: Some("A very good hammer".into()),
                quantity: 2,
                unit_amount: 1000,
                subtotal: 2000,
                discount: 200,
                tax: 180,
                total: 1980,
                ..SummaryLine::default()
            },
            SummaryLine {
                name: "Pro plan".into(),
                quantity: 1,
                unit_amount: 1500,
                subtotal: 1500,
                total: 1500,
                is_subscription: true,
                billing_note: Some("every 1 Month".into()),
                trial_days: Some(14),
                ..SummaryLine::default()
            },
        ],
        currency: "USD".into(),
        exponent: 2,
        subtotal: 3500,
        discount: 200,
        tax: 180,
        total: 3480,
        tax_inclusive: false,
        applied_codes: vec!["SPRING10".into()],
        allow_discount_code: true,
        customer: CustomerForm::default(),
        address: AddressForm::default(),
        countries: vec![
            ("DE".into(), "Germany".into()),
            ("US".into(), "United States".into()),
        ],
        show_tax_id: true,
        require_tax_id: false,
        tax_id: None,
        show_business_name: true,
        business_name_value: None,
        custom_fields: vec![],
        payment_methods: vec![PaymentMethodChoice {
            id: "card".into(),
            label: "Card".into(),
            selected: true,
        }],
        require_cardholder_name: false,
        errors: vec![],
        notice: None,
        cancel_url: None,
        form_action: "/session/cks_0123456789abcdefghijk/pay".into(),
        discount_action: "/session/cks_0123456789abcdefghijk/discount".into(),
        currency_choice: None,
        submit_token: "tok_abc".into(),
        test_mode: false,
    }
}

/// The opening tag of the element carrying `attr` (e.g. `name="email"`).
pub fn tag_with<'a>(html: &'a str, attr: &str) -> Option<&'a str> {
    let at = html.find(attr)?;
    let start = html[..at].rfind('<')?;
    let end = at + html[at..].find('>')?;
    Some(&html[start..=end])
}

/// The opening tag of the element carrying `attr`; panics when absent.
pub fn tag<'a>(html: &'a str, attr: &str) -> &'a str {
    tag_with(html, attr).unwrap_or_else(|| panic!("no element with {attr}"))
}

/// The text between the element with `attr` and its first closing tag.
pub fn text_of<'a>(html: &'a str, attr: &str) -> &'a str {
    let open = tag(html, attr);
    let start = html.find(open).unwrap() + open.len();
    let end = start + html[start..].find("</").unwrap();
    &html[start..end]
}
