//! Bad input gets a clear 4xx naming the problem, and changes nothing.

use kassa_testkit::{TestDb, TestServer};
use serde_json::{Value, json};

// Each test below runs on SQLite and on PostgreSQL.
kassa_testkit::on_each_backend!(
    malformed_json_is_400_and_writes_nothing,
    a_wrong_type_is_422_naming_the_field,
    a_negative_price_is_422_naming_price_price,
    an_unknown_currency_is_unsupported_currency,
    fifty_one_metadata_keys_are_maximum_keys_reached,
    a_discount_over_10000_bps_is_invalid_percentage_and_not_created,
    a_duplicate_discount_code_is_409_that_must_not_be_retried,
    unknown_and_malformed_ids_are_404,
    a_page_size_over_100_is_invalid_query_params,
    addons_on_a_one_time_product_are_refused,
);

fn product(price: Value) -> Value {
    json!({
        "name": "Ebook",
        "tax_category": "e_book",
        "price": price,
    })
}

fn one_time(amount: i64, currency: &str) -> Value {
    json!({"type": "one_time_price", "price": amount, "currency": currency,
           "discount": 0, "purchasing_power_parity": false})
}

async fn product_count(kassa: &TestServer) -> usize {
    let list = kassa.call("GET", "/products?page_size=100", None).await;
    list.body["items"].as_array().unwrap().len()
}

async fn malformed_json_is_400_and_writes_nothing(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let reply = kassa.call_raw("POST", "/products", "{\"name\": ").await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.body["code"], "INVALID_REQUEST_BODY");
    assert_eq!(product_count(&kassa).await, 0);
}

async fn a_wrong_type_is_422_naming_the_field(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let mut body = product(one_time(100, "USD"));
    body["name"] = json!(42);
    let reply = kassa.call("POST", "/products", Some(body)).await;
    assert_eq!(reply.status, 422);
    assert!(
        reply.body["message"].as_str().unwrap().starts_with("name:"),
        "{:?}",
        reply.body
    );
    assert_eq!(product_count(&kassa).await, 0);
}

async fn a_negative_price_is_422_naming_price_price(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let reply = kassa
        .call("POST", "/products", Some(product(one_time(-1, "USD"))))
        .await;
    assert_eq!(reply.status, 422);
    assert_eq!(reply.body["code"], "INVALID_REQUEST_BODY");
    assert!(
        reply.body["message"]
            .as_str()
            .unwrap()
            .contains("price.price")
    );
    assert_eq!(product_count(&kassa).await, 0);
}

async fn an_unknown_currency_is_unsupported_currency(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let reply = kassa
        .call("POST", "/products", Some(product(one_time(100, "XYZ"))))
        .await;
    assert_eq!(reply.status, 422);
    assert_eq!(reply.body["code"], "UNSUPPORTED_CURRENCY");
    assert!(
        reply.body["message"]
            .as_str()
            .unwrap()
            .contains("price.currency")
    );
    assert_eq!(product_count(&kassa).await, 0);
}

async fn fifty_one_metadata_keys_are_maximum_keys_reached(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let metadata: serde_json::Map<String, Value> =
        (0..51).map(|i| (format!("k{i}"), json!(i))).collect();
    let reply = kassa
        .call(
            "POST",
            "/customers",
            Some(json!({"email": "a@b.co", "name": "A", "metadata": metadata})),
        )
        .await;
    assert_eq!(reply.status, 422);
    assert_eq!(reply.body["code"], "MAXIMUM_KEYS_REACHED");
    let list = kassa.call("GET", "/customers", None).await;
    assert_eq!(list.body["items"], json!([]));
}

async fn a_discount_over_10000_bps_is_invalid_percentage_and_not_created(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let reply = kassa
        .call(
            "POST",
            "/discounts",
            Some(json!({"type": "percentage", "amount": 10001, "code": "TOOMUCH"})),
        )
        .await;
    assert_eq!(reply.status, 422);
    assert_eq!(reply.body["code"], "INVALID_PERCENTAGE");
    assert!(reply.body["message"].as_str().unwrap().contains("amount"));
    let found = kassa.call("GET", "/discounts/code/TOOMUCH", None).await;
    assert_eq!(found.status, 404);
}

async fn a_duplicate_discount_code_is_409_that_must_not_be_retried(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let body = json!({"type": "percentage", "amount": 500, "code": "twice"});
    let first = kassa.call("POST", "/discounts", Some(body.clone())).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.body["code"], "TWICE");
    let second = kassa.call("POST", "/discounts", Some(body)).await;
    assert_eq!(second.status, 409);
    assert_eq!(second.body["code"], "DISCOUNT_CODE_ALREADY_EXISTS");
    assert_eq!(second.headers["x-should-retry"], "false");
}

async fn unknown_and_malformed_ids_are_404(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    for path in [
        "/products/pdt_000000000000000000000",
        "/products/not-an-id",
        "/customers/cus_000000000000000000000",
        "/addons/adn_000000000000000000000",
        "/discounts/dsc_000000000000000000000",
        "/brands/brnd_000000000000000000000",
    ] {
        let reply = kassa.call("GET", path, None).await;
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(reply.body["code"], "NOT_FOUND", "{path}");
    }
}

async fn a_page_size_over_100_is_invalid_query_params(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let reply = kassa.call("GET", "/products?page_size=101", None).await;
    assert_eq!(reply.status, 422);
    assert_eq!(reply.body["code"], "INVALID_QUERY_PARAMS");
    let reply = kassa.call("GET", "/products?page_number=abc", None).await;
    assert_eq!(reply.status, 422);
}

async fn addons_on_a_one_time_product_are_refused(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let addon = kassa
        .call(
            "POST",
            "/addons",
            Some(json!({"name": "Seat", "price": 500, "currency": "USD", "tax_category": "saas"})),
        )
        .await;
    assert_eq!(addon.status, 200);
    let mut body = product(one_time(100, "USD"));
    body["addons"] = json!([addon.body["id"]]);
    let reply = kassa.call("POST", "/products", Some(body)).await;
    assert_eq!(reply.status, 422);
    assert!(reply.body["message"].as_str().unwrap().contains("addons"));
    assert_eq!(product_count(&kassa).await, 0);
}
