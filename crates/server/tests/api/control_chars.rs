//! Control characters are refused at the edge on both stores alike (the
//! probe's F4: PostgreSQL could not store a NUL and answered 500, SQLite
//! stored it): a 422 naming the field, and nothing written.

use kassa_testkit::{TestDb, TestServer};
use serde_json::json;

kassa_testkit::on_each_backend!(
    a_nul_in_a_body_string_is_a_422_naming_the_field_and_nothing_is_written,
    a_nul_in_a_query_value_is_a_422_naming_the_parameter,
    a_nul_typed_on_the_hosted_page_is_shown_on_the_form_not_a_storage_failure,
);

async fn a_nul_in_a_body_string_is_a_422_naming_the_field_and_nothing_is_written(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let r = kassa
        .call(
            "POST",
            "/customers",
            Some(json!({"email": "n@example.com", "name": "a\u{0}b"})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.body["code"], "INVALID_REQUEST_BODY");
    assert!(
        r.body["message"].as_str().unwrap().starts_with("name: "),
        "{}",
        r.body
    );
    let r = kassa
        .call(
            "POST",
            "/brands",
            Some(json!({"name": "b", "statement_descriptor": "SHOP\u{1}"})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body["message"]
            .as_str()
            .unwrap()
            .starts_with("statement_descriptor: "),
        "{}",
        r.body
    );
    let listed = kassa.call("GET", "/customers", None).await;
    assert_eq!(listed.status, 200);
    assert!(
        listed.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["email"] != "n@example.com"),
        "the refused customer was written: {}",
        listed.body
    );
    // Tabs and line breaks are text like any other.
    let r = kassa
        .call(
            "POST",
            "/customers",
            Some(json!({"email": "t@example.com", "name": "a\tb"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    kassa.stop().await;
}

async fn a_nul_in_a_query_value_is_a_422_naming_the_parameter(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let r = kassa.call("GET", "/customers?email=%00", None).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.body["code"], "INVALID_QUERY_PARAMS");
    assert!(
        r.body["message"]
            .as_str()
            .unwrap()
            .contains("email: must not contain control characters"),
        "{}",
        r.body
    );
    kassa.stop().await;
}

async fn a_nul_typed_on_the_hosted_page_is_shown_on_the_form_not_a_storage_failure(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let product = kassa
        .call(
            "POST",
            "/products",
            Some(json!({"name": "P", "tax_category": "saas", "price": {
                "type": "one_time_price", "price": 500, "currency": "EUR",
                "discount": 0, "purchasing_power_parity": false}})),
        )
        .await;
    let id = product.body["product_id"].as_str().unwrap();
    let page = kassa
        .http
        .get(format!(
            "{}/buy/{id}?fullName=a%00b&email=a%40b.co",
            kassa.url
        ))
        .send()
        .await
        .unwrap();
    let status = page.status().as_u16();
    let html = page.text().await.unwrap();
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("control characters"), "{html}");

    let session = kassa
        .call(
            "POST",
            "/checkouts",
            Some(json!({"product_cart": [{"product_id": id, "quantity": 1}]})),
        )
        .await;
    let url = session.body["checkout_url"].as_str().unwrap();
    let (status, _, html) = kassa
        .submit_form(
            &format!("{url}/pay"),
            &[
                ("email", "a@b.co"),
                ("name", "a\u{0}b"),
                ("country", "DE"),
                ("street", "Main St 1"),
                ("city", "Berlin"),
                ("zipcode", "10115"),
                ("payment_method", "card"),
                ("card_number", "4242424242424242"),
                ("card_expiry", "11/33"),
                ("card_cvc", "321"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("Remove the control characters"), "{html}");
    assert!(!html.contains("storage failure"), "{html}");
    let payments = kassa.call("GET", "/payments", None).await;
    assert_eq!(payments.body["items"].as_array().unwrap().len(), 0);
    kassa.stop().await;
}
