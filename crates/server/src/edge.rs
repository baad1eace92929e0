//! The one middleware every request passes: its request id, its log span,
//! its metrics, and a 500 instead of a dropped connection if a handler
//! panics.
//!
//! These were five stacked layers (tower-http's request id, trace and
//! catch-panic, and an axum `from_fn` for metrics), each boxing or cloning
//! per request; together they cost about a sixth of a checkout's server CPU
//! in `kassa-bench`, most of it the INFO-level span (see `call`). Here they
//! are one service and one future.

use std::convert::Infallible;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::FutureExt;
use tower::{Layer, Service};
use tracing::Instrument;

use crate::observe;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Wraps every route (see [`crate::http::router`]).
#[derive(Clone, Copy, Default)]
pub struct EdgeLayer;

impl<S> Layer<S> for EdgeLayer {
    type Service = Edge<S>;

    fn layer(&self, inner: S) -> Edge<S> {
        Edge { inner }
    }
}

#[derive(Clone)]
pub struct Edge<S> {
    inner: S,
}

type EdgeFuture = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

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
        let called = {
            let _entered = span.enter();
            std::panic::catch_unwind(AssertUnwindSafe(|| self.inner.call(req)))
        };
        Box::pin(
            async move {
                let outcome = match called {
                    Ok(future) => AssertUnwindSafe(future).catch_unwind().await,
                    Err(panic) => Err(panic),
                };
                let mut response = match outcome {
                    Ok(Ok(response)) => response,
                    Ok(Err(never)) => match never {},
                    Err(_) => panicked(),
                };
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

/// `req_` and 21 base62 characters, like every other id Kassa mints.
fn new_request_id() -> HeaderValue {
    let id = format!("req_{}", kassa_core::id::random_base62(21));
    HeaderValue::from_str(&id).expect("base62 is a valid header value")
}

fn panicked() -> Response {
    tracing::error!("handler panicked");
    crate::http::error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "INTERNAL_SERVER_ERROR",
        "Something went wrong. The error was logged.".into(),
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use tower::ServiceExt;

    use super::*;

    async fn through_edge(req: Request, handler: fn() -> Response) -> Response {
        let inner =
            tower::service_fn(move |_: Request| async move { Ok::<_, Infallible>(handler()) });
        Edge { inner }.oneshot(req).await.unwrap()
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
