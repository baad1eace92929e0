//! The checkout page as a whole: document, summary, discount form, links.

use kassa_web::render_checkout;
use kassa_web::view::*;

use crate::fixtures::{page, tag, tag_with, text_of};

#[test]
fn is_a_complete_mobile_ready_document_without_scripts() {
    let html = render_checkout(&page());
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
fn the_pay_form_posts_to_form_action_with_the_submit_token() {
    let html = render_checkout(&page());
    assert!(html.contains(
        "<form method=\"post\" class=\"pay-form\" action=\"/session/cks_0123456789abcdefghijk/pay\">"
    ));
    assert!(html.contains("<input type=\"hidden\" name=\"submit_token\" value=\"tok_abc\">"));
    assert!(tag(&html, "data-testid=\"pay-button\"").contains("type=\"submit\""));
    assert_eq!(text_of(&html, "data-testid=\"pay-button\""), "Pay now");
}

#[test]
fn the_summary_lists_lines_and_totals_in_the_page_currency() {
    let html = render_checkout(&page());
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
    let html = render_checkout(&page());
    assert!(html.contains("every 1 Month"));
    assert!(html.contains("14-day free trial"));
}

#[test]
fn hiding_order_details_keeps_the_totals() {
    let html = render_checkout(&CheckoutPage {
        show_order_details: false,
        ..page()
    });
    assert!(!html.contains("data-testid=\"line-0\""));
    assert!(!html.contains("Hammer"));
    assert_eq!(text_of(&html, "data-testid=\"total\""), "$34.80");
}

#[test]
fn no_discount_row_without_a_discount_and_inclusive_tax_says_so() {
    let html = render_checkout(&CheckoutPage {
        discount: 0,
        tax_inclusive: true,
        ..page()
    });
    assert!(!html.contains("data-testid=\"discount\""));
    assert!(html.contains("Tax (included)"));
}

#[test]
fn the_discount_form_posts_the_code_to_discount_action() {
    let html = render_checkout(&page());
    assert!(html.contains("action=\"/session/cks_0123456789abcdefghijk/discount\""));
    let input = tag(&html, "data-testid=\"discount-input\"");
    assert!(input.contains("name=\"discount_code\""));
    assert!(html.contains("data-testid=\"apply-discount\""));
    assert!(html.contains("SPRING10"));
}

#[test]
fn without_allow_discount_code_applied_codes_stay_but_the_form_goes() {
    let html = render_checkout(&CheckoutPage {
        allow_discount_code: false,
        ..page()
    });
    assert!(!html.contains("data-testid=\"discount-input\""));
    assert!(!html.contains("data-testid=\"apply-discount\""));
    assert!(html.contains("SPRING10"));
}

#[test]
fn the_back_link_appears_only_with_a_cancel_url() {
    let without = render_checkout(&page());
    assert!(!without.contains("data-testid=\"back-link\""));

    let with = render_checkout(&CheckoutPage {
        cancel_url: Some("https://shop.example/cart".into()),
        ..page()
    });
    let link = tag(&with, "data-testid=\"back-link\"");
    assert!(link.contains("href=\"https://shop.example/cart\""));
}

#[test]
fn a_notice_is_announced_politely() {
    let html = render_checkout(&CheckoutPage {
        notice: Some("Your card was declined.".into()),
        ..page()
    });
    let notice = tag(&html, "data-testid=\"notice\"");
    assert!(notice.contains("aria-live=\"polite\""));
    assert_eq!(
        text_of(&html, "data-testid=\"notice\""),
        "Your card was declined."
    );
    assert!(tag_with(&render_checkout(&page()), "data-testid=\"notice\"").is_none());
}

#[test]
fn test_mode_shows_a_badge_and_the_test_card() {
    let live = render_checkout(&page());
    assert!(!live.contains("data-testid=\"test-mode\""));
    assert!(!live.contains("4242 4242 4242 4242"));
    let test = render_checkout(&CheckoutPage {
        test_mode: true,
        ..page()
    });
    assert_eq!(text_of(&test, "data-testid=\"test-mode\""), "Test mode");
    assert!(test.contains("4242 4242 4242 4242"));
}

#[test]
fn the_pay_button_text_can_be_customised() {
    let mut page = page();
    page.theme_config.pay_button_text = Some("Buy the hammer".into());
    let html = render_checkout(&page);
    assert_eq!(
        text_of(&html, "data-testid=\"pay-button\""),
        "Buy the hammer"
    );
}

#[test]
fn a_currency_choice_is_a_form_of_its_own_with_the_page_currency_selected() {
    let mut p = page();
    assert!(
        !render_checkout(&p).contains("name=\"currency\""),
        "no selector by default"
    );
    p.currency_choice = Some(CurrencyChoice {
        options: vec!["EUR".into(), "USD".into()],
        action: "/session/cks_0123456789abcdefghijk/currency".into(),
    });
    let html = render_checkout(&p);
    let select = tag(&html, "name=\"currency\"");
    assert!(select.starts_with("<select"), "{select}");
    assert!(
        html.contains(&format!("<option value=\"{}\" selected>", p.currency)),
        "{html}"
    );
    assert!(html.contains("action=\"/session/cks_0123456789abcdefghijk/currency\""));
    assert!(html.contains("data-testid=\"change-currency\""));
    p.lang = kassa_web::Lang::De;
    assert!(render_checkout(&p).contains("Währung ändern"));
}
