//! Writes every page with sample data into a directory, to open in a browser.
//!
//! `cargo run -p kassa-web --example preview -- /tmp/kassa-preview`

use std::path::PathBuf;

use kassa_web::view::*;
use kassa_web::*;

fn main() -> std::io::Result<()> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "kassa-preview".into()),
    );
    std::fs::create_dir_all(&dir)?;
    let checkout = sample_checkout();
    let pages = [
        ("checkout-en.html", render_checkout(&checkout)),
        (
            "checkout-de-dark.html",
            render_checkout(&CheckoutPage {
                lang: Lang::De,
                theme: Theme::Dark,
                currency: "EUR".into(),
                ..checkout.clone()
            }),
        ),
        (
            "checkout-ja-errors.html",
            render_checkout(&CheckoutPage {
                lang: Lang::Ja,
                currency: "JPY".into(),
                exponent: 0,
                errors: vec![FieldError {
                    field: Some(fields::EMAIL.into()),
                    message: "メールアドレスが正しくありません".into(),
                }],
                notice: Some("カードが拒否されました。".into()),
                ..checkout.clone()
            }),
        ),
        (
            "expired.html",
            render_expired(&ExpiredPage {
                business_name: "Acme Tools".into(),
                ..ExpiredPage::default()
            }),
        ),
        (
            "success.html",
            render_success(&SuccessPage {
                business_name: "Acme Tools".into(),
                payment_id: "pay_0123456789abcdefghijk".into(),
                amount: 3480,
                currency: "USD".into(),
                exponent: 2,
                email: Some("ada@example.com".into()),
                return_url: Some("https://shop.example/thanks".into()),
                ..SuccessPage::default()
            }),
        ),
        (
            "challenge.html",
            render_challenge(&ChallengePage {
                session_id: "cks_0123456789abcdefghijk".into(),
                amount: 3480,
                currency: "USD".into(),
                exponent: 2,
                complete_action: "/complete".into(),
                fail_action: "/fail".into(),
                ..ChallengePage::default()
            }),
        ),
        ("not-found.html", render_not_found(&NotFoundPage::default())),
    ];
    for (name, html) in pages {
        std::fs::write(dir.join(name), html)?;
    }
    println!("wrote {}", dir.display());
    Ok(())
}

fn sample_checkout() -> CheckoutPage {
    CheckoutPage {
        session_id: "cks_0123456789abcdefghijk".into(),
        business_name: "Acme Tools".into(),
        show_order_details: true,
        lines: vec![
            SummaryLine {
                name: "Hammer".into(),
                description: Some("Forged steel, 500 g".into()),
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
        applied_codes: vec!["SPRING10".into()],
        allow_discount_code: true,
        countries: vec![
            ("DE".into(), "Germany".into()),
            ("IN".into(), "India".into()),
            ("US".into(), "United States".into()),
        ],
        show_tax_id: true,
        show_business_name: true,
        custom_fields: vec![CustomFieldView {
            key: "company_size".into(),
            label: "Company size".into(),
            field_type: FieldType::Dropdown,
            options: vec!["1-10".into(), "11-50".into()],
            required: true,
            ..CustomFieldView::default()
        }],
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
        cancel_url: Some("https://shop.example/cart".into()),
        form_action: "/session/cks_0123456789abcdefghijk".into(),
        discount_action: "/session/cks_0123456789abcdefghijk/discount".into(),
        submit_token: "tok".into(),
        test_mode: true,
        ..CheckoutPage::default()
    }
}
