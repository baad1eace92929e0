//! `POST /payments`: a pending payment with a payment link that the hosted
//! page completes, idempotent replay, and refusals that write nothing.

use kassa_testkit::{TestDb, TestServer};
use serde_json::{Value, json};

// Each test below runs on SQLite and on PostgreSQL.
kassa_testkit::on_each_backend!(
    a_payment_link_is_paid_on_the_hosted_page_under_the_same_payment_id,
    without_payment_link_the_response_has_no_link,
    the_same_idempotency_key_replays_the_payment_and_another_body_is_refused,
    bad_payment_requests_name_the_problem_and_write_nothing,
);

async fn product(kassa: &TestServer, price: Value) -> String {
    let body = json!({"name": "Linked thing", "tax_category": "digital_products", "price": price});
    let reply = kassa.call("POST", "/products", Some(body)).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body["product_id"].as_str().unwrap().to_owned()
}

fn one_time(price: i64) -> Value {
    json!({"type": "one_time_price", "price": price, "currency": "USD",
           "discount": 0, "purchasing_power_parity": false})
}

fn request(product: &str) -> Value {
    json!({
        "billing": {"country": "US", "state": "NY", "zipcode": "10001"},
        "customer": {"email": "link@example.com", "name": "Linda"},
        "product_cart": [{"product_id": product, "quantity": 2}],
        "payment_link": true,
        "return_url": "https://merchant.example/done",
        "redirect_immediately": true,
        "metadata": {"order": "42"},
    })
}

async fn a_payment_link_is_paid_on_the_hosted_page_under_the_same_payment_id(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let p = product(&kassa, one_time(1_000)).await;
    let created = kassa.call("POST", "/payments", Some(request(&p))).await;
    assert_eq!(created.status, 200, "{:?}", created.body);
    let id = created.body["payment_id"].as_str().unwrap().to_owned();
    let link = created.body["payment_link"].as_str().unwrap().to_owned();
    assert!(
        link.starts_with(&format!("{}/session/cks_", kassa.url)),
        "{link}"
    );
    assert_eq!(created.body["customer"]["email"], "link@example.com");
    assert_eq!(created.body["metadata"]["order"], "42");
    // Whatever the tax table says for New York, the link charges exactly
    // what a preview of the same cart and address shows.
    let preview = kassa
        .call(
            "POST",
            "/checkouts/preview",
            Some(json!({"product_cart": [{"product_id": p, "quantity": 2}],
                        "billing_address": {"country": "US", "state": "NY", "zipcode": "10001"}})),
        )
        .await;
    assert_eq!(created.body["total_amount"], preview.body["total_price"]);

    let pending = kassa.call("GET", &format!("/payments/{id}"), None).await;
    assert_eq!(pending.status, 200, "{:?}", pending.body);
    assert_eq!(pending.body["status"], "requires_payment_method");
    let customer = created.body["customer"]["customer_id"].as_str().unwrap();
    let known = kassa
        .call("GET", &format!("/customers/{customer}"), None)
        .await;
    assert_eq!(known.status, 200, "the customer exists before anyone pays");

    let (status, to, _) = kassa
        .submit_form(
            &format!("{link}/pay"),
            &[
                ("payment_method", "card"),
                ("street", "1 Main St"),
                ("city", "New York"),
                ("card_number", "4242 4242 4242 4242"),
                ("card_expiry", "12/40"),
                ("card_cvc", "123"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let to = to.unwrap();
    assert!(to.starts_with("https://merchant.example/done?"), "{to}");
    assert!(to.contains(&format!("payment_id={id}")), "{to}");
    assert!(to.contains("status=succeeded"), "{to}");
    let done = kassa.call("GET", &format!("/payments/{id}"), None).await;
    assert_eq!(done.body["status"], "succeeded");
    assert_eq!(done.body["card_last_four"], "4242");
}

async fn without_payment_link_the_response_has_no_link(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let p = product(&kassa, one_time(500)).await;
    let mut body = request(&p);
    body.as_object_mut().unwrap().remove("payment_link");
    let created = kassa.call("POST", "/payments", Some(body)).await;
    assert_eq!(created.status, 200, "{:?}", created.body);
    assert_eq!(created.body["payment_link"], Value::Null);
    assert!(created.body["client_secret"].as_str().is_some());
}

async fn the_same_idempotency_key_replays_the_payment_and_another_body_is_refused(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let p = product(&kassa, one_time(700)).await;
    let first = kassa
        .post_idempotent("/payments", "pay-1", request(&p))
        .await;
    let again = kassa
        .post_idempotent("/payments", "pay-1", request(&p))
        .await;
    assert_eq!(first.status, 200, "{:?}", first.body);
    assert_eq!(again.body, first.body);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    let list = kassa.call("GET", "/payments", None).await;
    assert_eq!(
        list.body["items"].as_array().unwrap().len(),
        1,
        "one payment"
    );

    let mut other = request(&p);
    other["metadata"] = json!({"order": "43"});
    let clash = kassa.post_idempotent("/payments", "pay-1", other).await;
    assert_eq!(clash.status, 409);
    assert_eq!(clash.headers["x-should-retry"], "false");
}

async fn bad_payment_requests_name_the_problem_and_write_nothing(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let p = product(&kassa, one_time(700)).await;
    let sub = product(
        &kassa,
        json!({"type": "recurring_price", "price": 900, "currency": "USD", "discount": 0,
               "purchasing_power_parity": false, "payment_frequency_count": 1,
               "payment_frequency_interval": "Month", "subscription_period_count": 1,
               "subscription_period_interval": "Year"}),
    )
    .await;
    let cases: Vec<(Value, u16, &str)> = vec![
        (
            {
                let mut b = request(&p);
                b.as_object_mut().unwrap().remove("billing");
                b
            },
            422,
            "billing",
        ),
        (
            {
                let mut b = request(&p);
                b["product_cart"] = json!([]);
                b
            },
            422,
            "product_cart",
        ),
        (
            {
                let mut b = request(&p);
                b["product_cart"][0]["product_id"] = json!(sub);
                b
            },
            422,
            "subscription",
        ),
        (
            {
                let mut b = request(&p);
                b["product_cart"][0]["product_id"] = json!("pdt_000000000000000000000");
                b
            },
            404,
            "product",
        ),
        (
            {
                let mut b = request(&p);
                b["billing"]["country"] = json!("XX");
                b
            },
            422,
            "billing.country",
        ),
        (
            {
                let mut b = request(&p);
                b["discount_code"] = json!("A");
                b["discount_codes"] = json!(["B"]);
                b
            },
            422,
            "discount_code",
        ),
        (
            {
                let mut b = request(&p);
                b["customer"] = json!({"email": "not-an-email"});
                b
            },
            422,
            "email",
        ),
    ];
    for (body, status, mention) in cases {
        let reply = kassa.call("POST", "/payments", Some(body.clone())).await;
        assert_eq!(reply.status, status, "{body} → {:?}", reply.body);
        let message = reply.body["message"].as_str().unwrap_or_default();
        assert!(message.contains(mention), "{mention}: {message}");
    }
    let list = kassa.call("GET", "/payments", None).await;
    assert_eq!(list.body["items"], json!([]));
    let customers = kassa.call("GET", "/customers", None).await;
    assert_eq!(
        customers.body["items"],
        json!([]),
        "no customer was left behind"
    );
}
