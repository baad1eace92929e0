//! Hostile input: everything merchant- or customer-supplied is escaped,
//! unsafe colours and URLs are dropped.

use kassa_web::render_checkout;
use kassa_web::view::*;

use crate::fixtures::{page, tag};

const SCRIPT: &str = "<script>alert(1)</script>";
const ESCAPED: &str = "&lt;script&gt;alert(1)&lt;/script&gt;";

#[test]
fn a_hostile_product_name_is_escaped() {
    let mut page = page();
    page.lines[0].name = SCRIPT.into();
    page.lines[0].description = Some("\"><img src=x onerror=alert(1)>".into());
    let html = render_checkout(&page);
    assert!(!html.contains("<script"));
    assert!(html.contains(ESCAPED));
    assert!(!html.contains("<img"));
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
}

#[test]
fn every_merchant_and_customer_string_is_escaped() {
    let hostile = "x\"'<b>&";
    let html = render_checkout(&CheckoutPage {
        business_name: hostile.into(),
        applied_codes: vec![hostile.into()],
        customer: CustomerForm {
            email: Some(hostile.into()),
            ..CustomerForm::default()
        },
        countries: vec![(hostile.into(), hostile.into())],
        custom_fields: vec![CustomFieldView {
            key: hostile.into(),
            label: hostile.into(),
            field_type: FieldType::Dropdown,
            options: vec![hostile.into()],
            placeholder: Some(hostile.into()),
            ..CustomFieldView::default()
        }],
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
        submit_token: hostile.into(),
        currency: hostile.into(),
        ..page()
    });
    assert!(!html.contains("<b>"));
    assert!(!html.contains("x\"'"));
    assert!(html.contains("x&quot;&#39;&lt;b&gt;&amp;"));
}

#[test]
fn a_hostile_colour_is_dropped_and_a_good_one_kept() {
    let mut page = page();
    page.theme_config.light.bg_primary = Some("red;}</style><script>alert(1)</script>".into());
    page.theme_config.light.button_primary = Some("url(https://evil.example/x)".into());
    page.theme_config.light.text_primary = Some("#123abc".into());
    page.theme_config.radius = Some("4px;}body{display:none".into());
    let html = render_checkout(&page);
    assert!(!html.contains("<script"));
    assert!(!html.contains("evil.example"));
    assert!(!html.contains("display:none;"));
    assert!(html.contains("--bg-primary:#ffffff;"));
    assert!(html.contains("--text-primary:#123abc;"));
    assert!(html.contains("--radius:8px;"));
}

#[test]
fn script_urls_never_become_links_or_form_targets() {
    let html = render_checkout(&CheckoutPage {
        cancel_url: Some("javascript:alert(1)".into()),
        form_action: "javascript:alert(1)".into(),
        discount_action: "data:text/html,x".into(),
        ..page()
    });
    assert!(!html.contains("data-testid=\"back-link\""));
    assert!(!html.contains("javascript:"));
    assert!(!html.contains("data:text"));
    assert!(tag(&html, "class=\"pay-form\"").starts_with("<form method=\"post\""));
}

#[test]
fn hostile_pay_button_text_is_escaped() {
    let mut page = page();
    page.theme_config.pay_button_text = Some(SCRIPT.into());
    let html = render_checkout(&page);
    assert!(!html.contains("<script"));
    assert!(html.contains(ESCAPED));
}
