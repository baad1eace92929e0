//! Hostile input: everything merchant- or customer-supplied is escaped,
//! unsafe colours and URLs are dropped.

use kassa_core::checkout::{CustomField, FieldType, ThemeConfig};
use kassa_web::render_checkout;
use kassa_web::view::*;

use crate::fixtures::{page, quote, render, session, tag, typed};

const SCRIPT: &str = "<script>alert(1)</script>";
const ESCAPED: &str = "&lt;script&gt;alert(1)&lt;/script&gt;";

#[test]
fn a_hostile_product_name_is_escaped() {
    let session = session();
    let mut quote = quote();
    quote.lines[0].name = SCRIPT.into();
    quote.lines[0].description = Some("\"><img src=x onerror=alert(1)>".into());
    let html = render_checkout(&page(&session, &quote));
    assert!(!html.contains("<script"));
    assert!(html.contains(ESCAPED));
    assert!(!html.contains("<img"));
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
}

#[test]
fn every_merchant_and_customer_string_is_escaped() {
    let hostile = "x\"'<b>&";
    let mut session = session();
    session.discount_codes = vec![hostile.into()];
    session.customer_email = Some(hostile.into());
    session.tax_id = Some(hostile.into());
    session.cancel_url = Some(format!("https://shop.example/{hostile}"));
    session.custom_fields = vec![CustomField {
        key: hostile.into(),
        label: hostile.into(),
        field_type: FieldType::Dropdown,
        options: vec![hostile.into()],
        placeholder: Some(hostile.into()),
        required: false,
    }];
    let quote = quote();
    let html = render_checkout(&CheckoutPage {
        business_name: hostile,
        entered: typed(&[("name", hostile), ("street", hostile)]),
        payment_methods: vec![
            PaymentMethodChoice {
                id: hostile.into(),
                label: hostile.into(),
                selected: true,
            },
            PaymentMethodChoice {
                id: "card".into(),
                label: "Card".into(),
                selected: false,
            },
        ],
        errors: vec![FieldError {
            field: Some(hostile.into()),
            message: hostile.into(),
        }],
        notice: Some(hostile.into()),
        ..page(&session, &quote)
    });
    assert!(!html.contains("<b>"));
    assert!(!html.contains("x\"'"));
    assert!(html.contains("x&quot;&#39;&lt;b&gt;&amp;"));
}

#[test]
fn a_hostile_colour_is_dropped_and_a_good_one_kept() {
    let mut config = ThemeConfig {
        radius: Some("4px;}body{display:none".into()),
        ..ThemeConfig::default()
    };
    for (key, value) in [
        ("bg_primary", "red;}</style><script>alert(1)</script>"),
        ("button_primary", "url(https://evil.example/x)"),
        ("text_primary", "#123abc"),
        ("</style><script>", "red"),
    ] {
        config.light.insert(key.into(), value.into());
    }
    let mut session = session();
    session.customization.theme_config = Some(config);
    let html = render(&session);
    assert!(!html.contains("<script"));
    assert!(!html.contains("evil.example"));
    assert!(!html.contains("display:none;"));
    assert!(html.contains("--bg-primary:#ffffff;"));
    assert!(html.contains("--text-primary:#123abc;"));
    assert!(html.contains("--radius:8px;"));
}

#[test]
fn script_urls_never_become_links_or_form_targets() {
    let mut session = session();
    session.cancel_url = Some("javascript:alert(1)".into());
    let quote = quote();
    let html = render_checkout(&CheckoutPage {
        form_action: "javascript:alert(1)".into(),
        discount_action: "data:text/html,x".into(),
        ..page(&session, &quote)
    });
    assert!(!html.contains("data-testid=\"back-link\""));
    assert!(!html.contains("javascript:"));
    assert!(!html.contains("data:text"));
    assert!(tag(&html, "class=\"pay-form\"").starts_with("<form method=\"post\""));
}

#[test]
fn hostile_pay_button_text_is_escaped() {
    let mut session = session();
    session.customization.theme_config = Some(ThemeConfig {
        pay_button_text: Some(SCRIPT.into()),
        ..ThemeConfig::default()
    });
    let html = render(&session);
    assert!(!html.contains("<script"));
    assert!(html.contains(ESCAPED));
}
