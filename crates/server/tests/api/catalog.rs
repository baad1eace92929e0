//! The catalog over HTTP: what Dodo's SDKs rely on beyond field shapes.

use kassa_testkit::{TestDb, TestServer};
use serde_json::json;

// Each test below runs on SQLite and on PostgreSQL.
kassa_testkit::on_each_backend!(
    a_created_product_reads_back_with_dodo_timestamps_and_nulls,
    patch_answers_empty_200_and_changes_only_what_was_sent,
    archived_products_leave_the_default_list_and_come_back,
    pages_are_zero_based_disjoint_and_complete,
    a_deleted_discount_is_gone_and_its_code_is_free,
    archiving_a_brand_moves_its_products_to_the_primary_brand,
);

fn recurring() -> serde_json::Value {
    json!({
        "name": "Pro plan",
        "tax_category": "saas",
        "price": {
            "type": "recurring_price", "price": 1999, "currency": "EUR", "discount": 0,
            "purchasing_power_parity": false,
            "payment_frequency_count": 1, "payment_frequency_interval": "Month",
            "subscription_period_count": 1, "subscription_period_interval": "Year",
            "trial_period_days": 14
        },
        "metadata": {"tier": "pro", "seats": 5, "beta": true}
    })
}

async fn a_created_product_reads_back_with_dodo_timestamps_and_nulls(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let created = kassa.call("POST", "/products", Some(recurring())).await;
    assert_eq!(created.status, 200, "{:?}", created.body);
    let id = created.body["product_id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("pdt_") && id.len() == 25);
    let got = kassa.call("GET", &format!("/products/{id}"), None).await;
    assert_eq!(got.body, created.body);
    let p = &got.body;
    assert_eq!(p["is_recurring"], true);
    assert_eq!(p["price"]["price"], 1999);
    assert_eq!(p["price"]["payment_frequency_interval"], "Month");
    assert_eq!(
        p["metadata"],
        json!({"tier": "pro", "seats": 5, "beta": true})
    );
    assert!(p["description"].is_null() && p.get("description").is_some());
    // 2025-08-04T05:30:31.152232Z: six fractional digits, Z.
    let ts = p["created_at"].as_str().unwrap();
    assert_eq!(ts.len(), 27, "{ts}");
    assert!(ts.ends_with('Z'));
}

async fn patch_answers_empty_200_and_changes_only_what_was_sent(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let created = kassa.call("POST", "/products", Some(recurring())).await;
    let id = created.body["product_id"].as_str().unwrap();
    let patched = kassa
        .call(
            "PATCH",
            &format!("/products/{id}"),
            Some(json!({"name": "Pro plan v2", "description": "Now better"})),
        )
        .await;
    assert_eq!(patched.status, 200);
    assert!(patched.body.is_null());
    let got = kassa.call("GET", &format!("/products/{id}"), None).await;
    assert_eq!(got.body["name"], "Pro plan v2");
    assert_eq!(got.body["description"], "Now better");
    assert_eq!(got.body["price"], created.body["price"]);
}

async fn archived_products_leave_the_default_list_and_come_back(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let id = kassa
        .call("POST", "/products", Some(recurring()))
        .await
        .body["product_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let archived = kassa.call("DELETE", &format!("/products/{id}"), None).await;
    assert_eq!(archived.status, 200);
    let active = kassa.call("GET", "/products", None).await;
    assert_eq!(active.body["items"], json!([]));
    let only_archived = kassa.call("GET", "/products?archived=true", None).await;
    assert_eq!(only_archived.body["items"][0]["product_id"], id);
    kassa
        .call("POST", &format!("/products/{id}/unarchive"), None)
        .await;
    let active = kassa.call("GET", "/products", None).await;
    assert_eq!(active.body["items"][0]["product_id"], id);
}

async fn pages_are_zero_based_disjoint_and_complete(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    for i in 0..7 {
        let reply = kassa
            .call(
                "POST",
                "/customers",
                Some(json!({"email": format!("c{i}@example.com"), "name": format!("C {i}")})),
            )
            .await;
        assert_eq!(reply.status, 200);
    }
    let mut seen = Vec::new();
    for page in 0..4 {
        let reply = kassa
            .call(
                "GET",
                &format!("/customers?page_size=3&page_number={page}"),
                None,
            )
            .await;
        let items = reply.body["items"].as_array().unwrap();
        assert_eq!(items.len(), [3, 3, 1, 0][page]);
        seen.extend(
            items
                .iter()
                .map(|c| c["customer_id"].as_str().unwrap().to_owned()),
        );
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 7);
}

async fn a_deleted_discount_is_gone_and_its_code_is_free(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let body = json!({"type": "percentage", "amount": 1000, "code": "SPRING"});
    let first = kassa.call("POST", "/discounts", Some(body.clone())).await;
    let id = first.body["discount_id"].as_str().unwrap();
    let deleted = kassa
        .call("DELETE", &format!("/discounts/{id}"), None)
        .await;
    assert_eq!(deleted.status, 204);
    assert_eq!(
        kassa
            .call("GET", &format!("/discounts/{id}"), None)
            .await
            .status,
        404
    );
    let again = kassa.call("POST", "/discounts", Some(body)).await;
    assert_eq!(again.status, 200);
}

async fn archiving_a_brand_moves_its_products_to_the_primary_brand(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let brand = kassa
        .call("POST", "/brands", Some(json!({"name": "Side project"})))
        .await;
    let brand_id = brand.body["brand_id"].as_str().unwrap();
    let mut body = recurring();
    body["brand_id"] = json!(brand_id);
    let product = kassa.call("POST", "/products", Some(body)).await;
    assert_eq!(product.body["brand_id"], brand_id);
    let archived = kassa
        .call(
            "POST",
            &format!("/brands/{brand_id}/archive"),
            Some(json!({})),
        )
        .await;
    assert_eq!(archived.status, 200, "{:?}", archived.body);
    assert_eq!(archived.body["products_moved"], 1);
    let moved_to = archived.body["moved_to_brand_id"].as_str().unwrap();
    let id = product.body["product_id"].as_str().unwrap();
    let got = kassa.call("GET", &format!("/products/{id}"), None).await;
    assert_eq!(got.body["brand_id"], moved_to);
    let listed = kassa.call("GET", "/brands", None).await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
}
