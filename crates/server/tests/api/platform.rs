//! Server basics: health, readiness, metrics, request ids, OpenAPI, 404s.

use kassa_testkit::TestServer;

#[tokio::test]
async fn health_and_readiness_answer() {
    let kassa = TestServer::start().await;
    assert_eq!(
        kassa.call("GET", "/healthz", None).await.body["status"],
        "ok"
    );
    assert_eq!(
        kassa.call("GET", "/readyz", None).await.body["status"],
        "ready"
    );
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_echoes_the_callers() {
    let kassa = TestServer::start().await;
    let reply = kassa.call("GET", "/products", None).await;
    let id = reply.headers["x-request-id"].to_str().unwrap();
    assert!(id.starts_with("req_"), "{id}");
    let resp = kassa
        .http
        .get(format!("{}/healthz", kassa.url))
        .header("x-request-id", "mine-123")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["x-request-id"], "mine-123");
}

#[tokio::test]
async fn metrics_count_requests_by_route_template() {
    let kassa = TestServer::start().await;
    kassa
        .call("GET", "/products/pdt_000000000000000000000", None)
        .await;
    let text = kassa
        .http
        .get(format!("{}/metrics", kassa.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("kassa_http_requests_total")
                && l.contains("route=\"/products/{id}\"")
                && l.contains("status=\"404\"")),
        "{text}"
    );
}

#[tokio::test]
async fn openapi_lists_every_served_operation_with_unique_ids() {
    let kassa = TestServer::start().await;
    let doc = kassa.call("GET", "/openapi.json", None).await.body;
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/products/{id}"]["patch"].is_object());
    let mut ids: Vec<String> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|op| op["operationId"].as_str().map(str::to_owned))
        .collect();
    let total = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), total);
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_in_dodo_shape() {
    let kassa = TestServer::start().await;
    let reply = kassa.call("GET", "/no-such-thing", None).await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.body["code"], "NOT_FOUND");
    let reply = kassa.call("PUT", "/products", None).await;
    assert_eq!(reply.status, 405);
    assert_eq!(reply.body["code"], "METHOD_NOT_ALLOWED");
}

#[tokio::test]
async fn shutdown_is_graceful() {
    let kassa = TestServer::start().await;
    let url = kassa.url.clone();
    kassa.stop().await;
    assert!(reqwest::get(format!("{url}/healthz")).await.is_err());
}
