//! What the server refuses on its own (no route, a method the route does
//! not take, a panicked handler, the idempotency rule), rendered in the
//! error shape of the dialect the request was sent to.

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use kassa_api_dodo::ApiError;
use kassa_app::AppError;

/// A refusal the server makes itself, before or around any handler.
#[derive(Debug)]
pub enum Refusal {
    /// No route matches the path.
    NoRoute { method: String, path: String },
    /// The route exists but takes other methods.
    MethodNotAllowed { method: String, path: String },
    /// The handler panicked; the cause is logged where it happened.
    Panicked,
    /// The body could not be read (too large, cut off).
    UnreadableBody(String),
    /// A use case refused (the idempotency rule's conflicts, a bad key).
    App(AppError),
}

impl From<AppError> for Refusal {
    fn from(e: AppError) -> Refusal {
        Refusal::App(e)
    }
}

impl Refusal {
    pub fn no_route(req: &Request, path: String) -> Refusal {
        Refusal::NoRoute {
            method: req.method().to_string(),
            path,
        }
    }
}

/// A dialect's renderer of refusals.
pub type Render = fn(Refusal) -> Response;

/// The dialect that answers for `path`. Every path is Dodo's until a
/// second dialect mounts its own prefix.
pub fn for_path(_path: &str) -> Render {
    dodo
}

/// Dodo's shape, through its own error mapping.
pub fn dodo(refusal: Refusal) -> Response {
    match refusal {
        Refusal::NoRoute { method, path } => ApiError::NoRoute { method, path },
        Refusal::MethodNotAllowed { method, path } => ApiError::MethodNotAllowed { method, path },
        Refusal::Panicked => ApiError::Panicked,
        Refusal::UnreadableBody(why) => ApiError::MalformedJson(why),
        Refusal::App(e) => ApiError::App(e),
    }
    .into_response()
}
