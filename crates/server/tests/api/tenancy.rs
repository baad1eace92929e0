//! Tenancy: a key of one business never reaches another's objects, and
//! test and live data never mix.

use kassa_testkit::{TestDb, TestServer};
use serde_json::json;

// Each test below runs on SQLite and on PostgreSQL.
kassa_testkit::on_each_backend!(
    another_business_gets_404_for_every_object_and_sees_empty_lists,
    live_keys_do_not_see_test_objects,
);

/// Creates one object of each kind; returns their paths.
async fn objects(kassa: &TestServer) -> Vec<String> {
    let product = kassa
        .call(
            "POST",
            "/products",
            Some(json!({"name": "P", "tax_category": "saas", "price": {
                "type": "one_time_price", "price": 100, "currency": "USD",
                "discount": 0, "purchasing_power_parity": false}})),
        )
        .await;
    let customer = kassa
        .call(
            "POST",
            "/customers",
            Some(json!({"email": "a@b.co", "name": "A"})),
        )
        .await;
    let addon = kassa
        .call(
            "POST",
            "/addons",
            Some(json!({"name": "X", "price": 1, "currency": "USD", "tax_category": "saas"})),
        )
        .await;
    let discount = kassa
        .call(
            "POST",
            "/discounts",
            Some(json!({"type": "percentage", "amount": 5})),
        )
        .await;
    let brand = kassa
        .call("POST", "/brands", Some(json!({"name": "B"})))
        .await;
    vec![
        format!("/products/{}", product.body["product_id"].as_str().unwrap()),
        format!(
            "/customers/{}",
            customer.body["customer_id"].as_str().unwrap()
        ),
        format!("/addons/{}", addon.body["id"].as_str().unwrap()),
        format!(
            "/discounts/{}",
            discount.body["discount_id"].as_str().unwrap()
        ),
        format!("/brands/{}", brand.body["brand_id"].as_str().unwrap()),
    ]
}

async fn assert_invisible(kassa: &TestServer, key: &str, paths: &[String]) {
    for path in paths {
        assert_eq!(kassa.call("GET", path, None).await.status, 200, "{path}");
        let get = kassa.call_as(key, "GET", path, None).await;
        assert_eq!(get.status, 404, "GET {path}");
        let patch = kassa
            .call_as(key, "PATCH", path, Some(json!({"name": "stolen"})))
            .await;
        assert_eq!(patch.status, 404, "PATCH {path}");
    }
    for list in ["/products", "/customers", "/addons", "/discounts"] {
        let reply = kassa.call_as(key, "GET", list, None).await;
        assert_eq!(reply.body["items"], json!([]), "{list}");
    }
}

async fn another_business_gets_404_for_every_object_and_sees_empty_lists(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let paths = objects(&kassa).await;
    let other = kassa.other_business_key().await;
    assert_invisible(&kassa, &other, &paths).await;
    // And nothing was changed by the attempts.
    let product = kassa.call("GET", &paths[0], None).await;
    assert_eq!(product.body["name"], "P");
}

async fn live_keys_do_not_see_test_objects(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let paths = objects(&kassa).await;
    let live = kassa.live_key().await;
    assert_invisible(&kassa, &live, &paths).await;
}
