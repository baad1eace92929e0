//! Request fields Kassa does not know: accepted but named in
//! `Kassa-Ignored-Fields` by default (a newer SDK may send one), refused
//! with a 422 naming each under `--strict-fields`, before anything is
//! written.

use kassa_server::EdgeConfig;
use kassa_testkit::{Reply, TestServer};
use serde_json::{Value, json};

fn product() -> Value {
    json!({
        "name": "Ebook",
        "tax_category": "e_book",
        "price": {"type": "one_time_price", "price": 1500, "currency": "USD",
                  "discount": 0, "purchasing_power_parity": false},
    })
}

async fn strict_server() -> TestServer {
    TestServer::start_with_edge(EdgeConfig {
        strict_fields: true,
        ..EdgeConfig::default()
    })
    .await
}

fn ignored(reply: &Reply) -> Option<&str> {
    reply
        .headers
        .get("kassa-ignored-fields")
        .map(|v| v.to_str().unwrap())
}

async fn product_count(kassa: &TestServer) -> usize {
    let list = kassa.call("GET", "/products?page_size=100", None).await;
    list.body["items"].as_array().unwrap().len()
}

#[tokio::test]
async fn unknown_body_fields_are_named_in_a_header_and_accepted() {
    let kassa = TestServer::start().await;
    // Raw text: `json!` would sort the keys, and they are named in the
    // order the body has them.
    let body = r#"{"bogus_field": 1, "name": "Ebook", "tax_category": "e_book",
        "price": {"type": "one_time_price", "price": 1500, "currency": "USD"},
        "another": {"deep": true}}"#;
    let reply = kassa.call_raw("POST", "/products", body).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(ignored(&reply), Some("bogus_field, another"));
    assert_eq!(product_count(&kassa).await, 1);
}

#[tokio::test]
async fn a_request_with_only_known_fields_gets_no_header() {
    let kassa = TestServer::start().await;
    let reply = kassa.call("POST", "/products", Some(product())).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(ignored(&reply), None);
}

#[tokio::test]
async fn nested_unknown_fields_are_named_by_path() {
    let kassa = TestServer::start().await;
    let created = kassa.call("POST", "/products", Some(product())).await;
    let id = created.body["product_id"].as_str().unwrap();
    let body = format!(
        r#"{{"product_cart": [{{"product_id": "{id}", "quantity": 1, "extra": "x"}}],
             "customer": {{"email": "ada@example.com", "foo": 1}}}}"#
    );
    let reply = kassa.call_raw("POST", "/checkouts", &body).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(ignored(&reply), Some("product_cart[0].extra, customer.foo"));
}

#[tokio::test]
async fn metadata_keys_are_never_reported_as_unknown() {
    let kassa = TestServer::start().await;
    let mut body = product();
    body["metadata"] = json!({"anything": "goes", "order_ref": 42});
    let reply = kassa.call("POST", "/products", Some(body)).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(ignored(&reply), None);
    assert_eq!(reply.body["metadata"]["order_ref"], 42);
}

#[tokio::test]
async fn unknown_query_parameters_are_named_too() {
    let kassa = TestServer::start().await;
    let reply = kassa
        .call("GET", "/products?page_size=10&bogus=1", None)
        .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(ignored(&reply), Some("bogus"));
}

#[tokio::test]
async fn strict_fields_refuses_unknown_fields_with_a_422_naming_each_and_writes_nothing() {
    let kassa = strict_server().await;
    let mut body = product();
    body["bogus_field"] = json!(1);
    body["digital_product_delivery"] = json!({"instructions": "mail", "courier": "x"});
    let reply = kassa.call("POST", "/products", Some(body)).await;
    assert_eq!(reply.status, 422, "{:?}", reply.body);
    assert_eq!(reply.body["code"], "INVALID_REQUEST_BODY");
    let message = reply.body["message"].as_str().unwrap();
    assert!(
        message.contains("bogus_field") && message.contains("digital_product_delivery.courier"),
        "{message}"
    );
    assert_eq!(reply.headers["x-should-retry"], "false");
    assert_eq!(ignored(&reply), None, "refused, not ignored");
    assert_eq!(product_count(&kassa).await, 0);
}

#[tokio::test]
async fn strict_fields_still_takes_a_body_it_knows() {
    let kassa = strict_server().await;
    let mut body = product();
    body["metadata"] = json!({"anything": "goes"});
    let reply = kassa.call("POST", "/products", Some(body)).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(product_count(&kassa).await, 1);
}

#[tokio::test]
async fn strict_fields_refuses_unknown_query_parameters() {
    let kassa = strict_server().await;
    let reply = kassa.call("GET", "/products?bogus=1", None).await;
    assert_eq!(reply.status, 422, "{:?}", reply.body);
    assert_eq!(reply.body["code"], "INVALID_QUERY_PARAMS");
    assert!(
        reply.body["message"].as_str().unwrap().contains("bogus"),
        "{:?}",
        reply.body
    );
}
