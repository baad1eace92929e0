//! The expired, success, challenge and not-found pages.

use kassa_core::checkout::{CheckoutSession, Theme};
use kassa_core::id::{CheckoutSessionId, PaymentId};
use kassa_core::money::{Currency, Money};
use kassa_web::view::*;
use kassa_web::{Lang, render_challenge, render_expired, render_not_found, render_success};

use crate::fixtures::{SESSION_ID, quote, session, tag, text_of};

fn expired(session: &CheckoutSession, lang: Lang) -> String {
    render_expired(&ExpiredPage {
        lang,
        session,
        business_name: "Acme Tools",
    })
}

#[test]
fn the_expired_page_says_the_session_expired() {
    let html = expired(&session(), Lang::En);
    assert!(html.contains("data-testid=\"expired\""));
    assert!(html.contains("This checkout session has expired."));
    assert!(html.contains("Acme Tools"));
    assert!(!html.contains("<form"));
}

#[test]
fn the_expired_page_is_translated() {
    let html = expired(&session(), Lang::De);
    assert!(html.contains("<html lang=\"de\">"));
    assert!(html.contains("Diese Checkout-Sitzung ist abgelaufen."));
}

#[test]
fn session_pages_wear_the_sessions_theme_and_light_without_one() {
    let mut session = session();
    session.customization.theme = Some(Theme::Dark);
    assert!(expired(&session, Lang::En).contains(":root{color-scheme:dark;"));
    session.customization.theme = None;
    assert!(expired(&session, Lang::En).contains(":root{color-scheme:light;"));
}

/// A paid session: its payment and the customer's email are set.
fn paid() -> CheckoutSession {
    let mut session = session();
    session.payment = Some(PaymentId::parse("pay_0123456789abcdefghijk").unwrap());
    session.customer_email = Some("ada@example.com".into());
    session
}

#[test]
fn the_success_page_shows_amount_payment_id_and_receipt_email() {
    let (session, quote) = (paid(), quote());
    let html = render_success(&SuccessPage {
        lang: Lang::En,
        session: &session,
        business_name: "Acme Tools",
        quote: Some(&quote),
        return_url: None,
    });
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
    let session = paid();
    let page = SuccessPage {
        lang: Lang::En,
        session: &session,
        business_name: "Acme Tools",
        quote: None,
        return_url: None,
    };
    assert!(!render_success(&page).contains("data-testid=\"continue-link\""));
    let html = render_success(&SuccessPage {
        return_url: Some("https://shop.example/thanks?order=1&x=2".into()),
        ..page
    });
    let link = tag(&html, "data-testid=\"continue-link\"");
    assert!(link.contains("href=\"https://shop.example/thanks?order=1&amp;x=2\""));
}

#[test]
fn the_challenge_page_offers_two_posting_buttons() {
    let session_id = CheckoutSessionId::parse(SESSION_ID).unwrap();
    let html = render_challenge(&ChallengePage {
        lang: Lang::En,
        session_id: &session_id,
        amount: Money::new(1000, Currency::EUR),
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
