//! The expired, success, challenge and not-found pages.

use kassa_web::view::*;
use kassa_web::{Lang, render_challenge, render_expired, render_not_found, render_success};

use crate::fixtures::{tag, text_of};

#[test]
fn the_expired_page_says_the_session_expired() {
    let html = render_expired(&ExpiredPage {
        business_name: "Acme Tools".into(),
        ..ExpiredPage::default()
    });
    assert!(html.contains("data-testid=\"expired\""));
    assert!(html.contains("This checkout session has expired."));
    assert!(html.contains("Acme Tools"));
    assert!(!html.contains("<form"));
}

#[test]
fn the_expired_page_is_translated() {
    let html = render_expired(&ExpiredPage {
        lang: Lang::De,
        ..ExpiredPage::default()
    });
    assert!(html.contains("<html lang=\"de\">"));
    assert!(html.contains("Diese Checkout-Sitzung ist abgelaufen."));
}

fn success() -> SuccessPage {
    SuccessPage {
        lang: Lang::En,
        business_name: "Acme Tools".into(),
        payment_id: "pay_0123456789abcdefghijk".into(),
        amount: 3480,
        currency: "USD".into(),
        exponent: 2,
        email: Some("ada@example.com".into()),
        return_url: None,
        ..SuccessPage::default()
    }
}

#[test]
fn the_success_page_shows_amount_payment_id_and_receipt_email() {
    let html = render_success(&success());
    assert!(html.contains("data-testid=\"success\""));
    assert!(html.contains("Payment successful"));
    assert_eq!(text_of(&html, "data-testid=\"amount\""), "$34.80");
    assert_eq!(
        text_of(&html, "data-testid=\"payment-id\""),
        "pay_0123456789abcdefghijk"
    );
    assert!(html.contains("ada@example.com"));
}

#[test]
fn the_success_page_links_to_the_return_url_only_when_given() {
    assert!(!render_success(&success()).contains("data-testid=\"continue-link\""));
    let html = render_success(&SuccessPage {
        return_url: Some("https://shop.example/thanks?order=1&x=2".into()),
        ..success()
    });
    let link = tag(&html, "data-testid=\"continue-link\"");
    assert!(link.contains("href=\"https://shop.example/thanks?order=1&amp;x=2\""));
}

#[test]
fn the_challenge_page_offers_two_posting_buttons() {
    let html = render_challenge(&ChallengePage {
        lang: Lang::En,
        session_id: "cks_0123456789abcdefghijk".into(),
        amount: 1000,
        currency: "EUR".into(),
        exponent: 2,
        complete_action: "/3ds/pay_1/complete".into(),
        fail_action: "/3ds/pay_1/fail".into(),
    });
    assert!(html.contains("<form method=\"post\" action=\"/3ds/pay_1/complete\">"));
    assert!(html.contains("<form method=\"post\" action=\"/3ds/pay_1/fail\">"));
    assert_eq!(
        text_of(&html, "data-testid=\"challenge-complete\""),
        "Complete authentication"
    );
    assert_eq!(
        text_of(&html, "data-testid=\"challenge-fail\""),
        "Fail authentication"
    );
    assert!(tag(&html, "data-testid=\"challenge-fail\"").contains("type=\"submit\""));
    assert_eq!(
        html.matches("name=\"session_id\" value=\"cks_0123456789abcdefghijk\"")
            .count(),
        2
    );
    assert!(html.contains("€10.00"));
    assert!(!html.contains("<script"));
}

#[test]
fn the_not_found_page_is_translated() {
    let html = render_not_found(&NotFoundPage { lang: Lang::Fr });
    assert!(html.contains("<html lang=\"fr\">"));
    assert!(html.contains("Page introuvable"));
}
