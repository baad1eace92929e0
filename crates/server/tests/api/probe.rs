//! What the outside security probe of 2026-12 found
//! (`../shared/reference/security-probe-2026-12.md`), each finding as the
//! behaviour that now holds, over HTTP against a real server.

use std::time::{Duration, Instant};

use kassa_core::tenancy::Mode;
use kassa_testkit::{TestDb, TestServer};
use serde_json::json;

// Each test below runs on SQLite and on PostgreSQL.
kassa_testkit::on_each_backend!(
    a_list_filter_time_past_year_9999_in_utc_is_422_naming_the_filter,
    a_list_filter_time_before_year_1_in_utc_is_422_naming_the_filter,
    a_discount_date_outside_years_1_to_9999_is_422_and_creates_nothing,
    a_replay_since_past_year_9999_is_422_naming_since,
    a_webhook_endpoint_over_its_field_limits_is_422_and_not_created,
    a_brand_url_must_be_a_short_http_url,
    a_body_over_the_size_limit_is_a_json_error_on_every_route,
    a_revoked_key_is_refused_at_once_here_and_within_a_second_on_another_node,
    a_key_revokes_only_keys_of_its_own_business_and_mode,
    a_live_payment_without_a_live_processor_is_merchant_not_live_and_a_test_one_is_not,
    a_live_hosted_page_without_a_live_processor_says_so_and_charges_nothing,
    a_live_webhook_url_on_an_address_that_is_not_globally_routable_is_refused,
);

/// Inside 0000–9999 as written, outside once moved to UTC (F3).
const PAST_9999: &str = "9999-12-31T23:59:59-23:59";
const BEFORE_1: &str = "0000-01-01T00:00:00+23:59";

fn assert_names(reply: &kassa_testkit::Reply, status: u16, code: &str, field: &str) {
    assert_eq!(reply.status, status, "{:?}", reply.body);
    assert_eq!(reply.body["code"], code, "{:?}", reply.body);
    let message = reply.body["message"].as_str().unwrap_or_default();
    assert!(message.contains(field), "{message} should name {field}");
}

async fn a_list_filter_time_past_year_9999_in_utc_is_422_naming_the_filter(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    for list in ["/customers", "/payments"] {
        let path = format!("{list}?created_at_gte={}", PAST_9999.replace('+', "%2B"));
        let reply = kassa.call("GET", &path, None).await;
        assert_names(&reply, 422, "INVALID_QUERY_PARAMS", "created_at_gte");
    }
}

async fn a_list_filter_time_before_year_1_in_utc_is_422_naming_the_filter(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    for list in ["/customers", "/payments"] {
        let path = format!("{list}?created_at_lte={}", BEFORE_1.replace('+', "%2B"));
        let reply = kassa.call("GET", &path, None).await;
        assert_names(&reply, 422, "INVALID_QUERY_PARAMS", "created_at_lte");
    }
}

async fn a_discount_date_outside_years_1_to_9999_is_422_and_creates_nothing(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    for (field, at) in [("expires_at", BEFORE_1), ("starts_at", PAST_9999)] {
        let body = json!({"amount": 100, "type": "percentage", field: at});
        let reply = kassa.call("POST", "/discounts", Some(body)).await;
        assert_names(&reply, 422, "INVALID_REQUEST_BODY", field);
    }
    let list = kassa.call("GET", "/discounts", None).await;
    assert_eq!(list.body["items"], json!([]), "{:?}", list.body);
}

async fn a_replay_since_past_year_9999_is_422_naming_since(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let made = kassa
        .call(
            "POST",
            "/webhooks",
            Some(json!({"url": "https://hooks.example.com/x"})),
        )
        .await;
    assert_eq!(made.status, 200, "{:?}", made.body);
    let id = made.body["id"].as_str().unwrap();
    let reply = kassa
        .call(
            "POST",
            &format!("/kassa/webhooks/{id}/replay"),
            Some(json!({"since": PAST_9999})),
        )
        .await;
    assert_names(&reply, 422, "INVALID_REQUEST_BODY", "since");
}

async fn a_webhook_endpoint_over_its_field_limits_is_422_and_not_created(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let url = "https://hooks.example.com/x";
    let many_keys: serde_json::Map<String, serde_json::Value> =
        (0..51).map(|i| (format!("k{i}"), json!("v"))).collect();
    let many_headers: serde_json::Map<String, serde_json::Value> =
        (0..51).map(|i| (format!("x-h{i}"), json!("v"))).collect();
    let many_types = vec!["payment.succeeded"; 1000];
    let cases = [
        ("metadata", json!({"url": url, "metadata": many_keys})),
        (
            "description",
            json!({"url": url, "description": "d".repeat(1001)}),
        ),
        ("headers", json!({"url": url, "headers": many_headers})),
        (
            "headers.x-big",
            json!({"url": url, "headers": {"x-big": "v".repeat(4097)}}),
        ),
        (
            "filter_types",
            json!({"url": url, "filter_types": many_types}),
        ),
    ];
    for (field, body) in cases {
        let reply = kassa.call("POST", "/webhooks", Some(body)).await;
        assert!(
            reply.status == 422,
            "{field}: {} {:?}",
            reply.status,
            reply.body
        );
        let message = reply.body["message"].as_str().unwrap_or_default();
        assert!(message.contains(field), "{message} should name {field}");
    }
    let list = kassa.call("GET", "/webhooks", None).await;
    assert_eq!(list.body["data"], json!([]), "{:?}", list.body);
}

async fn a_brand_url_must_be_a_short_http_url(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let long = format!("https://shop.example.com/{}", "a".repeat(2048));
    for url in ["javascript:alert(1)", "shop.example.com", long.as_str()] {
        let reply = kassa
            .call("POST", "/brands", Some(json!({"name": "b", "url": url})))
            .await;
        assert_names(&reply, 422, "INVALID_REQUEST_BODY", "url");
    }
    let made = kassa
        .call(
            "POST",
            "/brands",
            Some(json!({"name": "b", "url": "https://shop.example.com/"})),
        )
        .await;
    assert_eq!(made.status, 200, "{:?}", made.body);
    let id = made.body["brand_id"].as_str().unwrap();
    let patched = kassa
        .call(
            "PATCH",
            &format!("/brands/{id}"),
            Some(json!({"url": "javascript:alert(1)"})),
        )
        .await;
    assert_names(&patched, 422, "INVALID_REQUEST_BODY", "url");
}

async fn a_body_over_the_size_limit_is_a_json_error_on_every_route(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let brands = kassa.call("GET", "/brands", None).await;
    let brand = brands.body["items"][0]["brand_id"].as_str().unwrap();
    let huge = format!("{{\"z\":\"{}\"}}", "A".repeat(2_700_000));
    for path in [format!("/brands/{brand}/archive"), "/products".to_owned()] {
        let reply = kassa.call_raw("POST", &path, &huge).await;
        assert_eq!(reply.status, 413, "{path}: {:?}", reply.body);
        assert_eq!(reply.body["code"], "INVALID_REQUEST_BODY", "{path}");
    }
}

async fn a_revoked_key_is_refused_at_once_here_and_within_a_second_on_another_node(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let other_node = kassa.second_node().await;
    let business = kassa.app.businesses().await.unwrap()[0].id.clone();
    let issued = kassa
        .app
        .issue_api_key(&business, Mode::Test)
        .await
        .unwrap();
    let key = issued.secret.as_str();
    // Both nodes have verified (and cached) the key.
    let here = kassa.call_as(key, "GET", "/customers", None).await;
    assert_eq!(here.status, 200, "{:?}", here.body);
    assert_eq!(
        other_node.call_as(key, "GET", "/customers").await.status,
        200
    );
    let listed = kassa.call("GET", "/kassa/api-keys", None).await;
    let item = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == issued.key.id.as_str())
        .cloned()
        .expect("the new key is listed");
    assert_eq!(item["display_prefix"], &key[..12]);
    assert!(item["last_used_at"].is_string(), "{item}");
    assert!(item["revoked_at"].is_null(), "{item}");

    let path = format!("/kassa/api-keys/{}/revoke", issued.key.id);
    let revoked = kassa.call("POST", &path, None).await;
    assert_eq!(revoked.status, 200, "{:?}", revoked.body);
    assert!(revoked.body["revoked_at"].is_string(), "{:?}", revoked.body);
    let refused = kassa.call_as(key, "GET", "/customers", None).await;
    assert_eq!(refused.status, 401, "refused at once on the revoking node");

    let started = Instant::now();
    loop {
        let status = other_node.call_as(key, "GET", "/customers").await.status;
        if status == 401 {
            break;
        }
        assert_eq!(status, 200);
        assert!(
            started.elapsed() < Duration::from_millis(1_500),
            "the other node still took a revoked key after {:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The key that revoked it still works on both.
    assert_eq!(kassa.call("GET", "/customers", None).await.status, 200);
    assert_eq!(
        other_node
            .call_as(&kassa.key, "GET", "/customers")
            .await
            .status,
        200
    );
}

async fn a_key_revokes_only_keys_of_its_own_business_and_mode(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let business = kassa.app.businesses().await.unwrap()[0].id.clone();
    let test_key = kassa
        .app
        .issue_api_key(&business, Mode::Test)
        .await
        .unwrap();
    let live = kassa.live_key().await;
    let other = kassa.other_business_key().await;
    let path = format!("/kassa/api-keys/{}/revoke", test_key.key.id);
    for (who, caller) in [
        ("a live key", live.as_str()),
        ("another business", other.as_str()),
    ] {
        let reply = kassa.call_as(caller, "POST", &path, None).await;
        assert_eq!(reply.status, 404, "{who}: {:?}", reply.body);
        let listed = kassa.call_as(caller, "GET", "/kassa/api-keys", None).await;
        let ids: Vec<&str> = listed.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["id"].as_str().unwrap())
            .collect();
        assert!(
            !ids.contains(&test_key.key.id.as_str()),
            "{who} lists {ids:?}"
        );
    }
    let still = kassa
        .call_as(&test_key.secret, "GET", "/customers", None)
        .await;
    assert_eq!(still.status, 200, "the key was not revoked");
}

/// A one-time product in the mode of `key`.
async fn product_as(kassa: &TestServer, key: &str) -> String {
    let body = json!({"name": "Thing", "tax_category": "digital_products",
        "price": {"type": "one_time_price", "price": 1_000, "currency": "USD",
                  "discount": 0, "purchasing_power_parity": false}});
    let reply = kassa.call_as(key, "POST", "/products", Some(body)).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body["product_id"].as_str().unwrap().to_owned()
}

fn payment_request(product: &str) -> serde_json::Value {
    json!({
        "billing": {"country": "US", "state": "NY", "zipcode": "10001"},
        "customer": {"email": "live@example.com", "name": "Liv"},
        "product_cart": [{"product_id": product, "quantity": 1}],
        "payment_link": true,
    })
}

async fn a_live_payment_without_a_live_processor_is_merchant_not_live_and_a_test_one_is_not(
    db: TestDb,
) {
    let kassa = TestServer::start_in(db).await;
    let live = kassa.live_key().await;
    let live_product = product_as(&kassa, &live).await;
    let refused = kassa
        .call_as(
            &live,
            "POST",
            "/payments",
            Some(payment_request(&live_product)),
        )
        .await;
    assert_eq!(refused.status, 403, "{:?}", refused.body);
    assert_eq!(
        refused.body["code"], "MERCHANT_NOT_LIVE",
        "{:?}",
        refused.body
    );
    let none = kassa.call_as(&live, "GET", "/payments", None).await;
    assert_eq!(none.body["items"], json!([]), "nothing was written");
    let customers = kassa.call_as(&live, "GET", "/customers", None).await;
    assert_eq!(customers.body["items"], json!([]), "no customer either");

    let test_product = product_as(&kassa, &kassa.key).await;
    let taken = kassa
        .call("POST", "/payments", Some(payment_request(&test_product)))
        .await;
    assert_eq!(taken.status, 200, "{:?}", taken.body);
}

async fn a_live_hosted_page_without_a_live_processor_says_so_and_charges_nothing(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let live = kassa.live_key().await;
    let product = product_as(&kassa, &live).await;
    let session = kassa
        .call_as(
            &live,
            "POST",
            "/checkouts",
            Some(json!({"product_cart": [{"product_id": product, "quantity": 1}]})),
        )
        .await;
    assert_eq!(session.status, 200, "{:?}", session.body);
    let url = session.body["checkout_url"].as_str().unwrap().to_owned();
    let page = kassa.http.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 403);
    let text = page.text().await.unwrap();
    assert!(text.contains("cannot take live payments"), "{text}");

    let (status, to, body) = kassa
        .submit_form(
            &format!("{url}/pay"),
            &[
                ("email", "live@example.com"),
                ("name", "Liv"),
                ("country", "US"),
                ("state", "NY"),
                ("zipcode", "10001"),
                ("street", "1 Main St"),
                ("city", "New York"),
                ("payment_method", "card"),
                ("card_number", "4242 4242 4242 4242"),
                ("card_expiry", "12/40"),
                ("card_cvc", "123"),
            ],
        )
        .await;
    assert_eq!(status, 403, "{to:?} {body}");
    assert!(body.contains("cannot take live payments"), "{body}");
    let none = kassa.call_as(&live, "GET", "/payments", None).await;
    assert_eq!(none.body["items"], json!([]), "a test card never pays live");
}

async fn a_live_webhook_url_on_an_address_that_is_not_globally_routable_is_refused(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let live = kassa.live_key().await;
    // The probe's list (F8): forms that carry, translate or reserve an
    // address, none of them globally routable.
    for host in [
        "[::127.0.0.1]",
        "[64:ff9b::7f00:1]",
        "[64:ff9b::a9fe:a9fe]",
        "[2002:7f00:1::]",
        "[fec0::1]",
        "198.18.0.1",
        "192.0.0.1",
        "240.0.0.1",
        "224.0.0.1",
        "[ff02::1]",
    ] {
        let url = format!("http://{host}/latest/meta-data/");
        let reply = kassa
            .call_as(&live, "POST", "/webhooks", Some(json!({"url": url})))
            .await;
        assert_eq!(reply.status, 422, "{url}: {:?}", reply.body);
        let message = reply.body["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("not a globally routable address"),
            "{message}"
        );
    }
    let listed = kassa.call_as(&live, "GET", "/webhooks", None).await;
    assert_eq!(listed.body["data"], json!([]), "{:?}", listed.body);
    let public = kassa
        .call_as(
            &live,
            "POST",
            "/webhooks",
            Some(json!({"url": "https://93.184.216.34/hook"})),
        )
        .await;
    assert_eq!(public.status, 200, "{:?}", public.body);
}
