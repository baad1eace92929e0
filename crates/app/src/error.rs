//! The application layer's error: what went wrong in a use case, in terms
//! each dialect can map exhaustively onto its own error shape.

use kassa_core::DomainError;
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
    Unusable { field: String, reason: String },
    /// A live discount already uses this code.
    #[error("discount code {0} already exists")]
    DiscountCodeTaken(String),
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

    pub fn unusable(field: impl Into<String>, reason: impl Into<String>) -> AppError {
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
