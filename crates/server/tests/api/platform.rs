//! Server basics: health, readiness, metrics, request ids, OpenAPI (ids
//! and parameters), 404s, and a graceful stop that finishes the request in
//! flight.

use kassa_testkit::{TestDb, TestServer};

// Each test below runs on SQLite and on PostgreSQL.
kassa_testkit::on_each_backend!(
    health_and_readiness_answer,
    every_response_carries_a_request_id_and_echoes_the_callers,
    metrics_count_requests_by_route_template,
    openapi_lists_every_served_operation_with_unique_ids,
    unknown_routes_and_methods_answer_in_dodo_shape,
    shutdown_is_graceful,
);

async fn health_and_readiness_answer(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    assert_eq!(
        kassa.call("GET", "/healthz", None).await.body["status"],
        "ok"
    );
    assert_eq!(
        kassa.call("GET", "/readyz", None).await.body["status"],
        "ready"
    );
}

async fn every_response_carries_a_request_id_and_echoes_the_callers(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
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

async fn metrics_count_requests_by_route_template(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
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

async fn openapi_lists_every_served_operation_with_unique_ids(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
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

/// Each operation names a parameter once per place (OpenAPI requires
/// unique `(name, in)` pairs), and its path parameters are exactly the
/// path's `{…}` segments: a generator given a parameter twice, or none
/// for a segment, builds requests the server cannot route.
#[tokio::test]
async fn openapi_declares_each_parameter_once_and_every_path_segment() {
    let kassa = TestServer::start().await;
    let doc = kassa.call("GET", "/openapi.json", None).await.body;
    let mut problems = vec![];
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let mut segments: Vec<&str> = path
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        segments.sort_unstable();
        for (method, op) in item.as_object().unwrap() {
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            let mut pairs: Vec<(&str, &str)> = params
                .iter()
                .map(|p| (p["name"].as_str().unwrap(), p["in"].as_str().unwrap()))
                .collect();
            let mut in_path: Vec<&str> = pairs
                .iter()
                .filter(|(_, place)| *place == "path")
                .map(|(name, _)| *name)
                .collect();
            in_path.sort_unstable();
            if in_path != segments {
                problems.push(format!("{method} {path}: path parameters {in_path:?}"));
            }
            let total = pairs.len();
            pairs.sort_unstable();
            pairs.dedup();
            if pairs.len() != total {
                problems.push(format!("{method} {path}: a (name, in) pair repeats"));
            }
            checked += usize::from(!segments.is_empty());
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(
        checked >= 30,
        "only {checked} operations with path parameters"
    );
}

async fn unknown_routes_and_methods_answer_in_dodo_shape(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let reply = kassa.call("GET", "/no-such-thing", None).await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.body["code"], "NOT_FOUND");
    let reply = kassa.call("PUT", "/products", None).await;
    assert_eq!(reply.status, 405);
    assert_eq!(reply.body["code"], "METHOD_NOT_ALLOWED");
}

/// Reads one HTTP/1.1 response head from `stream`: (status, head text).
async fn read_head(stream: &mut tokio::net::TcpStream, buf: &mut Vec<u8>) -> (u16, String) {
    use tokio::io::AsyncReadExt;
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8(buf.drain(..end + 4).collect()).unwrap();
            let status = head.split(' ').nth(1).unwrap().parse().unwrap();
            return (status, head);
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.expect("read");
        assert!(n > 0, "connection closed before a response head");
        buf.extend_from_slice(&chunk[..n]);
    }
}

async fn shutdown_is_graceful(db: TestDb) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let kassa = TestServer::start_in(db).await;
    let addr = kassa.url.trim_start_matches("http://").to_owned();
    let body = serde_json::to_vec(&serde_json::json!({
        "name": "In flight", "tax_category": "saas",
        "price": {"type": "one_time_price", "price": 700, "currency": "USD",
                  "discount": 0, "purchasing_power_parity": false}
    }))
    .unwrap();

    // A request in flight: its head is sent and the server has started on
    // it (it reads the body, so it answers the `Expect` with a 100), but
    // the body has not been sent yet.
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST /products HTTP/1.1\r\nhost: {addr}\r\nauthorization: Bearer {}\r\n\
         content-type: application/json\r\ncontent-length: {}\r\nexpect: 100-continue\r\n\r\n",
        kassa.key,
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut buf = vec![];
    let (status, _) = read_head(&mut stream, &mut buf).await;
    assert_eq!(status, 100, "the server is reading the request");

    let mut stopping = tokio::spawn(kassa.stop());
    // Stopping: the listener is closed, no new connection is accepted…
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while tokio::net::TcpStream::connect(&addr).await.is_ok() {
        assert!(tokio::time::Instant::now() < deadline, "still accepting");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    // …and stop() waits for the request in flight. (A stop() that did not
    // wait would return at once; the margin can only let such a bug pass
    // under load, never fail a stop() that waits.)
    assert!(
        tokio::time::timeout(std::time::Duration::from_millis(200), &mut stopping)
            .await
            .is_err(),
        "stop() returned with a request in flight"
    );

    // The request in flight is then finished and answered in full.
    stream.write_all(&body).await.unwrap();
    let (status, head) = read_head(&mut stream, &mut buf).await;
    assert_eq!(status, 200, "{head}");
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length: ")
                .map(str::to_owned)
        })
        .expect("a content-length")
        .parse()
        .unwrap();
    while buf.len() < length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "the body was cut short");
        buf.extend_from_slice(&chunk[..n]);
    }
    let product: serde_json::Value = serde_json::from_slice(&buf[..length]).unwrap();
    assert!(
        product["product_id"].as_str().unwrap().starts_with("pdt_"),
        "{product}"
    );
    assert_eq!(product["name"], "In flight");

    // Then the connection closes and stop() returns.
    let mut rest = vec![];
    stream.read_to_end(&mut rest).await.unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(10), stopping)
        .await
        .expect("stop() returns once the request is done")
        .expect("stop() did not panic");
}
