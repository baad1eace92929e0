//! What each page renders: core's own types (the session, its quote, a
//! payment's amount) borrowed as the app layer produced them, plus the few
//! things only a rendering knows: the language, what the customer typed,
//! the errors and notice to show, the payment methods on offer and where
//! each form posts.
//!
//! Nothing here copies a core type: a page reads the session's flags,
//! customization and prefilled details and the quote's lines and totals
//! where they are. Strings are raw (the renderers escape them).

use kassa_core::checkout::{CheckoutSession, Quote};
use kassa_core::id::CheckoutSessionId;
use kassa_core::money::{Currency, Money};
use kassa_core::tenancy::Mode;

use crate::i18n::Lang;

/// The hosted checkout page of one open session.
///
/// What it shows comes from `session` and `quote`; where the customer has
/// typed something (`entered`), that is shown instead of the session's
/// value, so a refused form comes back as it was sent.
#[derive(Debug, Clone)]
pub struct CheckoutPage<'a> {
    pub lang: Lang,
    /// The session as stored: cart options, `feature_flags`,
    /// `customization`, prefilled customer and billing details, custom
    /// fields, applied codes and the merchant's `cancel_url`.
    pub session: &'a CheckoutSession,
    /// The session priced now; its currency is the page's.
    pub quote: &'a Quote,
    pub business_name: &'a str,
    /// Test mode shows the "Test mode" badge and the test card hint.
    pub mode: Mode,
    /// The methods the customer may pick, in display order; none means a
    /// card alone. Decided by the caller (allowed types, saved cards).
    pub payment_methods: Vec<PaymentMethodChoice>,
    /// Adaptive pricing: the currencies the customer may switch to (the
    /// current one included); no selector when `None`.
    pub currency_choice: Option<CurrencyChoice<'a>>,
    /// What the customer typed last; never card details.
    pub entered: Entered,
    pub errors: Vec<FieldError>,
    /// A message for the top of the page, e.g. a decline reason.
    pub notice: Option<String>,
    /// Where the pay form posts.
    pub form_action: String,
    /// Where the apply-discount form posts.
    pub discount_action: String,
}

/// Form fields as the customer last posted them, by field name
/// ([`crate::fields`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entered {
    pub values: Vec<(String, String)>,
}

impl Entered {
    /// The value typed for `name`; an empty one counts as not typed.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

/// A payment method the customer may pick.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PaymentMethodChoice {
    /// `card`, `upi`, …: posted as [`crate::fields::PAYMENT_METHOD`].
    pub id: String,
    pub label: String,
    pub selected: bool,
}

/// The currency selector's own form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrencyChoice<'a> {
    /// In display order.
    pub options: &'a [Currency],
    /// Where the selector posts (field [`crate::fields::CURRENCY`]).
    pub action: String,
}

/// A validation or processing error to show the customer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldError {
    /// The form field it concerns (a [`crate::fields`] name), if any.
    pub field: Option<String>,
    pub message: String,
}

/// "This checkout session has expired."
#[derive(Debug, Clone)]
pub struct ExpiredPage<'a> {
    pub lang: Lang,
    /// For its theme.
    pub session: &'a CheckoutSession,
    pub business_name: &'a str,
}

/// Shown once the session is paid.
#[derive(Debug, Clone)]
pub struct SuccessPage<'a> {
    pub lang: Lang,
    /// For its theme, the payment's id and the receipt's email.
    pub session: &'a CheckoutSession,
    pub business_name: &'a str,
    /// The amount paid is the quote's total today; `None` when the cart
    /// can no longer be priced (a product archived since), which shows a
    /// zero amount.
    pub quote: Option<&'a Quote>,
    /// The merchant's `return_url` with the result: a "Continue" link.
    pub return_url: Option<String>,
}

/// The test processor's simulated 3-D Secure challenge.
#[derive(Debug, Clone)]
pub struct ChallengePage<'a> {
    pub lang: Lang,
    /// Posted back by both forms.
    pub session_id: &'a CheckoutSessionId,
    /// The payment's amount.
    pub amount: Money,
    /// Where the "Complete authentication" form posts.
    pub complete_action: String,
    /// Where the "Fail authentication" form posts.
    pub fail_action: String,
}

/// Unknown session or link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NotFoundPage {
    pub lang: Lang,
}

/// A page that could not be served as asked: a failure on Kassa's side
/// (retryable; `detail` is `None`, the cause is in the log) or a session
/// that can no longer be priced (`detail` says why).
pub struct TroublePage {
    pub lang: Lang,
    pub detail: Option<String>,
}

/// A payment link whose parameters cannot make a checkout: the problem is
/// the merchant's to fix, so it is shown as written (not translated).
pub struct LinkProblemPage {
    pub lang: Lang,
    pub problem: String,
}
