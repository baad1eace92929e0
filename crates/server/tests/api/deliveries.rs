//! Webhook deliveries from a real server to a real receiver: signed with
//! the endpoint's secret, retried on Kassa's schedule, logged, resent,
//! replayed, rate-limited, and stopped by a 410.

use std::time::Duration;

use kassa_core::webhook::{RetrySchedule, WebhookSecret};
use kassa_server::WorkerConfig;
use kassa_testkit::receiver::{Delivered, Receiver};
use kassa_testkit::{TestDb, TestServer};
use serde_json::{Value, json};

// Each test below runs on SQLite and on PostgreSQL.
kassa_testkit::on_each_backend!(
    a_purchase_sends_payment_succeeded_signed_with_the_current_payment,
    a_decline_sends_payment_failed_and_filters_choose_what_each_endpoint_gets,
    a_receiver_that_fails_three_attempts_gets_the_fourth,
    an_endpoint_answering_410_is_disabled,
    after_a_rotation_both_secrets_sign_each_delivery,
    failed_deliveries_are_replayed_and_one_can_be_resent,
    triggers_exist_in_test_mode_only_and_take_known_types,
    an_endpoint_rate_limit_caps_deliveries_per_second,
);

const WAIT: Duration = Duration::from_secs(10);

/// Dodo's schedule shrunk to milliseconds, so retries happen in a test.
fn fast_worker(schedule: &str) -> WorkerConfig {
    WorkerConfig {
        schedule: Some(RetrySchedule::parse(schedule).unwrap()),
        poll: Duration::from_millis(50),
        ..WorkerConfig::default()
    }
}

async fn kassa(db: TestDb) -> TestServer {
    TestServer::start_with_worker(db, fast_worker("0,50ms,50ms,50ms,50ms,50ms,50ms,50ms")).await
}

async fn endpoint(kassa: &TestServer, body: Value) -> (String, String) {
    let made = kassa.call("POST", "/webhooks", Some(body)).await;
    assert_eq!(made.status, 200, "{:?}", made.body);
    let id = made.body["id"].as_str().unwrap().to_owned();
    let secret = kassa
        .call("GET", &format!("/webhooks/{id}/secret"), None)
        .await;
    (id, secret.body["secret"].as_str().unwrap().to_owned())
}

/// Buys a one-time product on the hosted page with `card`.
async fn buy(kassa: &TestServer, card: &str) -> (u16, String) {
    let product = kassa
        .call(
            "POST",
            "/products",
            Some(json!({"name": "Hooked", "tax_category": "digital_products",
                "price": {"type": "one_time_price", "price": 1500, "currency": "USD",
                          "discount": 0, "purchasing_power_parity": false}})),
        )
        .await;
    let product = product.body["product_id"].as_str().unwrap().to_owned();
    let session = kassa
        .call(
            "POST",
            "/checkouts",
            Some(
                json!({"product_cart": [{"product_id": product, "quantity": 1}],
                "customer": {"email": "hook@example.com", "name": "Hope"},
                "billing_address": {"country": "US", "state": "OR", "city": "Portland",
                                    "street": "1 Oak St", "zipcode": "97201"}}),
            ),
        )
        .await;
    let url = session.body["checkout_url"].as_str().unwrap().to_owned();
    let (status, _, body) = kassa.pay_on_page(&url, card).await;
    (status, body)
}

/// The endpoint's delivery log once no delivery is pending any more (the
/// receiver hears an attempt before Kassa records it).
async fn settled_log(kassa: &TestServer, id: &str) -> Value {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let log = kassa
            .call("GET", &format!("/kassa/webhooks/{id}/deliveries"), None)
            .await;
        let items = log.body["items"].as_array().unwrap();
        if items.iter().all(|d| d["status"] != "pending") || tokio::time::Instant::now() > deadline
        {
            return log.body;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Checks the Standard Webhooks headers against `secret`.
fn assert_signed(d: &Delivered, secret: &str) {
    let id = d.header("webhook-id");
    let timestamp: i64 = d.header("webhook-timestamp").parse().expect("unix seconds");
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    assert!((now - timestamp).abs() < 300, "fresh timestamp");
    let expected = WebhookSecret::parse(secret)
        .unwrap()
        .sign(id, timestamp, &d.body);
    let signatures: Vec<&str> = d.header("webhook-signature").split(' ').collect();
    assert!(signatures.contains(&expected.as_str()), "{signatures:?}");
    assert_eq!(d.header("content-type"), "application/json");
}

async fn a_purchase_sends_payment_succeeded_signed_with_the_current_payment(db: TestDb) {
    let kassa = kassa(db).await;
    let hook = Receiver::start().await;
    let (id, secret) = endpoint(
        &kassa,
        json!({"url": hook.url, "headers": {"X-Shop": "north"}}),
    )
    .await;
    let (status, body) = buy(&kassa, "4242 4242 4242 4242").await;
    assert_eq!(status, 303, "{body}");

    let got = hook.wait_for(1, WAIT).await;
    let d = &got[0];
    assert_signed(d, &secret);
    assert!(d.header("webhook-id").starts_with("evt_"));
    assert_eq!(d.header("x-shop"), "north");
    let envelope = d.json();
    assert_eq!(
        serde_json::to_vec(&envelope).unwrap(),
        d.body,
        "compact canonical JSON"
    );
    assert_eq!(envelope["type"], "payment.succeeded");
    assert!(
        envelope["business_id"]
            .as_str()
            .unwrap()
            .starts_with("bus_")
    );
    assert!(envelope["timestamp"].as_str().unwrap().ends_with('Z'));
    let data = &envelope["data"];
    assert_eq!(data["payload_type"], "Payment");
    assert_eq!(data["status"], "succeeded");
    assert_eq!(data["total_amount"], 1500);
    let payments = kassa.call("GET", "/payments", None).await;
    assert_eq!(data["payment_id"], payments.body["items"][0]["payment_id"]);
    let payment = kassa
        .call(
            "GET",
            &format!("/payments/{}", data["payment_id"].as_str().unwrap()),
            None,
        )
        .await;
    let mut expected = payment.body.clone();
    expected["payload_type"] = json!("Payment");
    assert_eq!(data, &expected, "data is the payment as the API shows it");

    let log = settled_log(&kassa, &id).await;
    let delivery = &log["items"][0];
    assert_eq!(delivery["status"], "succeeded");
    assert_eq!(delivery["event_type"], "payment.succeeded");
    assert_eq!(delivery["attempts"][0]["status_code"], 200);
    assert_eq!(delivery["attempts"][0]["response"], "received");
}

async fn a_decline_sends_payment_failed_and_filters_choose_what_each_endpoint_gets(db: TestDb) {
    let kassa = kassa(db).await;
    let everything = Receiver::start().await;
    let successes = Receiver::start().await;
    endpoint(&kassa, json!({"url": everything.url})).await;
    let (successes_id, _) = endpoint(
        &kassa,
        json!({"url": successes.url, "filter_types": ["payment.succeeded"]}),
    )
    .await;

    let (status, _) = buy(&kassa, "4000 0000 0000 0002").await;
    assert_eq!(status, 402, "the page shows the decline");
    let (status, _) = buy(&kassa, "4242 4242 4242 4242").await;
    assert_eq!(status, 303);

    let all = everything.wait_for(2, WAIT).await;
    let mut types: Vec<_> = all.iter().map(|d| d.json()["type"].clone()).collect();
    types.sort_by_key(|t| t.to_string());
    assert_eq!(
        types,
        vec![json!("payment.failed"), json!("payment.succeeded")]
    );
    let failed = all
        .iter()
        .find(|d| d.json()["type"] == "payment.failed")
        .unwrap();
    assert_eq!(failed.json()["data"]["status"], "failed");
    assert!(failed.json()["data"]["error_code"].is_string());

    // A barrier instead of a pause: a third purchase, raised after the
    // decline, that the filtered endpoint does want. Deliveries are queued
    // with the change that raised them and leased oldest first, so once it
    // has arrived and the endpoint's log holds nothing pending, a
    // payment.failed for this endpoint would have been queued and sent.
    let (status, _) = buy(&kassa, "4242 4242 4242 4242").await;
    assert_eq!(status, 303);
    successes.wait_for(2, WAIT).await;
    everything.wait_for(3, WAIT).await;
    let log = settled_log(&kassa, &successes_id).await;
    let logged: Vec<_> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["event_type"].clone(), d["status"].clone()))
        .collect();
    let succeeded = (json!("payment.succeeded"), json!("succeeded"));
    assert_eq!(logged, vec![succeeded.clone(), succeeded]);
    let only: Vec<_> = successes
        .received()
        .iter()
        .map(|d| d.json()["type"].clone())
        .collect();
    assert_eq!(
        only,
        vec![json!("payment.succeeded"), json!("payment.succeeded")],
        "the filtered endpoint never got the payment.failed"
    );
}

async fn a_receiver_that_fails_three_attempts_gets_the_fourth(db: TestDb) {
    let kassa = kassa(db).await;
    let hook = Receiver::start().await;
    hook.plan(&[500, 503, 500]);
    let (id, secret) = endpoint(&kassa, json!({"url": hook.url})).await;
    let trigger = kassa
        .call(
            "POST",
            &format!("/kassa/webhooks/{id}/trigger"),
            Some(json!({"event_type": "refund.succeeded"})),
        )
        .await;
    assert_eq!(trigger.status, 200, "{:?}", trigger.body);

    let got = hook.wait_for(4, WAIT).await;
    assert_eq!(got.len(), 4);
    let event = trigger.body["event_id"].as_str().unwrap();
    for d in &got {
        assert_eq!(
            d.header("webhook-id"),
            event,
            "the same message every attempt"
        );
        assert_signed(d, &secret);
    }
    let log = settled_log(&kassa, &id).await;
    let delivery = &log["items"][0];
    assert_eq!(delivery["status"], "succeeded");
    let codes: Vec<_> = delivery["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status_code"].clone())
        .collect();
    assert_eq!(codes, vec![json!(500), json!(503), json!(500), json!(200)]);
}

async fn an_endpoint_answering_410_is_disabled(db: TestDb) {
    let kassa = kassa(db).await;
    let hook = Receiver::start().await;
    hook.plan(&[410]);
    let (id, _) = endpoint(&kassa, json!({"url": hook.url})).await;
    let trigger = |kind: &'static str| {
        let path = format!("/kassa/webhooks/{id}/trigger");
        let kassa = &kassa;
        async move {
            let reply = kassa
                .call("POST", &path, Some(json!({"event_type": kind})))
                .await;
            assert_eq!(reply.status, 200, "{:?}", reply.body);
        }
    };
    trigger("payment.succeeded").await;
    hook.wait_for(1, WAIT).await;
    let log = settled_log(&kassa, &id).await;
    assert_eq!(log["items"][0]["status"], "failed", "a 410 is not retried");
    let shown = kassa.call("GET", &format!("/webhooks/{id}"), None).await;
    assert_eq!(shown.body["disabled"], true);

    // Neither an event sent to it alone nor one for every endpoint reaches
    // it. The barrier: an enabled endpoint that does get the second one.
    let witness = Receiver::start().await;
    endpoint(&kassa, json!({"url": witness.url})).await;
    trigger("payment.failed").await;
    let (status, _) = buy(&kassa, "4242 4242 4242 4242").await;
    assert_eq!(status, 303);
    let seen = witness.wait_for(1, WAIT).await;
    assert_eq!(seen[0].json()["type"], "payment.succeeded");
    let log = settled_log(&kassa, &id).await;
    assert_eq!(
        log["items"].as_array().unwrap().len(),
        1,
        "nothing queued for a disabled endpoint: {log}"
    );
    assert_eq!(hook.received().len(), 1, "a disabled endpoint gets nothing");
}

async fn after_a_rotation_both_secrets_sign_each_delivery(db: TestDb) {
    let kassa = kassa(db).await;
    let hook = Receiver::start().await;
    let (id, old) = endpoint(&kassa, json!({"url": hook.url})).await;
    let rotated = kassa
        .call("POST", &format!("/kassa/webhooks/{id}/secret/rotate"), None)
        .await;
    assert_eq!(rotated.status, 200, "{:?}", rotated.body);
    let new = rotated.body["secret"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    let current = kassa
        .call("GET", &format!("/webhooks/{id}/secret"), None)
        .await;
    assert_eq!(current.body["secret"], new);

    kassa
        .call(
            "POST",
            &format!("/kassa/webhooks/{id}/trigger"),
            Some(json!({"event_type": "license_key.created"})),
        )
        .await;
    let got = hook.wait_for(1, WAIT).await;
    assert_eq!(got[0].header("webhook-signature").split(' ').count(), 2);
    assert_signed(&got[0], &new);
    assert_signed(&got[0], &old);
}

async fn failed_deliveries_are_replayed_and_one_can_be_resent(db: TestDb) {
    let kassa = TestServer::start_with_worker(db, fast_worker("0,50ms")).await;
    let hook = Receiver::start().await;
    hook.plan(&[500, 500]);
    let (id, _) = endpoint(&kassa, json!({"url": hook.url})).await;
    let trigger = kassa
        .call(
            "POST",
            &format!("/kassa/webhooks/{id}/trigger"),
            Some(json!({"event_type": "payment.failed"})),
        )
        .await;
    let event = trigger.body["event_id"].as_str().unwrap().to_owned();
    hook.wait_for(2, WAIT).await;
    settled_log(&kassa, &id).await;
    let deliveries = format!("/kassa/webhooks/{id}/deliveries");
    let failed = kassa
        .call("GET", &format!("{deliveries}?status=failed"), None)
        .await;
    assert_eq!(
        failed.body["items"].as_array().unwrap().len(),
        1,
        "failed after its schedule"
    );

    let since = "2000-01-01T00:00:00Z";
    let replay = kassa
        .call(
            "POST",
            &format!("/kassa/webhooks/{id}/replay"),
            Some(json!({"since": since})),
        )
        .await;
    assert_eq!(replay.body["replayed"], 1, "{:?}", replay.body);
    let got = hook.wait_for(3, WAIT).await;
    assert_eq!(got[2].header("webhook-id"), event);
    settled_log(&kassa, &id).await;

    let resend = kassa
        .call("POST", &format!("{deliveries}/{event}/resend"), None)
        .await;
    assert_eq!(resend.status, 202, "{:?}", resend.body);
    let got = hook.wait_for(4, WAIT).await;
    assert_eq!(got[3].header("webhook-id"), event);
    let log = settled_log(&kassa, &id).await;
    assert_eq!(log["items"][0]["attempts"].as_array().unwrap().len(), 4);

    let unknown = kassa
        .call(
            "POST",
            &format!("{deliveries}/evt_000000000000000000000/resend"),
            None,
        )
        .await;
    assert_eq!(unknown.status, 404);
}

async fn triggers_exist_in_test_mode_only_and_take_known_types(db: TestDb) {
    let kassa = kassa(db).await;
    let hook = Receiver::start().await;
    let (id, _) = endpoint(&kassa, json!({"url": hook.url})).await;
    let path = format!("/kassa/webhooks/{id}/trigger");
    let unknown = kassa
        .call(
            "POST",
            &path,
            Some(json!({"event_type": "payment.exploded"})),
        )
        .await;
    assert_eq!(unknown.status, 422);
    assert!(
        unknown.body["message"]
            .as_str()
            .unwrap()
            .contains("payment.exploded")
    );

    let live = kassa.live_key().await;
    let made = kassa
        .call_as(
            &live,
            "POST",
            "/webhooks",
            Some(json!({"url": "https://shop.example/l"})),
        )
        .await;
    let live_id = made.body["id"].as_str().unwrap();
    let refused = kassa
        .call_as(
            &live,
            "POST",
            &format!("/kassa/webhooks/{live_id}/trigger"),
            Some(json!({"event_type": "payment.succeeded"})),
        )
        .await;
    assert_eq!(refused.status, 403, "{:?}", refused.body);
    assert_eq!(refused.body["code"], "TEST_MODE_ONLY");
}

async fn an_endpoint_rate_limit_caps_deliveries_per_second(db: TestDb) {
    let kassa = kassa(db).await;
    let hook = Receiver::start().await;
    let (id, _) = endpoint(&kassa, json!({"url": hook.url, "rate_limit": 2})).await;
    for _ in 0..6 {
        kassa
            .call(
                "POST",
                &format!("/kassa/webhooks/{id}/trigger"),
                Some(json!({"event_type": "payment.succeeded"})),
            )
            .await;
    }
    let got = hook.wait_for(6, WAIT).await;
    let mut per_second = std::collections::HashMap::<String, usize>::new();
    for d in &got {
        *per_second
            .entry(d.header("webhook-timestamp").to_owned())
            .or_default() += 1;
    }
    assert!(per_second.values().all(|n| *n <= 2), "{per_second:?}");
    assert!(per_second.len() >= 3);
}
