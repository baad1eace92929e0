//! Browsers: OPTIONS is answered on every API route, and only the origins
//! the operator lists (`--cors-origins`, none by default) get the CORS
//! headers that let a page's script call the API.

use kassa_server::{CorsOrigins, EdgeConfig};
use kassa_testkit::TestServer;
use reqwest::header::HeaderMap;

const SHOP: &str = "https://shop.example";

async fn allowing(origins: &str) -> TestServer {
    TestServer::start_with_edge(EdgeConfig {
        cors_origins: CorsOrigins::parse(origins).unwrap(),
        ..EdgeConfig::default()
    })
    .await
}

/// A browser's preflight of a `POST` with the SDK's headers, from `origin`.
async fn preflight(kassa: &TestServer, path: &str, origin: &str) -> (u16, HeaderMap) {
    let resp = kassa
        .http
        .request(reqwest::Method::OPTIONS, format!("{}{path}", kassa.url))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type, x-stainless-os",
        )
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.headers().clone())
}

/// The actual request that follows, from `origin`.
async fn get_from(kassa: &TestServer, path: &str, origin: &str) -> (u16, HeaderMap) {
    let resp = kassa
        .http
        .get(format!("{}{path}", kassa.url))
        .bearer_auth(&kassa.key)
        .header("origin", origin)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.headers().clone())
}

fn cors_headers(headers: &HeaderMap) -> Vec<&str> {
    headers
        .keys()
        .map(|k| k.as_str())
        .filter(|k| k.starts_with("access-control-"))
        .collect()
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> &'h str {
    headers
        .get(name)
        .unwrap_or_else(|| panic!("no {name}: {headers:?}"))
        .to_str()
        .unwrap()
}

#[tokio::test]
async fn preflight_from_an_allowed_origin_gets_cors_headers() {
    let kassa = allowing(&format!("{SHOP}, http://localhost:5173")).await;
    let (status, headers) = preflight(&kassa, "/products", SHOP).await;
    assert_eq!(status, 204);
    assert_eq!(header(&headers, "access-control-allow-origin"), SHOP);
    assert_eq!(header(&headers, "vary"), "Origin");
    assert!(header(&headers, "access-control-allow-methods").contains("POST"));
    assert_eq!(
        header(&headers, "access-control-allow-headers"),
        "authorization, content-type, x-stainless-os"
    );
    assert_eq!(header(&headers, "access-control-max-age"), "7200");
    let allow = header(&headers, "allow");
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
}

#[tokio::test]
async fn preflight_from_another_origin_gets_none() {
    let kassa = allowing(SHOP).await;
    let (status, headers) = preflight(&kassa, "/products", "https://evil.example").await;
    assert_eq!(status, 204);
    assert!(headers.contains_key("allow"));
    assert_eq!(cors_headers(&headers), Vec::<&str>::new());
    let (_, headers) = preflight(&kassa, "/products", "http://shop.example").await;
    assert_eq!(cors_headers(&headers), Vec::<&str>::new(), "another scheme");
}

#[tokio::test]
async fn a_preflight_naming_no_headers_is_offered_the_sdks_own() {
    let kassa = allowing(SHOP).await;
    let resp = kassa
        .http
        .request(reqwest::Method::OPTIONS, format!("{}/products", kassa.url))
        .header("origin", SHOP)
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap();
    let allowed = header(resp.headers(), "access-control-allow-headers");
    for name in [
        "authorization",
        "content-type",
        "idempotency-key",
        "webhook-signature",
        "x-request-id",
        "x-stainless-retry-count",
    ] {
        assert!(allowed.contains(name), "{name}: {allowed}");
    }
}

#[tokio::test]
async fn a_request_from_an_allowed_origin_may_read_the_response() {
    let kassa = allowing(SHOP).await;
    let (status, headers) = get_from(&kassa, "/products", SHOP).await;
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "access-control-allow-origin"), SHOP);
    assert_eq!(header(&headers, "vary"), "Origin");
    let exposed = header(&headers, "access-control-expose-headers");
    for name in [
        "x-request-id",
        "idempotent-replayed",
        "kassa-ignored-fields",
        "x-should-retry",
    ] {
        assert!(exposed.contains(name), "{name}: {exposed}");
    }
    let (_, headers) = get_from(&kassa, "/products", "https://evil.example").await;
    assert_eq!(cors_headers(&headers), Vec::<&str>::new());
}

#[tokio::test]
async fn no_cors_headers_by_default() {
    let kassa = TestServer::start().await;
    let (status, headers) = preflight(&kassa, "/products", SHOP).await;
    assert_eq!(status, 204, "OPTIONS is still answered");
    assert_eq!(cors_headers(&headers), Vec::<&str>::new());
    let (status, headers) = get_from(&kassa, "/products", SHOP).await;
    assert_eq!(status, 200);
    assert_eq!(cors_headers(&headers), Vec::<&str>::new());
    assert!(!headers.contains_key("vary"));
}

#[tokio::test]
async fn a_star_allows_any_origin_by_name() {
    let kassa = allowing("*").await;
    let (_, headers) = preflight(&kassa, "/checkouts", "https://anywhere.example").await;
    assert_eq!(
        header(&headers, "access-control-allow-origin"),
        "https://anywhere.example"
    );
}

#[tokio::test]
async fn options_is_answered_with_each_routes_methods() {
    let kassa = TestServer::start().await;
    for (path, methods) in [
        (
            "/products/pdt_000000000000000000000",
            ["GET", "PATCH", "DELETE"].as_slice(),
        ),
        ("/webhooks", &["GET", "POST"]),
        ("/healthz", &["GET"]),
    ] {
        let resp = kassa
            .http
            .request(reqwest::Method::OPTIONS, format!("{}{path}", kassa.url))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 204, "{path}");
        let allow = header(resp.headers(), "allow");
        for method in methods {
            assert!(allow.contains(method), "{path}: {allow}");
        }
        assert!(resp.headers().contains_key("x-request-id"));
    }
}

#[tokio::test]
async fn the_customer_pages_and_unknown_paths_get_no_api_behaviour() {
    let kassa = allowing(SHOP).await;
    let (status, headers) = preflight(&kassa, "/session/cks_000000000000000000000", SHOP).await;
    assert_eq!(status, 405, "a page keeps its methods");
    assert_eq!(cors_headers(&headers), Vec::<&str>::new());
    let (status, headers) = preflight(&kassa, "/no/such/route", SHOP).await;
    assert_eq!(status, 404);
    assert_eq!(cors_headers(&headers), Vec::<&str>::new());
}
