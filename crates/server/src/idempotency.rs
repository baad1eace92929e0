//! `Idempotency-Key` on POST: the same key with the same request replays
//! the first response (`Idempotent-Replayed: true`); with another request
//! it is a 409 the SDKs are told not to retry.
//!
//! The key is claimed before the handler runs, so two concurrent requests
//! with one key cannot both act: the second gets a retryable 409 until the
//! first has finished. 5xx responses release the key (worth retrying).
//!
//! The rule is every dialect's; its refusals are rendered by the dialect
//! the layer wraps ([`Refusal`]).

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::future::Either;
use kassa_app::{App, AppError, Claim};
use sha2::{Digest, Sha256};
use tower::{Layer, Service};

use crate::dialects::{Refusal, Render};

/// Largest body (and response) remembered: checkout bodies are small.
const MAX_BYTES: usize = 1 << 20;

/// Wraps every route of a dialect's router. A request without a key
/// (every GET, most POSTs) goes straight through, without an allocation of
/// its own.
#[derive(Clone)]
pub struct IdempotencyLayer {
    pub app: Arc<App>,
    /// The wrapped dialect's error shape.
    pub render: Render,
}

impl<S> Layer<S> for IdempotencyLayer {
    type Service = Idempotent<S>;

    fn layer(&self, inner: S) -> Idempotent<S> {
        Idempotent {
            app: self.app.clone(),
            render: self.render,
            inner,
        }
    }
}

#[derive(Clone)]
pub struct Idempotent<S> {
    app: Arc<App>,
    render: Render,
    inner: S,
}

type Keyed = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

impl<S> Service<Request> for Idempotent<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Either<S::Future, Keyed>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let key = match req.headers().get("idempotency-key") {
            Some(key) if req.method() == Method::POST => key.to_str().map(str::to_owned),
            _ => return Either::Left(self.inner.call(req)),
        };
        // The service made ready handles this request; a clone waits for
        // the next one (tower's contract for moving a call into a future).
        let fresh = self.inner.clone();
        let ready = std::mem::replace(&mut self.inner, fresh);
        let (app, render) = (self.app.clone(), self.render);
        Either::Right(Box::pin(async move {
            Ok(match run(app, key, req, ready).await {
                Ok(response) => response,
                Err(refusal) => render(refusal),
            })
        }))
    }
}

async fn run<S>(
    app: Arc<App>,
    key: Result<String, axum::http::header::ToStrError>,
    req: Request,
    mut inner: S,
) -> Result<Response, Refusal>
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    let key = key.map_err(|_| AppError::unusable("Idempotency-Key", "must be ASCII"))?;
    let secret = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(AppError::Unauthorized)?;
    let scope = app.authenticate(secret.trim()).await?;
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, MAX_BYTES)
        .await
        .map_err(|e| Refusal::UnreadableBody(e.to_string()))?;
    let fingerprint = fingerprint(
        &parts.method,
        parts.uri.path_and_query().map(|p| p.as_str()),
        &bytes,
    );
    match app
        .claim_idempotency_key(&scope, &key, &fingerprint)
        .await?
    {
        Claim::Replay(stored) => {
            let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
            let mut response = (status, stored.body).into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
            Ok(response)
        }
        Claim::Mismatch => Err(AppError::IdempotencyKeyReused(key).into()),
        Claim::InFlight => Err(AppError::IdempotencyKeyInFlight(key).into()),
        Claim::Fresh => {
            let Ok(response) = inner
                .call(Request::from_parts(parts, Body::from(bytes)))
                .await;
            let (parts, body) = response.into_parts();
            let body = match to_bytes(body, MAX_BYTES).await {
                Ok(body) => body,
                Err(e) => {
                    app.release_idempotency_key(&scope, &key).await?;
                    tracing::error!(error = %e, "response too large to remember");
                    return Err(AppError::Store(kassa_app::store_error(e)).into());
                }
            };
            if parts.status.is_server_error() {
                app.release_idempotency_key(&scope, &key).await?;
            } else {
                app.finish_idempotency_key(&scope, &key, parts.status.as_u16(), body.to_vec())
                    .await?;
            }
            Ok(Response::from_parts(parts, Body::from(body)))
        }
    }
}

/// SHA-256 over method, path with query, and body.
fn fingerprint(method: &Method, path: Option<&str>, body: &Bytes) -> String {
    let mut h = Sha256::new();
    h.update(method.as_str());
    h.update([0]);
    h.update(path.unwrap_or(""));
    h.update([0]);
    h.update(body);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
