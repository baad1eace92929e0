//! Dodo's error shape: `{"code": "UPPER_SNAKE", "message": "..."}` with
//! Dodo's status codes. Core errors are mapped with exhaustive matches, so
//! a new error variant cannot go unmapped.

use axum::Json;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use kassa_app::{AppError, DiscountProblem};
use kassa_core::DomainError;
use serde::Serialize;

/// Everything a Dodo handler can answer with instead of success.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    App(#[from] AppError),
    /// The body is not JSON at all.
    #[error("malformed JSON body: {0}")]
    MalformedJson(String),
    /// The body is JSON of the wrong shape; `field` is the path into it.
    #[error("{field}: {reason}")]
    InvalidBody { field: String, reason: String },
    /// The body is over the size limit (a 413 in the JSON error shape).
    #[error("the request body is over the {0} byte limit")]
    BodyTooLarge(usize),
    /// A query parameter is malformed.
    #[error("invalid query parameters: {0}")]
    InvalidQuery(String),
    /// Under `--strict-fields`, body fields this server does not know, by
    /// path (`customer.foo`); without it they are ignored and named in the
    /// `Kassa-Ignored-Fields` response header instead.
    #[error(
        "unknown fields: {} (this server runs with --strict-fields)",
        kassa_app::request_fields::list(.0)
    )]
    UnknownFields(Vec<String>),
    /// A currency code Kassa does not accept.
    #[error("{field}: unsupported currency `{value}`")]
    UnsupportedCurrency { field: String, value: String },
    /// A country code Kassa does not know.
    #[error("{field}: unsupported country `{value}`")]
    UnsupportedCountry { field: String, value: String },
    /// `subscription_data.on_demand` was sent.
    #[error("subscription_data.on_demand: on-demand subscriptions are not enabled on Kassa")]
    OnDemandNotEnabled,
    /// `amount` of a percentage discount is over 10000 basis points.
    #[error("{0}")]
    InvalidPercentage(String),
    /// No route matches.
    #[error("no route for {method} {path}")]
    NoRoute { method: String, path: String },
    /// The route takes other methods.
    #[error("{method} is not allowed on {path}")]
    MethodNotAllowed { method: String, path: String },
    /// A handler panicked (logged where it happened).
    #[error("Something went wrong. The error was logged.")]
    Panicked,
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> ApiError {
        ApiError::App(AppError::Invalid(e))
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: &'a str,
    message: String,
}

impl ApiError {
    fn parts(&self) -> (StatusCode, &'static str) {
        const UNPROCESSABLE: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;
        match self {
            ApiError::App(app) => match app {
                AppError::Unauthorized => (StatusCode::UNAUTHORIZED, "UNAUTHORIZED"),
                AppError::NotFound { .. } => (StatusCode::NOT_FOUND, "NOT_FOUND"),
                AppError::Invalid(domain) => match domain {
                    DomainError::Invalid { .. } => (UNPROCESSABLE, "INVALID_REQUEST_BODY"),
                    DomainError::TooManyMetadataKeys { .. } => {
                        (UNPROCESSABLE, "MAXIMUM_KEYS_REACHED")
                    }
                    DomainError::Overflow(_) => (UNPROCESSABLE, "INTEGER_CONVERSION_FAILURE"),
                },
                AppError::Unusable { .. } => (UNPROCESSABLE, "INVALID_REQUEST_BODY"),
                AppError::StateConflict { .. } => (StatusCode::CONFLICT, "CONFLICT"),
                AppError::ProductArchived { .. } => (UNPROCESSABLE, "PRODUCT_IS_DELETED"),
                AppError::DiscountUnusable { problem, .. } => match problem {
                    DiscountProblem::Unknown | DiscountProblem::NotStarted => {
                        (UNPROCESSABLE, "INVALID_DISCOUNT_CODE")
                    }
                    DiscountProblem::Expired => (UNPROCESSABLE, "DISCOUNT_CODE_EXPIRED"),
                    DiscountProblem::UsedUp => {
                        (UNPROCESSABLE, "DISCOUNT_CODE_USAGE_LIMIT_EXCEEDED")
                    }
                    DiscountProblem::NotForCart => {
                        (UNPROCESSABLE, "DISCOUNT_NOT_AVAILABLE_FOR_PRODUCT")
                    }
                },
                AppError::IdempotencyKeyReused(_) => {
                    (StatusCode::CONFLICT, "IDEMPOTENCY_KEY_REUSED")
                }
                AppError::IdempotencyKeyInFlight(_) => {
                    (StatusCode::CONFLICT, "IDEMPOTENCY_KEY_IN_USE")
                }
                AppError::DiscountCodeTaken(_) => {
                    (StatusCode::CONFLICT, "DISCOUNT_CODE_ALREADY_EXISTS")
                }
                AppError::Conflict { .. } => (StatusCode::CONFLICT, "CONFLICT"),
                AppError::LimitReached { .. } => (UNPROCESSABLE, "WEBHOOK_LIMIT_REACHED"),
                AppError::TestModeOnly(_) => (StatusCode::FORBIDDEN, "TEST_MODE_ONLY"),
                AppError::MerchantNotLive => (StatusCode::FORBIDDEN, "MERCHANT_NOT_LIVE"),
                AppError::ProcessorUnavailable(_) => {
                    (StatusCode::SERVICE_UNAVAILABLE, "PROCESSOR_UNAVAILABLE")
                }
                AppError::Store(_) => (StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_SERVER_ERROR"),
            },
            ApiError::MalformedJson(_) => (StatusCode::BAD_REQUEST, "INVALID_REQUEST_BODY"),
            ApiError::BodyTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "INVALID_REQUEST_BODY"),
            ApiError::InvalidBody { .. } => (UNPROCESSABLE, "INVALID_REQUEST_BODY"),
            ApiError::InvalidQuery(_) => (UNPROCESSABLE, "INVALID_QUERY_PARAMS"),
            ApiError::UnknownFields(_) => (UNPROCESSABLE, "INVALID_REQUEST_BODY"),
            ApiError::UnsupportedCurrency { .. } => (UNPROCESSABLE, "UNSUPPORTED_CURRENCY"),
            ApiError::UnsupportedCountry { .. } => (UNPROCESSABLE, "UNSUPPORTED_COUNTRY"),
            ApiError::OnDemandNotEnabled => (UNPROCESSABLE, "ON_DEMAND_SUBSCRIPTIONS_NOT_ENABLED"),
            ApiError::InvalidPercentage(_) => (UNPROCESSABLE, "INVALID_PERCENTAGE"),
            ApiError::NoRoute { .. } => (StatusCode::NOT_FOUND, "NOT_FOUND"),
            ApiError::MethodNotAllowed { .. } => {
                (StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED")
            }
            ApiError::Panicked => (StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_SERVER_ERROR"),
        }
    }
}

impl ApiError {
    /// The message, with every field path in Dodo's names.
    fn message(&self) -> String {
        use crate::vocabulary::field as dodo;
        match self {
            ApiError::App(app) => match app {
                AppError::Store(e) => {
                    tracing::error!(error = %e, source = ?std::error::Error::source(e), "storage failure");
                    "Something went wrong. The error was logged.".to_owned()
                }
                AppError::Invalid(DomainError::Invalid { field, reason })
                | AppError::Unusable { field, reason }
                | AppError::StateConflict { field, reason } => {
                    format!("{}: {reason}", dodo(field))
                }
                AppError::ProductArchived { field, id } => {
                    format!("{}: product {id} is archived", dodo(field))
                }
                AppError::DiscountUnusable {
                    field,
                    code,
                    problem,
                } => format!("{}: discount code {code} {problem}", dodo(field)),
                other => other.to_string(),
            },
            other => other.to_string(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.parts();
        let message = self.message();
        let mut response = (status, Json(ErrorBody { code, message })).into_response();
        // The SDKs retry 408, 409 and 429 without an idempotency key. Only
        // 408 and 429 are transient here; a repeated 409 or 4xx would just
        // replay a refused request, so tell them not to (dodo-api.md §2.5).
        let transient = matches!(
            status,
            StatusCode::REQUEST_TIMEOUT | StatusCode::TOO_MANY_REQUESTS
        ) || matches!(self, ApiError::App(AppError::IdempotencyKeyInFlight(_)));
        if status.is_client_error() && !transient {
            response
                .headers_mut()
                .insert("x-should-retry", HeaderValue::from_static("false"));
        }
        response
    }
}
