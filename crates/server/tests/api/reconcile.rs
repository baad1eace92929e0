//! No charge without a record: when the commit after a successful charge
//! fails, the customer sees a retryable error page, the log names every
//! id at ERROR, and the payment is reconciled from the processor's record,
//! by a resubmitted form or by the reconciliation job on the test clock,
//! ending with exactly one succeeded payment, one `payment.succeeded`
//! delivery and one charge.

use std::io::Write;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use kassa_testkit::receiver::Receiver;
use kassa_testkit::{TestDb, TestServer};
use serde_json::{Value, json};

// Each test below runs on SQLite and on PostgreSQL.
kassa_testkit::on_each_backend!(
    a_resubmitted_form_settles_from_the_processors_record_without_charging_again,
    the_reconciliation_job_settles_a_payment_left_processing,
);

const WAIT: Duration = Duration::from_secs(15);

/// Everything this test binary logs, for assertions on log lines.
fn logs() -> &'static Mutex<Vec<u8>> {
    static LOGS: OnceLock<Mutex<Vec<u8>>> = OnceLock::new();
    let buffer = LOGS.get_or_init(|| Mutex::new(Vec::new()));
    static INIT: OnceLock<()> = OnceLock::new();
    INIT.get_or_init(|| {
        struct Sink;
        impl Write for Sink {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                logs().lock().unwrap().extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let _ = tracing_subscriber::fmt()
            .with_writer(|| Sink)
            .with_ansi(false)
            .with_max_level(tracing::Level::INFO)
            .try_init();
    });
    buffer
}

fn logged() -> String {
    String::from_utf8_lossy(&logs().lock().unwrap()).into_owned()
}

/// A session for one product, an endpoint for `payment.succeeded`, and
/// the session's page URL: (session id, url, endpoint id).
async fn shop(kassa: &TestServer, receiver: &Receiver) -> (String, String, String) {
    let hook = kassa
        .call(
            "POST",
            "/webhooks",
            Some(json!({"url": receiver.url, "filter_types": ["payment.succeeded"]})),
        )
        .await;
    let hook = hook.body["id"].as_str().unwrap().to_owned();
    let product = kassa
        .call(
            "POST",
            "/products",
            Some(
                json!({"name": "Fragile", "tax_category": "digital_products",
                "price": {"type": "one_time_price", "price": 2500, "currency": "USD",
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
                "customer": {"email": "once@example.com", "name": "Once"},
                "billing_address": {"country": "US", "state": "OR", "city": "Portland",
                                    "street": "1 Oak St", "zipcode": "97201"}}),
            ),
        )
        .await;
    (
        session.body["session_id"].as_str().unwrap().to_owned(),
        session.body["checkout_url"].as_str().unwrap().to_owned(),
        hook,
    )
}

async fn payments(kassa: &TestServer) -> Vec<Value> {
    let list = kassa.call("GET", "/payments", None).await;
    list.body["items"].as_array().unwrap().clone()
}

/// Pays, while the settle commit fails: the customer's page and the log.
async fn pay_into_a_failing_commit(kassa: &TestServer, url: &str, session: &str) -> String {
    logs();
    let (status, _, page) = kassa.pay_on_page(url, "4242424242424242").await;
    assert_eq!(status, 500, "a retryable error, not the customer's: {page}");
    assert!(page.contains("data-testid=\"trouble\""), "{page}");
    let stored = payments(kassa).await;
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(stored[0]["status"], "processing");
    let payment = stored[0]["payment_id"].as_str().unwrap().to_owned();
    let line = logged()
        .lines()
        .find(|l| l.contains("ERROR") && l.contains(&payment))
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("no ERROR line names {payment}:\n{}", logged()));
    assert!(line.contains(session), "{line}");
    let business = kassa.app.authenticate(&kassa.key).await.unwrap().business;
    assert!(line.contains(business.as_str()), "{line}");
    payment
}

async fn one_succeeded_payment_and_one_delivery(
    kassa: &TestServer,
    receiver: &Receiver,
    hook: &str,
    payment: &str,
) {
    let stored = payments(kassa).await;
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(stored[0]["payment_id"], payment);
    assert_eq!(stored[0]["status"], "succeeded");
    let got = receiver.wait_for(1, WAIT).await;
    assert_eq!(got[0].json()["data"]["payment_id"], payment);
    // The log lists every delivery the outbox wrote, sent or not.
    let log = kassa
        .call("GET", &format!("/kassa/webhooks/{hook}/deliveries"), None)
        .await;
    assert_eq!(
        log.body["items"].as_array().unwrap().len(),
        1,
        "{:?}",
        log.body
    );
}

async fn a_resubmitted_form_settles_from_the_processors_record_without_charging_again(db: TestDb) {
    let kassa = TestServer::start_failing_settles(db, 1).await;
    let receiver = Receiver::start().await;
    let (session, url, hook) = shop(&kassa, &receiver).await;
    let payment = pay_into_a_failing_commit(&kassa, &url, &session).await;

    let (status, location, _) = kassa.pay_on_page(&url, "4242424242424242").await;
    assert_eq!(status, 303, "the retry lands on the success page");
    assert_eq!(
        location.as_deref(),
        Some(format!("/session/{session}").as_str())
    );
    one_succeeded_payment_and_one_delivery(&kassa, &receiver, &hook, &payment).await;

    let (again, _, page) = kassa.pay_on_page(&url, "4242424242424242").await;
    assert_eq!(again, 200, "a paid session shows its receipt: {page}");
    assert!(page.contains("data-testid=\"success\""), "{page}");
    assert_eq!(payments(&kassa).await.len(), 1, "and takes no more money");
}

async fn the_reconciliation_job_settles_a_payment_left_processing(db: TestDb) {
    let kassa = TestServer::start_failing_settles(db, 1).await;
    let receiver = Receiver::start().await;
    let (session, url, hook) = shop(&kassa, &receiver).await;
    let payment = pay_into_a_failing_commit(&kassa, &url, &session).await;

    let advanced = kassa
        .call(
            "POST",
            "/kassa/test-clock/advance",
            Some(json!({"by": "1m"})),
        )
        .await;
    assert_eq!(advanced.status, 200, "{:?}", advanced.body);
    one_succeeded_payment_and_one_delivery(&kassa, &receiver, &hook, &payment).await;
    let status = kassa
        .call("GET", &format!("/checkouts/{session}"), None)
        .await;
    assert_eq!(status.body["payment_status"], "succeeded");

    let (again, _, page) = kassa.pay_on_page(&url, "4242424242424242").await;
    assert!(page.contains("data-testid=\"success\""), "{again}: {page}");
    assert_eq!(
        payments(&kassa).await.len(),
        1,
        "a paid session takes no more money"
    );
}
