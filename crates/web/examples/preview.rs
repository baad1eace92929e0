//! Writes every page with sample data into a directory, to open in a browser.
//!
//! `cargo run -p kassa-web --example preview -- /tmp/kassa-preview`

use std::path::PathBuf;

use kassa_core::catalog::{Period, TaxCategory, TimeInterval};
use kassa_core::checkout::{
    CartItem, CheckoutSession, CustomField, Customization, FieldType, Quote, QuotedLine,
    SessionDraft, Theme,
};
use kassa_core::country::Country;
use kassa_core::id::{BusinessId, CheckoutSessionId, PaymentId, ProductId};
use kassa_core::money::{Currency, Money};
use kassa_core::pricing::CartBreakdown;
use kassa_core::tax::TaxRate;
use kassa_core::tenancy::Mode;
use kassa_web::view::*;
use kassa_web::*;

const SESSION_ID: &str = "cks_0123456789abcdefghijk";

fn main() -> std::io::Result<()> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "kassa-preview".into()),
    );
    std::fs::create_dir_all(&dir)?;
    let session = sample_session();
    let quote = sample_quote(Currency::USD);
    let mut dark = sample_session();
    dark.customization.theme = Some(Theme::Dark);
    let euros = sample_quote(Currency::EUR);
    let yen = Quote {
        today: CartBreakdown {
            total: 3480,
            ..sample_quote(Currency::JPY).today
        },
        ..sample_quote(Currency::JPY)
    };
    let mut paid = sample_session();
    paid.payment = Some(PaymentId::parse("pay_0123456789abcdefghijk").expect("an id"));
    paid.customer_email = Some("ada@example.com".into());
    let session_id = CheckoutSessionId::parse(SESSION_ID).expect("an id");
    let pages = [
        (
            "checkout-en.html",
            render_checkout(&sample_checkout(&session, &quote)),
        ),
        (
            "checkout-de-dark.html",
            render_checkout(&CheckoutPage {
                lang: Lang::De,
                ..sample_checkout(&dark, &euros)
            }),
        ),
        (
            "checkout-ja-errors.html",
            render_checkout(&CheckoutPage {
                lang: Lang::Ja,
                errors: vec![FieldError {
                    field: Some(fields::EMAIL.into()),
                    message: "メールアドレスが正しくありません".into(),
                }],
                notice: Some("カードが拒否されました。".into()),
                ..sample_checkout(&session, &yen)
            }),
        ),
        (
            "expired.html",
            render_expired(&ExpiredPage {
                lang: Lang::En,
                session: &session,
                business_name: "Acme Tools",
            }),
        ),
        (
            "success.html",
            render_success(&SuccessPage {
                lang: Lang::En,
                session: &paid,
                business_name: "Acme Tools",
                quote: Some(&quote),
                return_url: Some("https://shop.example/thanks".into()),
            }),
        ),
        (
            "challenge.html",
            render_challenge(&ChallengePage {
                lang: Lang::En,
                session_id: &session_id,
                amount: Money::new(3480, Currency::USD),
                complete_action: "/complete".into(),
                fail_action: "/fail".into(),
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

/// A session with a code applied, a custom field and a way back.
fn sample_session() -> CheckoutSession {
    let draft = SessionDraft {
        cart: vec![CartItem {
            product: ProductId::generate(),
            quantity: 2,
            amount: None,
            addons: Vec::new(),
        }],
        discount_codes: vec!["SPRING10".into()],
        custom_fields: vec![CustomField {
            field_type: FieldType::Dropdown,
            key: "company_size".into(),
            label: "Company size".into(),
            options: vec!["1-10".into(), "11-50".into()],
            placeholder: None,
            required: true,
        }],
        cancel_url: Some("https://shop.example/cart".into()),
        customization: Customization {
            theme: Some(Theme::System),
            ..Customization::default()
        },
        ..SessionDraft::default()
    };
    CheckoutSession::create(
        CheckoutSessionId::parse(SESSION_ID).expect("an id"),
        BusinessId::generate(),
        draft,
        None,
        time::OffsetDateTime::UNIX_EPOCH,
    )
    .expect("a valid sample session")
}

/// A hammer and a monthly plan with a trial, priced in `currency`.
fn sample_quote(currency: Currency) -> Quote {
    let line = |name: &str, quantity: u32, unit_amount: i64| QuotedLine {
        product: ProductId::generate(),
        addon: None,
        name: name.into(),
        description: None,
        quantity,
        unit_amount,
        tax_rate: TaxRate::ZERO,
        tax_category: TaxCategory::DigitalProducts,
        tax_inclusive: false,
        is_subscription: false,
        is_usage_based: false,
        trial_days: 0,
        payment_frequency: None,
        subtotal: unit_amount * i64::from(quantity),
        discount: 0,
        tax: 0,
        total: unit_amount * i64::from(quantity),
        original: (unit_amount * i64::from(quantity), currency),
    };
    Quote {
        currency,
        country: Country::parse("US").expect("a country"),
        lines: vec![
            QuotedLine {
                description: Some("Forged steel, 500 g".into()),
                discount: 200,
                tax: 180,
                total: 1980,
                ..line("Hammer", 2, 1000)
            },
            QuotedLine {
                is_subscription: true,
                payment_frequency: Some(Period {
                    count: 1,
                    interval: TimeInterval::Month,
                }),
                trial_days: 14,
                ..line("Pro plan", 1, 1500)
            },
        ],
        today: CartBreakdown {
            currency,
            lines: Vec::new(),
            discounts: Vec::new(),
            subtotal: 3500,
            discount: 200,
            tax: 180,
            total: 3480,
        },
        recurring: None,
        trial_days: None,
        tax_id_error: None,
        reverse_charge: false,
    }
}

/// The page in test mode, with card and UPI on offer.
fn sample_checkout<'a>(session: &'a CheckoutSession, quote: &'a Quote) -> CheckoutPage<'a> {
    CheckoutPage {
        lang: Lang::En,
        session,
        quote,
        business_name: "Acme Tools",
        mode: Mode::Test,
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
        currency_choice: None,
        entered: Entered::default(),
        errors: Vec::new(),
        notice: None,
        form_action: format!("/session/{SESSION_ID}"),
        discount_action: format!("/session/{SESSION_ID}/discount"),
    }
}
