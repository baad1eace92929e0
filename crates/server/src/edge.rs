//! The one middleware every request passes: its request id, its log span,
//! its metrics, a 500 instead of a dropped connection if a handler panics,
//! OPTIONS and CORS on the API routes, and the request fields a dialect
//! ignored (`Kassa-Ignored-Fields`).
//!
//! These were five stacked layers (tower-http's request id, trace and
//! catch-panic, and an axum `from_fn` for metrics), each boxing or cloning
//! per request; together they cost about a sixth of a checkout's server CPU
//! in `kassa-bench`, most of it the INFO-level span (see `call`). Here they
//! are one service and one future, and what came since keeps to that: a
//! request without an `Origin` pays a header lookup for CORS (none when no
//! origin is configured), and one with no unknown field allocates nothing
//! for them.

use std::convert::Infallible;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::FutureExt;
use kassa_app::request_fields::{self, RequestFields};
use tower::{Layer, Service};
use tracing::Instrument;

use crate::cors::{self, CorsOrigins};
use crate::observe;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// The request fields the dialect ignored, by path (`a, b.c`).
pub const IGNORED_FIELDS: HeaderName = HeaderName::from_static("kassa-ignored-fields");

/// How the edge treats requests beyond ids, logs and metrics: which
/// browser origins may call the API, and whether unknown request fields
/// are refused.
#[derive(Debug, Clone, Default)]
pub struct EdgeConfig {
    /// Origins allowed to call the API cross-origin (`--cors-origins`);
    /// none by default.
    pub cors_origins: CorsOrigins,
    /// Unknown request fields are a 422 (`--strict-fields`) instead of
    /// ignored and named in `Kassa-Ignored-Fields`.
    pub strict_fields: bool,
}

/// Wraps every route (see [`crate::http::router`]).
#[derive(Clone, Default)]
pub struct EdgeLayer {
    /// `None` when no origin is allowed: then CORS costs not even a lookup.
    cors: Option<Arc<CorsOrigins>>,
    strict_fields: bool,
}

impl EdgeLayer {
    pub fn new(config: &EdgeConfig) -> EdgeLayer {
        let origins = &config.cors_origins;
        EdgeLayer {
            cors: (!origins.is_empty()).then(|| Arc::new(origins.clone())),
            strict_fields: config.strict_fields,
        }
    }
}

impl<S> Layer<S> for EdgeLayer {
    type Service = Edge<S>;

    fn layer(&self, inner: S) -> Edge<S> {
        Edge {
            inner,
            cors: self.cors.clone(),
            strict_fields: self.strict_fields,
        }
    }
}

#[derive(Clone)]
pub struct Edge<S> {
    inner: S,
    cors: Option<Arc<CorsOrigins>>,
    strict_fields: bool,
}

type EdgeFuture = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

/// What `call` did with the request: handed it on, or answered it itself.
enum Called<F> {
    Inner(F),
    Answered(Response),
}

impl<S> Service<Request> for Edge<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = EdgeFuture;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request) -> EdgeFuture {
        let started = Instant::now();
        // The caller's id is kept (so their logs and ours line up); ours
        // have Kassa's id shape.
        let id = match req.headers().get(&REQUEST_ID) {
            Some(theirs) => theirs.clone(),
            None => {
                let ours = new_request_id();
                req.headers_mut().insert(REQUEST_ID, ours.clone());
                ours
            }
        };
        // At DEBUG: with the fmt subscriber a span formats its fields and
        // takes a registry slot on every request, about a tenth of a
        // checkout's server CPU (kassa-bench). `RUST_LOG=debug` turns it
        // on; a failed request is logged with its id at any level.
        let span = tracing::debug_span!(
            "request",
            method = %req.method(),
            uri = %req.uri(),
            request_id = id.to_str().unwrap_or(""),
        );
        let method = req.method().clone();
        let uri = req.uri().clone();
        let route = req.extensions().get::<MatchedPath>().cloned();
        // A browser's concerns (OPTIONS, CORS) apply to the API routes
        // only: not to the customer pages, which browsers reach by
        // navigation and form posts, nor to an unknown path (a 404).
        let origin = self.cors.as_ref().and_then(|o| o.allowed(req.headers()));
        let api = (origin.is_some() || method == Method::OPTIONS)
            && route
                .as_ref()
                .is_some_and(|r| !kassa_pages::is_page_route(r.as_str()));
        let mut origin = origin.filter(|_| api).cloned();
        let mut fields = RequestFields::new(self.strict_fields);
        let called = if api && method == Method::OPTIONS {
            Ok(Called::Answered(options(origin.take(), req.headers())))
        } else {
            let _entered = span.enter();
            fields
                .enter(|| std::panic::catch_unwind(AssertUnwindSafe(|| self.inner.call(req))))
                .map(Called::Inner)
        };
        Box::pin(
            async move {
                let outcome = match called {
                    Ok(Called::Inner(future)) => {
                        // The dialect's parsers report ignored fields into
                        // `fields` while it is current: around every poll.
                        let mut future = pin!(AssertUnwindSafe(future).catch_unwind());
                        std::future::poll_fn(|cx| fields.enter(|| future.as_mut().poll(cx))).await
                    }
                    Ok(Called::Answered(response)) => Ok(Ok(response)),
                    Err(panic) => Err(panic),
                };
                let mut response = match outcome {
                    Ok(Ok(response)) => response,
                    Ok(Err(never)) => match never {},
                    Err(_) => panicked(uri.path()),
                };
                if let Some(origin) = origin {
                    cors::allow_response(response.headers_mut(), origin);
                }
                if !fields.ignored().is_empty() {
                    name_ignored(&mut response, fields.ignored(), &method, &uri, &id);
                }
                let status = response.status();
                let latency = started.elapsed();
                if status.is_server_error() {
                    tracing::error!(
                        method = %method,
                        uri = %uri,
                        request_id = id.to_str().unwrap_or(""),
                        status = status.as_u16(),
                        latency = ?latency,
                        "response failed"
                    );
                }
                response.headers_mut().insert(REQUEST_ID, id);
                let route = route.as_ref().map_or("unmatched", MatchedPath::as_str);
                observe::record(route, &method, status.as_u16(), latency);
                Ok(response)
            }
            .instrument(span),
        )
    }
}

/// An API route's answer to OPTIONS: a 204, with the CORS preflight
/// headers when the origin is allowed. The route's methods are in `Allow`:
/// the edge wraps each route's method-not-allowed fallback, so axum's
/// method router, outside it, adds the header it knows.
fn options(origin: Option<HeaderValue>, request: &HeaderMap) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Some(origin) = origin {
        cors::allow_preflight(response.headers_mut(), origin, request);
    }
    response
}

/// Names the fields the dialect ignored, so that a client sending a field
/// Kassa does not know (yet) finds out, and so does the operator.
fn name_ignored(
    response: &mut Response,
    ignored: &[String],
    method: &Method,
    uri: &axum::http::Uri,
    id: &HeaderValue,
) {
    let listing = request_fields::list(ignored);
    tracing::warn!(
        method = %method,
        path = uri.path(),
        request_id = id.to_str().unwrap_or(""),
        fields = %listing,
        "ignored unknown request fields"
    );
    if let Ok(value) = HeaderValue::try_from(listing) {
        response.headers_mut().insert(IGNORED_FIELDS, value);
    }
}

/// `req_` and 21 base62 characters, like every other id Kassa mints.
fn new_request_id() -> HeaderValue {
    let id = format!("req_{}", kassa_core::id::random_base62(21));
    HeaderValue::from_str(&id).expect("base62 is a valid header value")
}

fn panicked(path: &str) -> Response {
    tracing::error!("handler panicked");
    crate::dialects::for_path(path)(crate::dialects::Refusal::Panicked)
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use tower::ServiceExt;

    use super::*;

    async fn through_edge(req: Request, handler: fn() -> Response) -> Response {
        let inner =
            tower::service_fn(move |_: Request| async move { Ok::<_, Infallible>(handler()) });
        EdgeLayer::default()
            .layer(inner)
            .oneshot(req)
            .await
            .unwrap()
    }

    fn ok() -> Response {
        StatusCode::OK.into_response()
    }

    #[tokio::test]
    async fn a_request_without_an_id_gets_one_of_kassas_shape() {
        let response = through_edge(Request::new(Body::empty()), ok).await;
        let id = response.headers()[&REQUEST_ID].to_str().unwrap();
        assert!(id.starts_with("req_") && id.len() == 25, "{id}");
    }

    #[tokio::test]
    async fn the_callers_request_id_is_echoed() {
        let req = Request::builder()
            .header("x-request-id", "theirs-1")
            .body(Body::empty())
            .unwrap();
        let response = through_edge(req, ok).await;
        assert_eq!(response.headers()[&REQUEST_ID], "theirs-1");
    }

    #[tokio::test]
    async fn a_panicking_handler_becomes_a_500_in_the_error_shape() {
        let response = through_edge(Request::new(Body::empty()), || panic!("boom")).await;
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(response.headers().contains_key(&REQUEST_ID));
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["code"], "INTERNAL_SERVER_ERROR");
    }
}
