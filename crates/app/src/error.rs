//! The application layer's error: what went wrong in a use case, in terms
//! each dialect can map exhaustively onto its own error shape.

use kassa_core::{DomainError, FieldPath};
use kassa_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No valid API key was presented.
    #[error("missing or invalid API key")]
    Unauthorized,
    /// The object does not exist in the caller's business and mode.
    #[error("{what} {id} not found")]
    NotFound { what: &'static str, id: String },
    /// The input broke a domain rule.
    #[error(transparent)]
    Invalid(#[from] DomainError),
    /// The input refers to something that cannot be used (archived, wrong kind).
    #[error("{field}: {reason}")]
    Unusable { field: FieldPath, reason: String },
    /// The request is well formed but the objects it names are in a state
    /// that forbids it now (an archived brand or addon, a brand already
    /// archived): it may succeed once that state changes.
    #[error("{field}: {reason}")]
    StateConflict { field: FieldPath, reason: String },
    /// A cart line names an archived product.
    #[error("{field}: product {id} is archived")]
    ProductArchived { field: FieldPath, id: String },
    /// A discount code in a cart cannot be redeemed.
    #[error("{field}: discount code {code} {problem}")]
    DiscountUnusable {
        field: FieldPath,
        code: String,
        problem: DiscountProblem,
    },
    /// An `Idempotency-Key` was reused with a different request.
    #[error("Idempotency-Key {0} was already used with a different request")]
    IdempotencyKeyReused(String),
    /// A request with this `Idempotency-Key` is still being processed.
    #[error("a request with Idempotency-Key {0} is still in progress; retry shortly")]
    IdempotencyKeyInFlight(String),
    /// A live discount already uses this code.
    #[error("discount code {0} already exists")]
    DiscountCodeTaken(String),
    /// A slug (or other chosen name) is already taken.
    #[error("{detail}")]
    Conflict { what: &'static str, detail: String },
    /// The business has as many of these as it may (webhook endpoints).
    #[error("at most {limit} {what}s are allowed; delete one first")]
    LimitReached { what: &'static str, limit: usize },
    /// The operation exists only in test mode (event triggers).
    #[error("{0} is available in test mode only")]
    TestModeOnly(&'static str),
    /// A live-mode charge with no processor that takes live money: test
    /// cards never pay in live mode (DESIGN.md).
    #[error(
        "this business cannot take live payments yet: no payment processor is configured for live mode"
    )]
    MerchantNotLive,
    /// The payment processor did not answer; nothing is known to have been
    /// charged twice, and the request may be retried.
    #[error("the payment processor is unavailable; try again shortly")]
    ProcessorUnavailable(String),
    /// Storage failed; details are logged, never shown.
    #[error("storage failure")]
    Store(#[source] StoreError),
}

impl AppError {
    pub fn not_found(what: &'static str, id: impl ToString) -> AppError {
        AppError::NotFound {
            what,
            id: id.to_string(),
        }
    }

    pub fn state_conflict(field: impl Into<FieldPath>, reason: impl Into<String>) -> AppError {
        AppError::StateConflict {
            field: field.into(),
            reason: reason.into(),
        }
    }

    pub fn unusable(field: impl Into<FieldPath>, reason: impl Into<String>) -> AppError {
        AppError::Unusable {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        AppError::Store(e)
    }
}

/// Why a discount code cannot be applied to a cart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DiscountProblem {
    #[error("does not exist")]
    Unknown,
    #[error("is not active yet")]
    NotStarted,
    #[error("has expired")]
    Expired,
    #[error("has reached its usage limit")]
    UsedUp,
    #[error("does not apply to any product in the cart")]
    NotForCart,
}
