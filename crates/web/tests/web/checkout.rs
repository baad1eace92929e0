//! The checkout page as a whole: document, summary, discount form, links.

use kassa_core::checkout::ThemeConfig;
use kassa_core::money::Currency;
use kassa_core::tenancy::Mode;
use kassa_web::render_checkout;
use kassa_web::view::*;

use crate::fixtures::{SESSION_ID, html, page, quote, render, session, tag, tag_with, text_of};

#[test]
fn is_a_complete_mobile_ready_document_without_scripts() {
    let html = html();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<html lang=\"en\">"));
    assert!(
        html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
    );
    assert!(html.contains("<style>"));
    assert!(html.contains("@media (min-width:700px)"));
    assert!(!html.contains("<script"));
    assert!(!html.contains("<link"));
    assert_eq!(html.matches("<h1").count(), 1);
}

#[test]
fn the_pay_form_posts_to_form_action_with_the_session_as_submit_token() {
    let html = html();
    assert!(html.contains(
        "<form method=\"post\" class=\"pay-form\" action=\"/session/cks_0123456789abcdefghijk/pay\">"
    ));
    assert!(html.contains(&format!(
        "<input type=\"hidden\" name=\"submit_token\" value=\"{SESSION_ID}\">"
    )));
    assert!(tag(&html, "data-testid=\"pay-button\"").contains("type=\"submit\""));
    assert_eq!(text_of(&html, "data-testid=\"pay-button\""), "Pay now");
}

#[test]
fn the_summary_lists_lines_and_totals_in_the_page_currency() {
    let html = html();
    assert!(html.contains("data-testid=\"order-summary\""));
    assert!(html.contains("data-testid=\"line-0\""));
    assert!(html.contains("data-testid=\"line-1\""));
    assert!(html.contains("Hammer"));
    assert!(html.contains("Qty 2 × $10.00"));
    assert_eq!(text_of(&html, "data-testid=\"subtotal\""), "$35.00");
    assert_eq!(text_of(&html, "data-testid=\"discount\""), "-$2.00");
    assert_eq!(text_of(&html, "data-testid=\"tax\""), "$1.80");
    assert_eq!(text_of(&html, "data-testid=\"total\""), "$34.80");
}

#[test]
fn subscription_lines_show_their_billing_note_and_trial() {
    let html = html();
    assert!(html.contains("every 1 Month"));
    assert!(html.contains("14-day free trial"));
}

#[test]
fn hiding_order_details_keeps_the_totals() {
    let mut session = session();
    session.customization.show_order_details = false;
    let html = render(&session);
    assert!(!html.contains("data-testid=\"line-0\""));
    assert!(!html.contains("Hammer"));
    assert_eq!(text_of(&html, "data-testid=\"total\""), "$34.80");
}

#[test]
fn no_discount_row_without_a_discount_and_inclusive_tax_says_so() {
    let session = session();
    let mut quote = quote();
    quote.today.discount = 0;
    for line in &mut quote.lines {
        line.tax_inclusive = true;
    }
    let html = render_checkout(&page(&session, &quote));
    assert!(!html.contains("data-testid=\"discount\""));
    assert!(html.contains("Tax (included)"));
}

#[test]
fn tax_reads_included_only_when_every_line_includes_it() {
    let session = session();
    let mut quote = quote();
    quote.lines[0].tax_inclusive = true;
    let html = render_checkout(&page(&session, &quote));
    assert!(!html.contains("Tax (included)"));
}

#[test]
fn the_discount_form_posts_the_code_to_discount_action() {
    let html = html();
    assert!(html.contains("action=\"/session/cks_0123456789abcdefghijk/discount\""));
    let input = tag(&html, "data-testid=\"discount-input\"");
    assert!(input.contains("name=\"discount_code\""));
    assert!(html.contains("data-testid=\"apply-discount\""));
    assert!(html.contains("SPRING10"));
}

#[test]
fn without_allow_discount_code_applied_codes_stay_but_the_form_goes() {
    let mut session = session();
    session.flags.allow_discount_code = false;
    let html = render(&session);
    assert!(!html.contains("data-testid=\"discount-input\""));
    assert!(!html.contains("data-testid=\"apply-discount\""));
    assert!(html.contains("SPRING10"));
}

#[test]
fn the_back_link_appears_only_with_a_cancel_url() {
    let without = html();
    assert!(!without.contains("data-testid=\"back-link\""));

    let mut session = session();
    session.cancel_url = Some("https://shop.example/cart".into());
    let with = render(&session);
    let link = tag(&with, "data-testid=\"back-link\"");
    assert!(link.contains("href=\"https://shop.example/cart\""));
}

#[test]
fn a_notice_is_announced_politely() {
    let (session, quote) = (session(), quote());
    let html = render_checkout(&CheckoutPage {
        notice: Some("Your card was declined.".into()),
        ..page(&session, &quote)
    });
    let notice = tag(&html, "data-testid=\"notice\"");
    assert!(notice.contains("aria-live=\"polite\""));
    assert_eq!(
        text_of(&html, "data-testid=\"notice\""),
        "Your card was declined."
    );
    assert!(tag_with(&render(&session), "data-testid=\"notice\"").is_none());
}

#[test]
fn test_mode_shows_a_badge_and_the_test_card() {
    let live = html();
    assert!(!live.contains("data-testid=\"test-mode\""));
    assert!(!live.contains("4242 4242 4242 4242"));
    let (session, quote) = (session(), quote());
    let test = render_checkout(&CheckoutPage {
        mode: Mode::Test,
        ..page(&session, &quote)
    });
    assert_eq!(text_of(&test, "data-testid=\"test-mode\""), "Test mode");
    assert!(test.contains("4242 4242 4242 4242"));
}

#[test]
fn the_pay_button_text_can_be_customised() {
    let mut session = session();
    session.customization.theme_config = Some(ThemeConfig {
        pay_button_text: Some("Buy the hammer".into()),
        ..ThemeConfig::default()
    });
    let html = render(&session);
    assert_eq!(
        text_of(&html, "data-testid=\"pay-button\""),
        "Buy the hammer"
    );
}

#[test]
fn a_currency_choice_is_a_form_of_its_own_with_the_page_currency_selected() {
    let (session, quote) = (session(), quote());
    let mut p = page(&session, &quote);
    assert!(
        !render_checkout(&p).contains("name=\"currency\""),
        "no selector by default"
    );
    p.currency_choice = Some(CurrencyChoice {
        options: &[Currency::EUR, Currency::USD],
        action: "/session/cks_0123456789abcdefghijk/currency".into(),
    });
    let html = render_checkout(&p);
    let select = tag(&html, "name=\"currency\"");
    assert!(select.starts_with("<select"), "{select}");
    assert!(
        html.contains("<option value=\"EUR\">EUR</option>"),
        "{html}"
    );
    assert!(
        html.contains("<option value=\"USD\" selected>USD</option>"),
        "{html}"
    );
    assert!(html.contains("action=\"/session/cks_0123456789abcdefghijk/currency\""));
    assert!(html.contains("data-testid=\"change-currency\""));
    p.lang = kassa_web::Lang::De;
    assert!(render_checkout(&p).contains("Währung ändern"));
}
