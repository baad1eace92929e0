//! Why a charge was refused, in the domain's words; each dialect names the
//! reason in its own error codes.

use serde::{Deserialize, Serialize};

/// A processor's refusal, as stored on the failed payment. The stored name
/// is the variant in snake case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclineReason {
    CardDeclined,
    InsufficientFunds,
    LostCard,
    StolenCard,
    ExpiredCard,
    IncorrectCvc,
    ProcessingError,
    AuthenticationFailed,
}

impl DeclineReason {
    pub const ALL: &'static [DeclineReason] = &[
        DeclineReason::CardDeclined,
        DeclineReason::InsufficientFunds,
        DeclineReason::LostCard,
        DeclineReason::StolenCard,
        DeclineReason::ExpiredCard,
        DeclineReason::IncorrectCvc,
        DeclineReason::ProcessingError,
        DeclineReason::AuthenticationFailed,
    ];

    /// What the customer is told. Lost and stolen cards read as a plain
    /// decline: the customer holding one is not told why.
    pub fn message(self) -> &'static str {
        match self {
            DeclineReason::CardDeclined => "Your card was declined.",
            DeclineReason::InsufficientFunds => "Your card has insufficient funds.",
            DeclineReason::LostCard | DeclineReason::StolenCard => "Your card was declined.",
            DeclineReason::ExpiredCard => "Your card has expired.",
            DeclineReason::IncorrectCvc => "Your card's security code is incorrect.",
            DeclineReason::ProcessingError => {
                "An error occurred while processing your card. Try again."
            }
            DeclineReason::AuthenticationFailed => "Authentication of your card failed.",
        }
    }
}
