//! The domain's one error type: a rule was broken, and which field broke it.

use crate::field::FieldPath;

/// A domain rule refused a value. `field` is the path of the offending
/// input in the domain's words (`price.price`, `cart[1].product`), so each
/// dialect can name it in its own error shape.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// The value is malformed or out of range.
    #[error("{field}: {reason}")]
    Invalid { field: FieldPath, reason: String },
    /// More than 50 metadata pairs.
    #[error("metadata: at most {max} keys are allowed, got {got}")]
    TooManyMetadataKeys { max: usize, got: usize },
    /// Arithmetic left the representable range; never silently wrapped.
    #[error("amount overflow in {0}")]
    Overflow(&'static str),
}

impl DomainError {
    pub fn invalid(field: impl Into<FieldPath>, reason: impl Into<String>) -> Self {
        DomainError::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// The input field the error is about, when there is one.
    pub fn field(&self) -> Option<FieldPath> {
        match self {
            DomainError::Invalid { field, .. } => Some(field.clone()),
            DomainError::TooManyMetadataKeys { .. } => Some(FieldPath::named("metadata")),
            DomainError::Overflow(_) => None,
        }
    }
}
