//! The test clock over HTTP: a test-mode business's time moves only
//! forward, and advancing it runs what falls due on the way, in due order:
//! session expiry and Dodo's real webhook retry schedule, walked in
//! seconds against a real receiver.

use std::time::Duration;

use kassa_testkit::receiver::Receiver;
use kassa_testkit::{TestDb, TestServer};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

// Each test below runs on SQLite and on PostgreSQL.
kassa_testkit::on_each_backend!(
    a_fresh_business_starts_on_real_time,
    a_confirmed_session_left_unpaid_is_cancelled_once_its_clock_passes_expiry,
    a_failing_receiver_gets_its_fifth_attempt_on_dodos_schedule_walked_by_the_clock,
    a_live_mode_key_cannot_read_or_move_a_clock,
    a_test_clock_never_runs_backwards,
);

const WAIT: Duration = Duration::from_secs(15);

fn at(v: &Value) -> OffsetDateTime {
    OffsetDateTime::parse(v.as_str().expect("a time"), &Rfc3339).expect("RFC 3339")
}

async fn endpoint(kassa: &TestServer, receiver: &Receiver, filter: &[&str]) -> String {
    let made = kassa
        .call(
            "POST",
            "/webhooks",
            Some(json!({"url": receiver.url, "filter_types": filter})),
        )
        .await;
    assert_eq!(made.status, 200, "{:?}", made.body);
    made.body["id"].as_str().unwrap().to_owned()
}

/// Waits until the endpoint's one delivery shows `n` recorded attempts.
async fn until_attempts_recorded(kassa: &TestServer, endpoint: &str, n: usize) {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let log = kassa
            .call(
                "GET",
                &format!("/kassa/webhooks/{endpoint}/deliveries"),
                None,
            )
            .await;
        let recorded = log.body["items"][0]["attempts"]
            .as_array()
            .map_or(0, Vec::len);
        if recorded >= n {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{n} attempts never recorded: {:?}",
            log.body
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn a_fresh_business_starts_on_real_time(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let before = OffsetDateTime::now_utc();
    let clock = kassa.call("GET", "/kassa/test-clock", None).await;
    assert_eq!(clock.status, 200, "{:?}", clock.body);
    assert_eq!(clock.body["offset_seconds"], 0);
    let now = at(&clock.body["now"]);
    assert!(
        (now - before).abs() < time::Duration::seconds(5),
        "{now} vs {before}"
    );
}

async fn a_confirmed_session_left_unpaid_is_cancelled_once_its_clock_passes_expiry(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let receiver = Receiver::start().await;
    endpoint(&kassa, &receiver, &["payment.cancelled"]).await;
    let product = kassa
        .call(
            "POST",
            "/products",
            Some(
                json!({"name": "Pending", "tax_category": "digital_products",
                "price": {"type": "one_time_price", "price": 900, "currency": "USD",
                          "discount": 0, "purchasing_power_parity": false}}),
            ),
        )
        .await;
    let product = product.body["product_id"].as_str().unwrap().to_owned();
    let session = kassa
        .call(
            "POST",
            "/checkouts",
            Some(
                json!({"product_cart": [{"product_id": product, "quantity": 1}],
                "confirm": true,
                "customer": {"email": "late@example.com", "name": "Late"},
                "billing_address": {"country": "US", "state": "OR", "city": "Portland",
                                    "street": "1 Oak St", "zipcode": "97201"}}),
            ),
        )
        .await;
    assert_eq!(session.status, 200, "{:?}", session.body);
    let payment = session.body["payment_id"].as_str().unwrap().to_owned();

    let early = kassa
        .call(
            "POST",
            "/kassa/test-clock/advance",
            Some(json!({"by": "14m"})),
        )
        .await;
    assert_eq!(early.status, 200, "{:?}", early.body);
    let pending = kassa
        .call("GET", &format!("/payments/{payment}"), None)
        .await;
    assert_eq!(pending.body["status"], "requires_payment_method");

    let advanced = kassa
        .call(
            "POST",
            "/kassa/test-clock/advance",
            Some(json!({"by": "2m"})),
        )
        .await;
    assert_eq!(advanced.status, 200, "{:?}", advanced.body);
    assert!(
        advanced.body["jobs_run"].as_u64().unwrap() >= 1,
        "{:?}",
        advanced.body
    );
    let offset = advanced.body["offset_seconds"].as_i64().unwrap();
    assert!((16 * 60 - 1..=16 * 60).contains(&offset), "{offset}");
    let cancelled = kassa
        .call("GET", &format!("/payments/{payment}"), None)
        .await;
    assert_eq!(
        cancelled.body["status"], "cancelled",
        "{:?}",
        cancelled.body
    );
    let got = receiver.wait_for(1, WAIT).await;
    let body = got[0].json();
    assert_eq!(body["type"], "payment.cancelled");
    assert_eq!(body["data"]["payment_id"], payment.as_str());
    assert_eq!(body["data"]["status"], "cancelled");
}

async fn a_failing_receiver_gets_its_fifth_attempt_on_dodos_schedule_walked_by_the_clock(
    db: TestDb,
) {
    // The server runs Dodo's default schedule: 0, 5 s, 5 min, 30 min, 2 h…
    let kassa = TestServer::start_in(db).await;
    let receiver = Receiver::start().await;
    receiver.plan(&[500, 500, 500, 500, 200]);
    let id = endpoint(&kassa, &receiver, &[]).await;
    let sent = kassa
        .call(
            "POST",
            &format!("/kassa/webhooks/{id}/trigger"),
            Some(json!({"event_type": "payment.succeeded"})),
        )
        .await;
    assert_eq!(sent.status, 200, "{:?}", sent.body);
    receiver.wait_for(1, WAIT).await;
    // The receiver hears an attempt before Kassa records it: until then
    // the first attempt is still a job in flight, which the advance would
    // wait for and count.
    until_attempts_recorded(&kassa, &id, 1).await;

    let advanced = kassa
        .call(
            "POST",
            "/kassa/test-clock/advance",
            Some(json!({"by": "3h"})),
        )
        .await;
    assert_eq!(advanced.status, 200, "{:?}", advanced.body);
    assert_eq!(receiver.wait_for(5, WAIT).await.len(), 5);
    assert_eq!(advanced.body["jobs_run"], 4, "{:?}", advanced.body);

    let log = kassa
        .call("GET", &format!("/kassa/webhooks/{id}/deliveries"), None)
        .await;
    let delivery = &log.body["items"][0];
    assert_eq!(delivery["status"], "succeeded", "{delivery}");
    let attempts = delivery["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 5, "{delivery}");
    let times: Vec<OffsetDateTime> = attempts.iter().map(|a| at(&a["at"])).collect();
    let waits = [
        time::Duration::seconds(5),
        time::Duration::minutes(5),
        time::Duration::minutes(30),
        time::Duration::hours(2),
    ];
    for (i, wait) in waits.iter().enumerate() {
        let gap = times[i + 1] - times[i];
        assert!(
            (gap - *wait).abs() < time::Duration::seconds(2),
            "attempt {} came {gap} after attempt {}, not {wait}",
            i + 2,
            i + 1
        );
    }
}

async fn a_live_mode_key_cannot_read_or_move_a_clock(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let live = kassa.live_key().await;
    let read = kassa.call_as(&live, "GET", "/kassa/test-clock", None).await;
    assert_eq!(read.status, 403, "{:?}", read.body);
    let moved = kassa
        .call_as(
            &live,
            "POST",
            "/kassa/test-clock/advance",
            Some(json!({"by": "1d"})),
        )
        .await;
    assert_eq!(moved.status, 403, "{:?}", moved.body);
}

async fn a_test_clock_never_runs_backwards(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let ahead = kassa
        .call(
            "POST",
            "/kassa/test-clock/advance",
            Some(json!({"by": "1d"})),
        )
        .await;
    assert_eq!(ahead.status, 200, "{:?}", ahead.body);
    let back = kassa
        .call(
            "POST",
            "/kassa/test-clock/advance",
            Some(json!({"by": "-5m"})),
        )
        .await;
    assert_eq!(back.status, 422, "{:?}", back.body);
    let to = kassa
        .call(
            "POST",
            "/kassa/test-clock/advance",
            Some(json!({"to": OffsetDateTime::now_utc().format(&Rfc3339).unwrap()})),
        )
        .await;
    assert_eq!(to.status, 422, "{:?}", to.body);
    let clock = kassa.call("GET", "/kassa/test-clock", None).await;
    let offset = clock.body["offset_seconds"].as_i64().unwrap();
    assert!((86_399..=86_400).contains(&offset), "{offset}");
}
