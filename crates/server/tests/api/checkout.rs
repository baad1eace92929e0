//! Checkout sessions over HTTP: create, preview, retrieve, bad input, and
//! `Idempotency-Key` replay.

use kassa_testkit::{TestDb, TestServer};
use serde_json::{Value, json};

// Each test below runs on SQLite and on PostgreSQL.
kassa_testkit::on_each_backend!(
    a_session_is_created_with_a_checkout_url_and_read_back,
    preview_stacks_two_codes_in_order_with_german_vat,
    bad_checkout_requests_get_dodo_codes_naming_the_problem,
    an_exhausted_code_is_refused,
    the_same_idempotency_key_and_body_replays_the_first_session,
    concurrent_requests_with_one_key_create_one_session,
    a_confirmed_session_opens_its_pending_payment_at_once,
    addons_are_priced_with_their_subscription_and_nested_in_the_preview,
);

async fn product(kassa: &TestServer, price: i64, currency: &str) -> String {
    let body = json!({
        "name": format!("Item {price}"),
        "tax_category": "digital_products",
        "price": {"type": "one_time_price", "price": price, "currency": currency,
                  "discount": 0, "purchasing_power_parity": false},
    });
    let reply = kassa.call("POST", "/products", Some(body)).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body["product_id"].as_str().unwrap().to_owned()
}

async fn code(kassa: &TestServer, body: Value) {
    let reply = kassa.call("POST", "/discounts", Some(body)).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
}

fn cart(ids: &[&str]) -> Value {
    json!(
        ids.iter()
            .map(|id| json!({"product_id": id, "quantity": 1}))
            .collect::<Vec<_>>()
    )
}

async fn a_session_is_created_with_a_checkout_url_and_read_back(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let p = product(&kassa, 1500, "USD").await;
    let body = json!({"product_cart": cart(&[&p]),
                      "customer": {"email": "ada@example.com", "name": "Ada"}});
    let created = kassa.call("POST", "/checkouts", Some(body)).await;
    assert_eq!(created.status, 200, "{:?}", created.body);
    let id = created.body["session_id"].as_str().unwrap();
    assert!(id.starts_with("cks_") && id.len() == 25);
    assert_eq!(
        created.body["checkout_url"],
        format!("{}/session/{id}", kassa.url)
    );
    let got = kassa.call("GET", &format!("/checkouts/{id}"), None).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.body["customer_email"], "ada@example.com");
    assert_eq!(got.body["payment_id"], Value::Null);
    let other = kassa.other_business_key().await;
    let theirs = kassa
        .call_as(&other, "GET", &format!("/checkouts/{id}"), None)
        .await;
    assert_eq!(theirs.status, 404);
}

async fn preview_stacks_two_codes_in_order_with_german_vat(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let a = product(&kassa, 10_000, "EUR").await;
    let b = product(&kassa, 5_000, "EUR").await;
    code(
        &kassa,
        json!({"type": "percentage", "amount": 1000, "code": "TENOFF"}),
    )
    .await;
    code(&kassa, json!({"type": "flat", "amount": 500, "code": "FIVEOFF", "currency_options":
        [{"currency": "EUR", "is_default": true, "max_amount_possible": 500, "minimum_subtotal": 0}]})).await;
    let body = json!({"product_cart": cart(&[&a, &b]), "discount_codes": ["tenoff", "FIVEOFF"],
                      "billing_address": {"country": "DE"}});
    let q = kassa.call("POST", "/checkouts/preview", Some(body)).await;
    assert_eq!(q.status, 200, "{:?}", q.body);
    // 15000 - 10% = 13500, - 5.00 = 13000 net; 19% VAT = 2470.
    assert_eq!(q.body["current_breakup"]["subtotal"], 15_000);
    assert_eq!(q.body["current_breakup"]["discount"], 2_000);
    assert_eq!(q.body["current_breakup"]["tax"], 2_470);
    assert_eq!(q.body["total_price"], 15_470);
    assert_eq!(q.body["billing_country"], "DE");
    let lines = q.body["product_cart"].as_array().unwrap();
    let line_totals: i64 = lines
        .iter()
        .map(|l| l["discounted_price"].as_i64().unwrap() + l["tax"].as_i64().unwrap())
        .sum();
    assert_eq!(line_totals, 15_470, "lines add up to the cart");
    assert_eq!(lines[0]["tax_rate"], 1900);
}

async fn bad_checkout_requests_get_dodo_codes_naming_the_problem(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let p = product(&kassa, 1000, "USD").await;
    let archived = product(&kassa, 1000, "USD").await;
    kassa
        .call("DELETE", &format!("/products/{archived}"), None)
        .await;
    code(
        &kassa,
        json!({"type": "percentage", "amount": 500, "code": "GONE",
                        "expires_at": "2020-01-01T00:00:00Z", "starts_at": "2019-01-01T00:00:00Z"}),
    )
    .await;
    let fields: Vec<Value> = (0..6)
        .map(|i| json!({"field_type": "text", "key": format!("k{i}"), "label": "Q"}))
        .collect();
    let cases = [
        (
            json!({"product_cart": [{"product_id": "pdt_000000000000000000000", "quantity": 1}]}),
            404,
            "NOT_FOUND",
            "pdt_000000000000000000000",
        ),
        (
            json!({"product_cart": cart(&[&archived])}),
            422,
            "PRODUCT_IS_DELETED",
            "product_cart[0].product_id",
        ),
        (
            json!({"product_cart": [{"product_id": p, "quantity": 0}]}),
            422,
            "INVALID_REQUEST_BODY",
            "product_cart[0].quantity",
        ),
        (
            json!({"product_cart": cart(&[&p]), "discount_codes": ["GONE"]}),
            422,
            "DISCOUNT_CODE_EXPIRED",
            "discount_codes[0]",
        ),
        (
            json!({"product_cart": cart(&[&p]), "discount_codes": ["NOPE"]}),
            422,
            "INVALID_DISCOUNT_CODE",
            "discount_codes[0]",
        ),
        (
            json!({"product_cart": cart(&[&p]), "payment_method_id": "pm_1"}),
            422,
            "INVALID_REQUEST_BODY",
            "payment_method_id",
        ),
        (
            json!({"product_cart": cart(&[&p]), "discount_code": "A", "discount_codes": ["B"]}),
            422,
            "INVALID_REQUEST_BODY",
            "discount_code",
        ),
        (
            json!({"product_cart": cart(&[&p]), "custom_fields": fields}),
            422,
            "INVALID_REQUEST_BODY",
            "custom_fields",
        ),
        (
            json!({"product_cart": cart(&[&p]), "return_url": "not a url"}),
            422,
            "INVALID_REQUEST_BODY",
            "return_url",
        ),
        (
            json!({"product_cart": cart(&[&p]), "billing_address": {"country": "XX"}}),
            422,
            "UNSUPPORTED_COUNTRY",
            "billing_address.country",
        ),
        (
            json!({"product_cart": cart(&[&p]), "feature_flags": {"allow_everything": true}}),
            422,
            "INVALID_REQUEST_BODY",
            "allow_everything",
        ),
        (
            json!({"product_cart": cart(&[&p]), "customer": {"name": "Nobody"}}),
            422,
            "INVALID_REQUEST_BODY",
            "customer_id",
        ),
        (
            json!({"product_cart": "nope"}),
            422,
            "INVALID_REQUEST_BODY",
            "product_cart",
        ),
    ];
    for (body, status, code, needle) in cases {
        for path in ["/checkouts", "/checkouts/preview"] {
            let reply = kassa.call("POST", path, Some(body.clone())).await;
            assert_eq!(reply.status, status, "{path} {body}: {:?}", reply.body);
            assert_eq!(reply.body["code"], code, "{path} {body}");
            let message = reply.body["message"].as_str().unwrap();
            assert!(
                message.contains(needle),
                "{path}: `{message}` should name `{needle}`"
            );
        }
    }
}

async fn an_exhausted_code_is_refused(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let p = product(&kassa, 1000, "USD").await;
    code(
        &kassa,
        json!({"type": "percentage", "amount": 500, "code": "ONCE", "usage_limit": 1}),
    )
    .await;
    // Use it up the way customers do: one paid checkout with it.
    let body = json!({
        "product_cart": cart(&[&p]),
        "discount_codes": ["ONCE"],
        "customer": {"email": "first@example.com", "name": "First"},
        "billing_address": {"country": "US", "state": "NY", "city": "NYC", "street": "1 Main St", "zipcode": "10001"},
    });
    let first = kassa.call("POST", "/checkouts", Some(body)).await;
    assert_eq!(first.status, 200, "{:?}", first.body);
    let url = first.body["checkout_url"].as_str().unwrap().to_owned();
    let (status, ..) = kassa.pay_on_page(&url, "4242424242424242").await;
    assert_eq!(status, 303, "the first purchase with the code succeeds");
    let used = kassa.call("GET", "/discounts/code/ONCE", None).await;
    assert_eq!(used.body["times_used"], 1);
    let body = json!({"product_cart": cart(&[&p]), "discount_codes": ["ONCE"]});
    let reply = kassa.call("POST", "/checkouts", Some(body)).await;
    assert_eq!(reply.status, 422, "{:?}", reply.body);
    assert_eq!(
        reply.body["code"], "DISCOUNT_CODE_USAGE_LIMIT_EXCEEDED",
        "{:?}",
        reply.body
    );
}

async fn the_same_idempotency_key_and_body_replays_the_first_session(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let p = product(&kassa, 1000, "USD").await;
    let body = json!({"product_cart": cart(&[&p])});
    let first = kassa
        .post_idempotent("/checkouts", "key-1", body.clone())
        .await;
    let again = kassa
        .post_idempotent("/checkouts", "key-1", body.clone())
        .await;
    assert_eq!(first.status, 200);
    assert_eq!(again.status, 200);
    assert_eq!(again.body, first.body, "the stored response, byte for byte");
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert!(first.headers.get("idempotent-replayed").is_none());

    let mut other = body.clone();
    other["metadata"] = json!({"x": "y"});
    let clash = kassa.post_idempotent("/checkouts", "key-1", other).await;
    assert_eq!(clash.status, 409);
    assert_eq!(clash.body["code"], "IDEMPOTENCY_KEY_REUSED");
    assert_eq!(clash.headers["x-should-retry"], "false");
}

async fn concurrent_requests_with_one_key_create_one_session(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let p = product(&kassa, 1000, "USD").await;
    let body = json!({"product_cart": cart(&[&p])});
    let replies = futures::future::join_all(
        (0..8).map(|_| kassa.post_idempotent("/checkouts", "race", body.clone())),
    )
    .await;
    let ids: std::collections::HashSet<_> = replies
        .iter()
        .filter(|r| r.status == 200)
        .map(|r| r.body["session_id"].clone())
        .collect();
    assert_eq!(ids.len(), 1, "{replies:?}");
    for r in &replies {
        assert!(
            r.status == 200 || (r.status == 409 && r.body["code"] == "IDEMPOTENCY_KEY_IN_USE"),
            "{r:?}"
        );
    }
}

async fn a_confirmed_session_opens_its_pending_payment_at_once(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let p = product(&kassa, 2_500, "USD").await;
    let body = json!({"product_cart": cart(&[&p]), "confirm": true,
                      "customer": {"email": "conf@example.com", "name": "Con"},
                      "billing_address": {"country": "US", "state": "CA", "city": "San Francisco",
                                          "street": "1 Market St", "zipcode": "94105"}});
    let created = kassa.call("POST", "/checkouts", Some(body.clone())).await;
    assert_eq!(created.status, 200, "{:?}", created.body);
    let payment = created.body["payment_id"].as_str().expect("a payment id");
    assert!(payment.starts_with("pay_"));
    assert!(created.body["client_secret"].as_str().is_some());
    let pending = kassa
        .call("GET", &format!("/payments/{payment}"), None)
        .await;
    assert_eq!(pending.body["status"], "requires_payment_method");
    assert_eq!(pending.body["total_amount"], 2_500);
    let session = created.body["session_id"].as_str().unwrap();
    let got = kassa
        .call("GET", &format!("/checkouts/{session}"), None)
        .await;
    assert_eq!(got.body["payment_id"], payment);

    let mut missing = body;
    missing.as_object_mut().unwrap().remove("billing_address");
    let refused = kassa.call("POST", "/checkouts", Some(missing)).await;
    assert_eq!(refused.status, 422, "{:?}", refused.body);
    assert!(
        refused.body["message"]
            .as_str()
            .unwrap()
            .contains("billing address"),
        "{:?}",
        refused.body
    );
}

async fn addons_are_priced_with_their_subscription_and_nested_in_the_preview(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let addon = kassa
        .call(
            "POST",
            "/addons",
            Some(
                json!({"name": "Extra seat", "price": 300, "currency": "EUR",
                        "tax_category": "saas"}),
            ),
        )
        .await;
    assert_eq!(addon.status, 200, "{:?}", addon.body);
    let addon_id = addon.body["id"].as_str().unwrap().to_owned();
    let sub = kassa
        .call(
            "POST",
            "/products",
            Some(
                json!({"name": "Team plan", "tax_category": "saas", "addons": [addon_id],
                "price": {"type": "recurring_price", "price": 1_000, "currency": "EUR",
                          "discount": 0, "purchasing_power_parity": false,
                          "payment_frequency_count": 1, "payment_frequency_interval": "Month",
                          "subscription_period_count": 1, "subscription_period_interval": "Year"}}),
            ),
        )
        .await;
    assert_eq!(sub.status, 200, "{:?}", sub.body);
    let product_id = sub.body["product_id"].as_str().unwrap();
    let body = json!({"product_cart": [{"product_id": product_id, "quantity": 1,
                                        "addons": [{"addon_id": addon_id, "quantity": 3}]}],
                      "billing_address": {"country": "DE"}});
    let q = kassa.call("POST", "/checkouts/preview", Some(body)).await;
    assert_eq!(q.status, 200, "{:?}", q.body);
    // 10.00 + 3 × 3.00 = 19.00 net, plus 19 % VAT = 3.61.
    assert_eq!(q.body["current_breakup"]["subtotal"], 1_900);
    assert_eq!(q.body["total_price"], 2_261);
    assert_eq!(q.body["recurring_breakup"]["subtotal"], 1_900);
    let lines = q.body["product_cart"].as_array().unwrap();
    assert_eq!(
        lines.len(),
        1,
        "the addon is nested, not a line of the cart"
    );
    let nested = &lines[0]["addons"][0];
    assert_eq!(nested["addon_id"], addon_id.as_str());
    assert_eq!(nested["single_quantity_price"], 300);
    assert_eq!(nested["quantity"], 3);
    let sum: i64 = [&lines[0], nested]
        .iter()
        .map(|l| l["discounted_price"].as_i64().unwrap() + l["tax"].as_i64().unwrap())
        .sum();
    assert_eq!(sum, 2_261, "the lines add up to the total");
}
