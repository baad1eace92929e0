//! How a page answers an app error, decided by one exhaustive match like
//! the API dialect's, so a new error cannot go unmapped: the customer's own
//! mistakes are shown on the form, a missing session is the not-found page,
//! and a failure on Kassa's side is a logged, retryable 5xx page, never a
//! 404 or a 422.

use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use kassa_app::AppError;
use kassa_web::TroublePage;

use crate::{accept_language, html, not_found};

/// What the page does with an error.
pub(crate) enum Answer {
    /// The session (or what the URL names) does not exist.
    Missing,
    /// The customer can fix it: shown on the form with this status.
    Form(StatusCode),
    /// Not the customer's doing: the trouble page with this status.
    Trouble(StatusCode),
}

pub(crate) fn answer(e: &AppError) -> Answer {
    match e {
        AppError::NotFound { .. } | AppError::Unauthorized => Answer::Missing,
        AppError::Invalid(_)
        | AppError::Unusable { .. }
        | AppError::ProductArchived { .. }
        | AppError::DiscountUnusable { .. }
        | AppError::LimitReached { .. } => Answer::Form(StatusCode::UNPROCESSABLE_ENTITY),
        AppError::StateConflict { .. }
        | AppError::Conflict { .. }
        | AppError::DiscountCodeTaken(_)
        | AppError::IdempotencyKeyReused(_)
        | AppError::IdempotencyKeyInFlight(_) => Answer::Form(StatusCode::CONFLICT),
        AppError::TestModeOnly(_) | AppError::MerchantNotLive => {
            Answer::Form(StatusCode::FORBIDDEN)
        }
        AppError::ProcessorUnavailable(_) => Answer::Trouble(StatusCode::SERVICE_UNAVAILABLE),
        AppError::Store(_) => Answer::Trouble(StatusCode::INTERNAL_SERVER_ERROR),
    }
}

/// The page for an error that is no form's business (missing or trouble);
/// the cause of trouble is logged, never shown.
pub(crate) fn failed(headers: &HeaderMap, e: &AppError) -> Response {
    match answer(e) {
        Answer::Missing => not_found(headers),
        Answer::Form(status) | Answer::Trouble(status) => {
            if status.is_server_error() {
                tracing::error!(error = %e, source = ?std::error::Error::source(e), "a page failed");
            }
            trouble(headers, status, None)
        }
    }
}

/// The trouble page, with what the customer may read about it.
pub(crate) fn trouble(headers: &HeaderMap, status: StatusCode, detail: Option<String>) -> Response {
    let lang = kassa_web::negotiate(None, accept_language(headers));
    html(
        status,
        kassa_web::render_trouble(&TroublePage { lang, detail }),
    )
}
