//! Language negotiation and translated pages.

use kassa_core::money::Currency;
use kassa_web::view::CheckoutPage;
use kassa_web::{Lang, negotiate, render_checkout};

use crate::fixtures::{page, quote, session, text_of};

#[test]
fn force_language_wins_when_supported() {
    assert_eq!(negotiate(Some("de"), Some("fr, en;q=0.5")), Lang::De);
    assert_eq!(negotiate(Some("de-DE"), None), Lang::De);
    assert_eq!(negotiate(Some("JA"), Some("en")), Lang::Ja);
}

#[test]
fn an_unsupported_force_language_falls_back_to_accept_language() {
    assert_eq!(negotiate(Some("pt"), Some("es-ES,es;q=0.9")), Lang::Es);
    assert_eq!(negotiate(Some(""), Some("fr")), Lang::Fr);
}

#[test]
fn accept_language_honours_q_values_not_order() {
    assert_eq!(
        negotiate(None, Some("en;q=0.5, de;q=0.9, fr;q=0.7")),
        Lang::De
    );
    assert_eq!(
        negotiate(None, Some("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5")),
        Lang::Fr
    );
    assert_eq!(negotiate(None, Some("pt-BR, ja;q=0.3, es;q=0.2")), Lang::Ja);
}

#[test]
fn equal_q_values_keep_the_header_order() {
    assert_eq!(negotiate(None, Some("es;q=0.8, de;q=0.8")), Lang::Es);
}

#[test]
fn q_zero_and_malformed_entries_are_ignored() {
    assert_eq!(negotiate(None, Some("de;q=0, fr;q=0.1")), Lang::Fr);
    assert_eq!(negotiate(None, Some("de;q=abc, ja;q=0.2")), Lang::Ja);
}

#[test]
fn unsupported_or_missing_languages_mean_english() {
    assert_eq!(negotiate(None, None), Lang::En);
    assert_eq!(negotiate(None, Some("pt-BR, zh;q=0.9, *;q=0.1")), Lang::En);
    assert_eq!(negotiate(Some("xx"), Some("")), Lang::En);
}

#[test]
fn a_german_page_is_german_throughout() {
    let session = session();
    let mut quote = quote();
    quote.currency = Currency::EUR;
    let html = render_checkout(&CheckoutPage {
        lang: Lang::De,
        ..page(&session, &quote)
    });
    assert!(html.contains("<html lang=\"de\">"));
    assert_eq!(
        text_of(&html, "data-testid=\"pay-button\""),
        "Jetzt bezahlen"
    );
    for phrase in [
        "Bestellübersicht",
        "Zwischensumme",
        "Steuer",
        "Rabatt",
        "Gesamt",
    ] {
        assert!(html.contains(phrase), "{phrase}");
    }
    assert_eq!(text_of(&html, "data-testid=\"total\""), "34,80 €");
    assert!(html.contains("14 Tage kostenlos testen"));
}

#[test]
fn a_japanese_page_is_japanese() {
    let session = session();
    let mut quote = quote();
    quote.currency = Currency::JPY;
    quote.today.total = 1234;
    let html = render_checkout(&CheckoutPage {
        lang: Lang::Ja,
        ..page(&session, &quote)
    });
    assert!(html.contains("<html lang=\"ja\">"));
    assert_eq!(text_of(&html, "data-testid=\"pay-button\""), "今すぐ支払う");
    assert_eq!(text_of(&html, "data-testid=\"total\""), "¥1,234");
}

#[test]
fn french_and_spanish_pages_translate_the_pay_button() {
    let (session, quote) = (session(), quote());
    for (lang, code, text) in [
        (Lang::Fr, "fr", "Payer maintenant"),
        (Lang::Es, "es", "Pagar ahora"),
    ] {
        let html = render_checkout(&CheckoutPage {
            lang,
            ..page(&session, &quote)
        });
        assert!(html.contains(&format!("<html lang=\"{code}\">")));
        assert_eq!(text_of(&html, "data-testid=\"pay-button\""), text);
    }
}
