//! Which browser origins may call the API from their own pages (CORS), and
//! the headers that tell a browser so. The edge ([`crate::edge`]) applies
//! them; this module only decides and writes headers.
//!
//! The default is no origin at all: a server holding secret keys is called
//! from merchants' servers, and a key in a browser is a leaked key. An
//! operator who serves a dashboard or a test harness from another origin
//! lists it (`--cors-origins`). With none listed, nothing here runs.

use anyhow::{Context, bail};
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, ACCESS_CONTROL_REQUEST_HEADERS, ORIGIN,
    VARY,
};
use axum::http::{HeaderMap, HeaderValue};

/// Every method an API route answers; a route's own are in its `Allow`.
const METHODS: HeaderValue = HeaderValue::from_static("GET, POST, PATCH, DELETE");
/// What a preflight that names no headers may send: the SDKs' own.
const HEADERS: HeaderValue = HeaderValue::from_static(
    "authorization, content-type, idempotency-key, x-request-id, \
     webhook-id, webhook-timestamp, webhook-signature, \
     x-stainless-arch, x-stainless-lang, x-stainless-os, x-stainless-package-version, \
     x-stainless-retry-count, x-stainless-runtime, x-stainless-runtime-version, \
     x-stainless-timeout",
);
/// Response headers a page's script may read.
const EXPOSED: HeaderValue = HeaderValue::from_static(
    "x-request-id, idempotent-replayed, kassa-ignored-fields, x-should-retry",
);
/// Two hours: Chromium's ceiling for caching a preflight.
const MAX_AGE: HeaderValue = HeaderValue::from_static("7200");

/// The origins allowed to call the API cross-origin.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorsOrigins {
    /// `*` was listed: any origin.
    any: bool,
    /// Serialized origins (`https://shop.example:8443`), compared byte for
    /// byte with the `Origin` a browser sends, which is serialized alike.
    exact: Vec<String>,
}

impl CorsOrigins {
    /// No origin: the default.
    pub fn none() -> CorsOrigins {
        CorsOrigins::default()
    }

    /// A comma-separated list (`--cors-origins`); blank entries are skipped.
    pub fn parse(list: &str) -> anyhow::Result<CorsOrigins> {
        CorsOrigins::from_entries(list.split(','))
    }

    /// Each entry `*` or `scheme://host[:port]` (http or https; a trailing
    /// `/` is tolerated, a path, query or credentials are not).
    pub fn from_entries<'a>(entries: impl IntoIterator<Item = &'a str>) -> anyhow::Result<Self> {
        let mut origins = CorsOrigins::none();
        for entry in entries.into_iter().map(str::trim).filter(|e| !e.is_empty()) {
            if entry == "*" {
                origins.any = true;
            } else {
                let origin = parse_origin(entry)
                    .with_context(|| format!("cors_origins: `{entry}` is not an origin"))?;
                if !origins.exact.contains(&origin) {
                    origins.exact.push(origin);
                }
            }
        }
        Ok(origins)
    }

    /// Whether any origin is allowed at all (else the edge skips CORS).
    pub fn is_empty(&self) -> bool {
        !self.any && self.exact.is_empty()
    }

    /// The request's `Origin`, when it is allowed.
    pub fn allowed<'h>(&self, headers: &'h HeaderMap) -> Option<&'h HeaderValue> {
        let origin = headers.get(ORIGIN)?;
        let listed = (self.any && origin != "null")
            || self.exact.iter().any(|o| o.as_bytes() == origin.as_bytes());
        listed.then_some(origin)
    }
}

fn parse_origin(entry: &str) -> anyhow::Result<String> {
    if entry.contains('*') {
        bail!("wildcard hosts are not supported; list each origin, or `*` alone for any");
    }
    let url = url::Url::parse(entry)
        .context("write it as scheme://host[:port], e.g. https://shop.example")?;
    if !matches!(url.scheme(), "http" | "https") {
        bail!("only http and https origins can be allowed");
    }
    if !url.username().is_empty() || url.password().is_some() {
        bail!("an origin has no credentials");
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        bail!("an origin is scheme://host[:port], without a path, query or fragment");
    }
    Ok(url.origin().ascii_serialization())
}

/// Tells the browser that `origin` may read this response, and which of
/// its headers.
pub fn allow_response(headers: &mut HeaderMap, origin: HeaderValue) {
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.append(VARY, HeaderValue::from_static("Origin"));
    headers.insert(ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED);
}

/// Answers a preflight from `origin`: the methods, the headers it asked
/// for (the SDKs' set if it named none), and how long to remember this.
pub fn allow_preflight(headers: &mut HeaderMap, origin: HeaderValue, request: &HeaderMap) {
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.append(VARY, HeaderValue::from_static("Origin"));
    headers.insert(ACCESS_CONTROL_ALLOW_METHODS, METHODS);
    let asked = request.get(ACCESS_CONTROL_REQUEST_HEADERS).cloned();
    headers.insert(ACCESS_CONTROL_ALLOW_HEADERS, asked.unwrap_or(HEADERS));
    headers.insert(ACCESS_CONTROL_MAX_AGE, MAX_AGE);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(ORIGIN, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn listed_origins_are_matched_exactly_in_their_serialized_form() {
        let origins =
            CorsOrigins::parse("https://Shop.Example:443/, http://localhost:5173").unwrap();
        assert!(origins.allowed(&origin("https://shop.example")).is_some());
        assert!(origins.allowed(&origin("http://localhost:5173")).is_some());
        assert!(origins.allowed(&origin("http://shop.example")).is_none());
        assert!(
            origins
                .allowed(&origin("https://shop.example:8443"))
                .is_none()
        );
        assert!(origins.allowed(&origin("http://localhost:5174")).is_none());
        assert!(origins.allowed(&HeaderMap::new()).is_none());
    }

    #[test]
    fn a_star_allows_any_origin_but_null() {
        let origins = CorsOrigins::parse("*").unwrap();
        assert!(
            origins
                .allowed(&origin("https://anywhere.example"))
                .is_some()
        );
        assert!(origins.allowed(&origin("null")).is_none());
    }

    #[test]
    fn nothing_listed_allows_nothing() {
        assert!(CorsOrigins::parse(" , ").unwrap().is_empty());
        assert!(
            CorsOrigins::none()
                .allowed(&origin("https://a.example"))
                .is_none()
        );
    }

    #[test]
    fn entries_that_are_not_origins_are_refused_by_name() {
        for bad in [
            "shop.example",
            "https://shop.example/app",
            "https://shop.example?x=1",
            "https://user@shop.example",
            "https://*.shop.example",
            "ftp://shop.example",
            "null",
        ] {
            let err = CorsOrigins::parse(&format!("https://ok.example,{bad}")).unwrap_err();
            let message = format!("{err:#}");
            assert!(message.contains(bad), "{bad}: {message}");
        }
    }
}
