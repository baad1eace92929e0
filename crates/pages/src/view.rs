//! Builds the checkout page's view from a session as the app sees it: the
//! renderers read the session and its quote themselves; what is decided
//! here is the payment methods on offer and where each form posts.

use kassa_app::{AppError, SAVED_PREFIX, SessionView};
use kassa_core::checkout::Quote;
use kassa_web::{CheckoutPage, CurrencyChoice, Entered, FieldError, Lang, PaymentMethodChoice};

/// The checkout page for an open session priced at `quote`.
pub fn checkout_page<'a>(
    view: &'a SessionView,
    quote: &'a Quote,
    lang: Lang,
    entered: Entered,
    errors: Vec<(String, String)>,
    notice: Option<String>,
) -> CheckoutPage<'a> {
    let id = &view.session.id;
    CheckoutPage {
        lang,
        session: &view.session,
        quote,
        business_name: &view.business_name,
        mode: view.scope.mode,
        payment_methods: payment_methods(view, quote, &entered),
        currency_choice: (!view.currencies.is_empty()).then(|| CurrencyChoice {
            options: &view.currencies,
            action: format!("/session/{id}/currency"),
        }),
        entered,
        errors: errors
            .into_iter()
            .map(|(field, message)| FieldError {
                field: Some(field),
                message,
            })
            .collect(),
        notice,
        form_action: format!("/session/{id}/pay"),
        discount_action: format!("/session/{id}/discount"),
    }
}

/// The methods the page offers, in order: a returning customer's saved
/// cards (the newest chosen), a new card when the session allows cards (or
/// names no types), and UPI when it allows UPI (or names no types and is
/// priced in rupees). What the customer last chose stays chosen.
fn payment_methods(
    view: &SessionView,
    quote: &Quote,
    entered: &Entered,
) -> Vec<PaymentMethodChoice> {
    let s = &view.session;
    let chosen = entered.get("payment_method");
    let allowed = &s.allowed_payment_method_types;
    let card = allowed.is_empty() || allowed.iter().any(|t| t == "credit" || t == "debit");
    let upi = allowed.iter().any(|t| t.starts_with("upi"))
        || (allowed.is_empty() && quote.currency.code() == "INR");
    let mut methods: Vec<PaymentMethodChoice> = view
        .saved_methods
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let id = format!("{SAVED_PREFIX}{}", m.id);
            PaymentMethodChoice {
                selected: match chosen {
                    Some(chosen) => chosen == id,
                    None => i == 0,
                },
                label: format!(
                    "{} •••• {} ({:02}/{:02})",
                    m.card.network,
                    m.card.last_four,
                    m.card.exp_month,
                    m.card.exp_year % 100
                ),
                id,
            }
        })
        .collect();
    if card {
        methods.push(PaymentMethodChoice {
            id: "card".into(),
            label: "Card".into(),
            // Chosen unless something else was, or a saved card leads.
            selected: match chosen {
                Some(chosen) => chosen == "card",
                None => view.saved_methods.is_empty(),
            },
        });
    }
    if upi {
        methods.push(PaymentMethodChoice {
            id: "upi".into(),
            label: "UPI".into(),
            selected: chosen == Some("upi"),
        });
    }
    methods
}

/// A message for the customer when the cart cannot be priced any more.
pub fn unpriceable(e: &AppError) -> String {
    format!("This checkout cannot be completed: {e}")
}
