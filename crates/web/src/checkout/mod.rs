//! The hosted checkout page: order summary on one side, pay form on the other.
//!
//! Layout, top to bottom: a top bar (back link, business name, test-mode
//! badge), the notice and the error summary (both live regions), then the
//! two columns. The pay form and the apply-code form are separate forms;
//! both work without JavaScript.

mod controls;
mod form;
mod payment;

use kassa_core::checkout::QuotedLine;
use kassa_core::tenancy::Mode;

use crate::fields;
use crate::html::{Esc, Html, safe_url};
use crate::layout::document;
use crate::messages::{Msg, t};
use crate::money::format_amount;
use crate::theme;
use crate::view::{CheckoutPage, CurrencyChoice};

use controls::{Ctx, Input, Select};

/// Renders the checkout page of one session.
pub fn render_checkout(page: &CheckoutPage<'_>) -> String {
    let lang = page.lang;
    let ctx = Ctx {
        lang,
        errors: &page.errors,
    };
    let mut h = Html::new();
    h.raw("<div class=\"page\">\n");
    top_bar(&mut h, page);
    h.raw("<main>\n");
    alerts(&mut h, page);
    h.raw("<div class=\"layout\">\n");
    summary(&mut h, &ctx, page);
    h.raw("<section class=\"card\" aria-labelledby=\"pay-heading\">\n");
    writeln!(
        h,
        "<h2 id=\"pay-heading\" class=\"sr-only\">{}</h2>",
        Esc(t(lang, Msg::Payment))
    );
    h.raw("<form method=\"post\" class=\"pay-form\"");
    if let Some(action) = safe_url(&page.form_action) {
        write!(h, " action=\"{}\"", Esc(action));
    }
    h.raw(">\n");
    writeln!(
        h,
        "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
        fields::SUBMIT_TOKEN,
        Esc(page.session.id.as_str())
    );
    form::contact(&mut h, &ctx, page);
    form::address(&mut h, &ctx, page);
    form::business(&mut h, &ctx, page);
    form::custom_fields(&mut h, &ctx, page);
    payment::payment(&mut h, &ctx, page);
    h.raw("</form>\n</section>\n</div>\n</main>\n</div>\n");
    let title = format!("{} – {}", t(lang, Msg::Checkout), page.business_name);
    let (theme, theme_config) = theme::of(&page.session.customization);
    document(lang, &title, theme, theme_config, &h.finish())
}

fn top_bar(h: &mut Html, page: &CheckoutPage<'_>) {
    h.raw("<header class=\"topbar\">\n");
    if let Some(url) = page.session.cancel_url.as_deref().and_then(safe_url) {
        writeln!(
            h,
            "<a class=\"back-link\" href=\"{}\" data-testid=\"back-link\">\
             <span aria-hidden=\"true\">← </span>{}</a>",
            Esc(url),
            Esc(t(page.lang, Msg::Back))
        );
    }
    writeln!(h, "<h1>{}</h1>", Esc(page.business_name));
    if page.mode == Mode::Test {
        writeln!(
            h,
            "<span class=\"badge\" data-testid=\"test-mode\">{}</span>",
            Esc(t(page.lang, Msg::TestMode))
        );
    }
    h.raw("</header>\n");
}

/// The notice (a polite status) and the error summary (an alert). The error
/// region is always present so assistive technology knows it is live.
fn alerts(h: &mut Html, page: &CheckoutPage<'_>) {
    if let Some(notice) = &page.notice {
        writeln!(
            h,
            "<div class=\"alert\" role=\"status\" aria-live=\"polite\" data-testid=\"notice\">{}</div>",
            Esc(notice)
        );
    }
    h.raw("<div id=\"errors\" class=\"alert\" role=\"alert\" aria-live=\"assertive\">");
    if !page.errors.is_empty() {
        write!(h, "<h2>{}</h2><ul>", Esc(t(page.lang, Msg::ErrorSummary)));
        for (i, error) in page.errors.iter().enumerate() {
            write!(h, "<li id=\"error-{i}\" data-testid=\"error\">");
            match error
                .field
                .as_deref()
                .and_then(|f| form::control_id(page, f))
            {
                Some(id) => write!(h, "<a href=\"#{}\">{}</a>", Esc(&id), Esc(&error.message)),
                None => h.text(&error.message),
            }
            h.raw("</li>");
        }
        h.raw("</ul>");
    }
    h.raw("</div>\n");
}

fn summary(h: &mut Html, ctx: &Ctx<'_>, page: &CheckoutPage<'_>) {
    let lang = ctx.lang;
    let quote = page.quote;
    let today = &quote.today;
    let money = |amount: i64| format_amount(amount, quote.currency, lang);
    h.raw("<section class=\"card summary\" aria-labelledby=\"summary-heading\" data-testid=\"order-summary\">\n");
    writeln!(
        h,
        "<h2 id=\"summary-heading\">{}</h2>",
        Esc(t(lang, Msg::OrderSummary))
    );
    if page.session.customization.show_order_details && !quote.lines.is_empty() {
        h.raw("<ul class=\"lines\">\n");
        for (i, line) in quote.lines.iter().enumerate() {
            summary_line(h, ctx, page, i, line);
        }
        h.raw("</ul>\n");
    }
    h.raw("<dl class=\"totals\">\n");
    total_row(
        h,
        "",
        t(lang, Msg::Subtotal),
        "subtotal",
        &money(today.subtotal),
    );
    if today.discount != 0 {
        let discount = money(-today.discount.saturating_abs());
        total_row(h, "", t(lang, Msg::Discount), "discount", &discount);
    }
    // Prices include tax only when every line's do.
    let tax_inclusive = quote.lines.iter().all(|l| l.tax_inclusive);
    let tax_label = t(
        lang,
        if tax_inclusive {
            Msg::TaxIncluded
        } else {
            Msg::Tax
        },
    );
    total_row(h, "", tax_label, "tax", &money(today.tax));
    total_row(
        h,
        "grand",
        t(lang, Msg::Total),
        "total",
        &money(today.total),
    );
    h.raw("</dl>\n");
    let codes = &page.session.discount_codes;
    if !codes.is_empty() {
        write!(
            h,
            "<p class=\"muted\" id=\"applied-codes\">{}</p><ul class=\"codes\" aria-labelledby=\"applied-codes\">",
            Esc(t(lang, Msg::AppliedCodes))
        );
        for code in codes {
            write!(h, "<li data-testid=\"applied-code\">{}</li>", Esc(code));
        }
        h.raw("</ul>\n");
    }
    if let Some(choice) = &page.currency_choice {
        currency_form(h, ctx, page, choice);
    }
    if page.session.flags.allow_discount_code {
        discount_form(h, ctx, page);
    }
    h.raw("</section>\n");
}

fn summary_line(h: &mut Html, ctx: &Ctx<'_>, page: &CheckoutPage<'_>, i: usize, line: &QuotedLine) {
    let lang = ctx.lang;
    let money = |amount: i64| format_amount(amount, page.quote.currency, lang);
    write!(h, "<li class=\"line\" data-testid=\"line-{i}\"><div>");
    write!(h, "<p class=\"line-name\">{}</p>", Esc(&line.name));
    if let Some(description) = &line.description {
        write!(h, "<p class=\"line-meta\">{}</p>", Esc(description));
    }
    write!(
        h,
        "<p class=\"line-meta\">{} {} × {}</p>",
        Esc(t(lang, Msg::Quantity)),
        line.quantity,
        Esc(&money(line.unit_amount))
    );
    // The period is not translated yet: "every 1 Month" in every language.
    let billing_note = line
        .payment_frequency
        .map(|p| format!("every {} {:?}", p.count, p.interval));
    if line.is_subscription || billing_note.is_some() {
        let note = billing_note
            .as_deref()
            .unwrap_or(t(lang, Msg::Subscription));
        write!(h, "<p class=\"line-meta\">{}</p>", Esc(note));
    }
    if line.trial_days > 0 {
        let days = line.trial_days;
        let trial = t(lang, Msg::FreeTrial).replace("{days}", &days.to_string());
        write!(h, "<span class=\"tag\">{}</span>", Esc(&trial));
    }
    h.raw("</div><div class=\"line-total\">");
    if line.discount != 0 {
        write!(
            h,
            "<p class=\"line-meta\"><s>{}</s></p>",
            Esc(&money(line.subtotal))
        );
    }
    writeln!(h, "{}</div></li>", Esc(&money(line.total)));
}

fn total_row(h: &mut Html, class: &str, label: &str, testid: &str, amount: &str) {
    match class {
        "" => h.raw("<div>"),
        class => write!(h, "<div class=\"{class}\">"),
    }
    writeln!(
        h,
        "<dt>{}</dt><dd class=\"amount\" data-testid=\"{testid}\">{}</dd></div>",
        Esc(label),
        Esc(amount)
    );
}

/// The apply-code form: its own POST to `discount_action`, next to the
/// summary rather than inside the pay form (forms cannot nest).
fn discount_form(h: &mut Html, ctx: &Ctx<'_>, page: &CheckoutPage<'_>) {
    h.raw("<form method=\"post\" class=\"inline-form\"");
    if let Some(action) = safe_url(&page.discount_action) {
        write!(h, " action=\"{}\"", Esc(action));
    }
    h.raw(">");
    let mut code = Input::new(
        fields::DISCOUNT_CODE,
        "discount-code",
        t(ctx.lang, Msg::DiscountCode),
    );
    code.autocomplete = Some("off");
    code.required = true;
    code.testid = Some("discount-input");
    controls::input(h, ctx, &code);
    writeln!(
        h,
        "<button type=\"submit\" class=\"btn-secondary\" data-testid=\"apply-discount\">{}</button></form>",
        Esc(t(ctx.lang, Msg::Apply))
    );
}

/// The currency selector: its own POST, like the apply-code form. Without
/// JavaScript the customer picks and presses the button.
fn currency_form(
    h: &mut Html,
    ctx: &Ctx<'_>,
    page: &CheckoutPage<'_>,
    choice: &CurrencyChoice<'_>,
) {
    h.raw("<form method=\"post\" class=\"inline-form\"");
    if let Some(action) = safe_url(&choice.action) {
        write!(h, " action=\"{}\"", Esc(action));
    }
    h.raw(">");
    controls::select(
        h,
        ctx,
        &Select {
            name: fields::CURRENCY,
            id: "currency",
            label: t(ctx.lang, Msg::Currency),
            options: choice
                .options
                .iter()
                .map(|c| (c.code(), c.code()))
                .collect(),
            selected: Some(page.quote.currency.code()),
            prompt: t(ctx.lang, Msg::Currency),
            autocomplete: None,
            required: true,
            editable: true,
            testid: Some("currency-select"),
        },
    );
    writeln!(
        h,
        "<button type=\"submit\" class=\"btn-secondary\" data-testid=\"change-currency\">{}</button></form>",
        Esc(t(ctx.lang, Msg::ChangeCurrency))
    );
}
