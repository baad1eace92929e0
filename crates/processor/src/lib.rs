//! Payment processors behind one trait, and the built-in `test` processor.
//!
//! A processor charges a payment method for an amount and answers with an
//! outcome in a processor-neutral vocabulary. Card numbers enter as
//! [`CardInput`], are checked (Luhn, expiry, CVC) into a [`Card`], and only
//! the [`StoredCard`] summary (brand, last four, expiry) ever leaves this
//! crate: no PAN or CVC is stored or logged.

pub mod card;
mod test_processor;

use async_trait::async_trait;
use kassa_core::money::Money;

pub use kassa_core::payment::DeclineReason;

pub use card::{Card, CardBrand, CardError, CardInput, Funding, StoredCard};
pub use test_processor::TestProcessor;

/// What to charge, with what.
#[derive(Debug)]
pub struct ChargeRequest {
    /// Kassa's payment id, echoed in the processor's records.
    pub reference: String,
    pub amount: Money,
    pub method: PaymentMethod,
    /// A charge without the customer present (renewals, plan changes).
    pub off_session: bool,
    /// Ask for 3-D Secure whatever the card would do.
    pub force_3ds: bool,
}

#[derive(Debug)]
pub enum PaymentMethod {
    Card(Card),
    /// A UPI virtual payment address (`name@bank`).
    Upi {
        vpa: String,
    },
    /// A card saved earlier, by the reference [`PaymentProcessor::reusable`] gave.
    Saved {
        token: String,
    },
}

/// The result of a charge attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChargeOutcome {
    Succeeded {
        processor_reference: String,
    },
    Declined {
        reason: DeclineReason,
    },
    /// The customer must pass a 3-D Secure challenge first; finish with
    /// [`PaymentProcessor::complete_challenge`].
    RequiresAction {
        challenge: String,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum ProcessorError {
    /// The processor could not be reached or answered nonsense.
    #[error("processor unavailable: {0}")]
    Unavailable(String),
    #[error("unknown challenge {0}")]
    UnknownChallenge(String),
}

#[async_trait]
pub trait PaymentProcessor: Send + Sync {
    /// `test`, `stripe`, … (Dodo's `payment_provider`).
    fn name(&self) -> &'static str;

    /// Whether it moves real money, so live-mode payments may use it. The
    /// built-in test processor does not: a live-mode business without a
    /// real one is refused every charge.
    fn takes_live_payments(&self) -> bool;

    async fn charge(&self, request: &ChargeRequest) -> Result<ChargeOutcome, ProcessorError>;

    /// A reference that charges `method` again later (returning customers,
    /// renewals), if the processor can keep it. Called after a success.
    fn reusable(&self, method: &PaymentMethod) -> Option<String>;

    /// What became of the charge made under `reference`, if the processor
    /// has one: how a payment whose outcome was not recorded is reconciled.
    async fn find_charge(&self, reference: &str) -> Result<Option<ChargeOutcome>, ProcessorError>;

    /// Resolves a 3-D Secure challenge the customer passed or failed; a
    /// second answer to one challenge gets the first answer's outcome.
    async fn complete_challenge(
        &self,
        challenge: &str,
        passed: bool,
    ) -> Result<ChargeOutcome, ProcessorError>;
}
