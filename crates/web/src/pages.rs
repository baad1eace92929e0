//! The small pages: session expired, payment succeeded, the simulated 3-D
//! Secure challenge, and not found.

use kassa_core::checkout::Theme;

use crate::fields;
use crate::html::{Esc, Html, safe_url};
use crate::layout::document;
use crate::messages::{Msg, t};
use crate::money::{format_amount, format_money};
use crate::theme;
use crate::view::{
    ChallengePage, ExpiredPage, LinkProblemPage, NotFoundPage, SuccessPage, TroublePage,
};

/// "This checkout session has expired."
pub fn render_expired(page: &ExpiredPage<'_>) -> String {
    let lang = page.lang;
    let mut h = Html::new();
    writeln!(
        h,
        "<main class=\"card narrow\" data-testid=\"expired\">\n<p class=\"muted\">{}</p>\n\
         <h1>{}</h1>\n<p>{}</p>\n<p class=\"muted\">{}</p>\n</main>",
        Esc(page.business_name),
        Esc(t(lang, Msg::ExpiredTitle)),
        Esc(t(lang, Msg::ExpiredBody)),
        Esc(t(lang, Msg::ExpiredHint)),
    );
    let title = format!("{} – {}", t(lang, Msg::ExpiredTitle), page.business_name);
    let (theme, theme_config) = theme::of(&page.session.customization);
    document(lang, &title, theme, theme_config, &h.finish())
}

/// The receipt page: what was paid, the payment id, and a link back to the
/// merchant when a `return_url` is known.
pub fn render_success(page: &SuccessPage<'_>) -> String {
    let lang = page.lang;
    let session = page.session;
    let amount = match page.quote {
        Some(quote) => format_amount(quote.today.total, quote.currency, lang),
        None => format_money(0, 2, "", lang),
    };
    let payment_id = session.payment.as_ref().map_or("", |id| id.as_str());
    let mut h = Html::new();
    writeln!(
        h,
        "<main class=\"card narrow\" data-testid=\"success\">\n<p class=\"muted\">{}</p>\n\
         <h1 class=\"success\">{}</h1>\n<p role=\"status\">{}</p>\n<dl class=\"totals\">",
        Esc(page.business_name),
        Esc(t(lang, Msg::SuccessTitle)),
        Esc(t(lang, Msg::SuccessBody)),
    );
    detail(&mut h, t(lang, Msg::AmountPaid), &amount, "amount");
    detail(&mut h, t(lang, Msg::PaymentId), payment_id, "payment-id");
    if let Some(email) = &session.customer_email {
        detail(&mut h, t(lang, Msg::ReceiptSentTo), email, "receipt-email");
    }
    h.raw("</dl>\n");
    if let Some(url) = page.return_url.as_deref().and_then(safe_url) {
        writeln!(
            h,
            "<div class=\"actions\"><a class=\"btn-primary btn-link\" href=\"{}\" data-testid=\"continue-link\">{}</a></div>",
            Esc(url),
            Esc(t(lang, Msg::Continue))
        );
    }
    h.raw("</main>\n");
    let title = format!("{} – {}", t(lang, Msg::SuccessTitle), page.business_name);
    let (theme, theme_config) = theme::of(&session.customization);
    document(lang, &title, theme, theme_config, &h.finish())
}

fn detail(h: &mut Html, label: &str, value: &str, testid: &str) {
    writeln!(
        h,
        "<div><dt>{}</dt><dd data-testid=\"{testid}\">{}</dd></div>",
        Esc(label),
        Esc(value)
    );
}

/// The test processor's 3-D Secure challenge: two buttons, each its own
/// POST form, that decide the outcome.
pub fn render_challenge(page: &ChallengePage<'_>) -> String {
    let lang = page.lang;
    let amount = format_amount(page.amount.minor, page.amount.currency, lang);
    let mut h = Html::new();
    writeln!(
        h,
        "<main class=\"card narrow\" data-testid=\"challenge\">\n<p class=\"muted\">3-D Secure</p>\n\
         <h1>{}</h1>\n<p>{}</p>\n<dl class=\"totals\">",
        Esc(t(lang, Msg::ChallengeTitle)),
        Esc(t(lang, Msg::ChallengeBody)),
    );
    detail(&mut h, t(lang, Msg::Amount), &amount, "amount");
    h.raw("</dl>\n<div class=\"actions\">\n");
    let buttons = [
        (
            &page.complete_action,
            "btn-primary",
            "challenge-complete",
            Msg::CompleteAuthentication,
        ),
        (
            &page.fail_action,
            "btn-secondary",
            "challenge-fail",
            Msg::FailAuthentication,
        ),
    ];
    for (action, class, testid, msg) in buttons {
        h.raw("<form method=\"post\"");
        if let Some(action) = safe_url(action) {
            write!(h, " action=\"{}\"", Esc(action));
        }
        writeln!(
            h,
            "><input type=\"hidden\" name=\"{}\" value=\"{}\">\
             <button type=\"submit\" class=\"{class}\" data-testid=\"{testid}\">{}</button></form>",
            fields::SESSION_ID,
            Esc(page.session_id.as_str()),
            Esc(t(lang, msg))
        );
    }
    h.raw("</div>\n</main>\n");
    let title = t(lang, Msg::ChallengeTitle);
    document(lang, title, Theme::System, None, &h.finish())
}

/// Unknown session, link or page.
pub fn render_not_found(page: &NotFoundPage) -> String {
    let lang = page.lang;
    let mut h = Html::new();
    writeln!(
        h,
        "<main class=\"card narrow\" data-testid=\"not-found\">\n<h1>{}</h1>\n<p>{}</p>\n</main>",
        Esc(t(lang, Msg::NotFoundTitle)),
        Esc(t(lang, Msg::NotFoundBody)),
    );
    let title = t(lang, Msg::NotFoundTitle);
    document(lang, title, Theme::System, None, &h.finish())
}

pub fn render_trouble(page: &TroublePage) -> String {
    let lang = page.lang;
    let mut h = Html::new();
    writeln!(
        h,
        "<main class=\"card narrow\" data-testid=\"trouble\">\n<h1>{}</h1>\n<p>{}</p>",
        Esc(t(lang, Msg::TroubleTitle)),
        Esc(t(lang, Msg::TroubleBody)),
    );
    if let Some(detail) = &page.detail {
        writeln!(h, "<p data-testid=\"trouble-detail\">{}</p>", Esc(detail));
    }
    writeln!(h, "</main>");
    document(
        lang,
        t(lang, Msg::TroubleTitle),
        Theme::System,
        None,
        &h.finish(),
    )
}

pub fn render_link_problem(page: &LinkProblemPage) -> String {
    let lang = page.lang;
    let mut h = Html::new();
    writeln!(
        h,
        "<main class=\"card narrow\" data-testid=\"link-problem\">\n<h1>{}</h1>\n<p>{}</p>\n</main>",
        Esc(t(lang, Msg::LinkProblemTitle)),
        Esc(&page.problem),
    );
    document(
        lang,
        t(lang, Msg::LinkProblemTitle),
        Theme::System,
        None,
        &h.finish(),
    )
}
