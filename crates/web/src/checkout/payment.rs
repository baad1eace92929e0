//! The payment part of the pay form: method choice, card or UPI details,
//! and the pay button.
//!
//! With several methods each one's details sit in their own block; CSS
//! `:has()` hides the blocks of unchosen methods, and without `:has()`
//! support all blocks simply stay visible. Because the browser cannot know
//! which block counts, method-specific fields are only `required` when
//! their method is the only one; otherwise they carry `aria-required` and
//! the server validates them.

use kassa_core::tenancy::Mode;

use crate::fields;
use crate::html::{Esc, Html, id_fragment};
use crate::messages::{Msg, t};
use crate::view::CheckoutPage;

use super::controls::{self, Ctx, Input};

pub(super) fn payment(h: &mut Html, ctx: &Ctx<'_>, page: &CheckoutPage<'_>) {
    let lang = ctx.lang;
    let methods: Vec<(&str, &str)> = if page.payment_methods.is_empty() {
        vec![("card", "Card")]
    } else {
        page.payment_methods
            .iter()
            .map(|m| (m.id.as_str(), m.label.as_str()))
            .collect()
    };
    let chosen = page
        .payment_methods
        .iter()
        .find(|m| m.selected)
        .map_or(methods[0].0, |m| m.id.as_str());
    let sole = methods.len() == 1;

    if sole {
        writeln!(
            h,
            "<fieldset><legend>{}</legend>\n<input type=\"hidden\" name=\"{}\" value=\"{}\">",
            Esc(t(lang, Msg::Payment)),
            fields::PAYMENT_METHOD,
            Esc(methods[0].0)
        );
    } else {
        write!(
            h,
            "<fieldset><legend>{}</legend>\n<div class=\"choices\">",
            Esc(t(lang, Msg::PaymentMethod))
        );
        for (id, label) in &methods {
            let html_id = format!("pm-{}", id_fragment(id));
            write!(
                h,
                "<label class=\"choice\" for=\"{html_id}\"><input type=\"radio\" id=\"{html_id}\" \
                 name=\"{}\" value=\"{}\" data-testid=\"payment-method-{}\"{}>{}</label>",
                fields::PAYMENT_METHOD,
                Esc(id),
                Esc(id),
                if *id == chosen { " checked" } else { "" },
                Esc(label)
            );
        }
        h.raw("</div>\n");
    }

    if methods.iter().any(|(id, _)| *id == "card") {
        card(h, ctx, page, sole);
    }
    if methods.iter().any(|(id, _)| *id == "upi") {
        upi(h, ctx, sole);
    }
    h.raw("</fieldset>\n");

    let pay_text = page
        .session
        .customization
        .theme_config
        .as_ref()
        .and_then(|c| c.pay_button_text.as_deref())
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .unwrap_or(t(lang, Msg::PayNow));
    writeln!(
        h,
        "<button type=\"submit\" class=\"btn-primary\" data-testid=\"pay-button\">{}</button>",
        Esc(pay_text)
    );
}

fn card(h: &mut Html, ctx: &Ctx<'_>, page: &CheckoutPage<'_>, sole: bool) {
    let lang = ctx.lang;
    h.raw("<div id=\"pm-details-card\">\n");
    if page.mode == Mode::Test {
        writeln!(
            h,
            "<p class=\"hint\" data-testid=\"test-card-hint\">{}</p>",
            Esc(t(lang, Msg::TestCardHint))
        );
    }
    let field = |name, id, msg, autocomplete| {
        let mut input = Input::new(name, id, t(lang, msg));
        input.autocomplete = Some(autocomplete);
        input.required = true;
        input.enforced = sole;
        input
    };
    let mut number = field(
        fields::CARD_NUMBER,
        "card-number",
        Msg::CardNumber,
        "cc-number",
    );
    number.inputmode = Some("numeric");
    number.placeholder = Some("1234 1234 1234 1234");
    controls::input(h, ctx, &number);
    h.raw("<div class=\"row\">");
    let mut expiry = field(
        fields::CARD_EXPIRY,
        "card-expiry",
        Msg::CardExpiry,
        "cc-exp",
    );
    expiry.inputmode = Some("numeric");
    expiry.placeholder = Some("MM/YY");
    controls::input(h, ctx, &expiry);
    let mut cvc = field(fields::CARD_CVC, "card-cvc", Msg::CardCvc, "cc-csc");
    cvc.inputmode = Some("numeric");
    cvc.placeholder = Some("123");
    controls::input(h, ctx, &cvc);
    h.raw("</div>");
    let mut holder = field(
        fields::CARDHOLDER_NAME,
        "cardholder-name",
        Msg::CardholderName,
        "cc-name",
    );
    holder.required = page.session.flags.require_cardholder_name;
    controls::input(h, ctx, &holder);
    h.raw("</div>\n");
}

fn upi(h: &mut Html, ctx: &Ctx<'_>, sole: bool) {
    h.raw("<div id=\"pm-details-upi\">\n");
    let mut vpa = Input::new(fields::UPI_VPA, "upi-vpa", t(ctx.lang, Msg::UpiId));
    vpa.autocomplete = Some("off");
    vpa.placeholder = Some("name@bank");
    vpa.required = true;
    vpa.enforced = sole;
    controls::input(h, ctx, &vpa);
    h.raw("</div>\n");
}
