//! Saved payment methods: a card that paid is kept for its customer, shown
//! on a later session with `show_saved_payment_methods`, charged unattended
//! with `payment_method_id` + `confirm`, listed and removed.

use kassa_testkit::{TestDb, TestServer};
use serde_json::{Value, json};

// Each test below runs on SQLite and on PostgreSQL.
kassa_testkit::on_each_backend!(
    a_card_that_paid_is_saved_and_charged_again_with_payment_method_id,
    a_saved_card_that_declines_unattended_fails_its_payment,
    the_page_offers_saved_cards_to_their_customer_and_pays_with_one,
    payment_method_id_is_refused_unless_confirmed_for_its_own_customer,
    a_card_that_passes_its_3ds_challenge_is_saved_and_one_that_fails_is_not,
);

async fn product(kassa: &TestServer) -> String {
    let body = json!({"name": "Refill", "tax_category": "digital_products",
        "price": {"type": "one_time_price", "price": 800, "currency": "USD",
                  "discount": 0, "purchasing_power_parity": false}});
    let reply = kassa.call("POST", "/products", Some(body)).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body["product_id"].as_str().unwrap().to_owned()
}

fn address() -> Value {
    json!({"country": "US", "state": "OR", "city": "Portland", "street": "1 Oak St", "zipcode": "97201"})
}

/// A session for the returning customer `repeat@example.com`; returns its
/// checkout URL.
async fn repeat_customer_session(kassa: &TestServer, product: &str) -> String {
    let created = kassa
        .call(
            "POST",
            "/checkouts",
            Some(
                json!({"product_cart": [{"product_id": product, "quantity": 1}],
                        "customer": {"email": "repeat@example.com", "name": "Rae"},
                        "billing_address": address()}),
            ),
        )
        .await;
    created.body["checkout_url"].as_str().unwrap().to_owned()
}

/// The customer of the newest payment.
async fn newest_payments_customer(kassa: &TestServer) -> String {
    let payments = kassa.call("GET", "/payments", None).await;
    payments.body["items"][0]["customer"]["customer_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A first purchase on the page with `card`; returns the customer id.
async fn first_purchase(kassa: &TestServer, product: &str, card: &str) -> String {
    let url = repeat_customer_session(kassa, product).await;
    let (status, _, body) = kassa.pay_on_page(&url, card).await;
    assert_eq!(status, 303, "{body}");
    newest_payments_customer(kassa).await
}

/// The customer's saved cards, newest first.
async fn saved_cards(kassa: &TestServer, customer: &str) -> Vec<Value> {
    let methods = kassa
        .call(
            "GET",
            &format!("/customers/{customer}/payment-methods"),
            None,
        )
        .await;
    assert_eq!(methods.status, 200, "{:?}", methods.body);
    methods.body["items"].as_array().unwrap().clone()
}

/// The id of the customer's most recently saved card.
async fn newest_saved_method(kassa: &TestServer, customer: &str) -> String {
    saved_cards(kassa, customer)
        .await
        .first()
        .and_then(|m| m["payment_method_id"].as_str())
        .expect("a saved card")
        .to_owned()
}

async fn a_card_that_paid_is_saved_and_charged_again_with_payment_method_id(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let p = product(&kassa).await;
    let customer = first_purchase(&kassa, &p, "4242 4242 4242 4242").await;
    let methods = saved_cards(&kassa, &customer).await;
    let saved = &methods[0];
    assert_eq!(saved["card"]["last4_digits"], "4242");
    assert_eq!(saved["card"]["expiry_month"], "11");
    let pm = saved["payment_method_id"].as_str().unwrap().to_owned();
    assert!(pm.starts_with("pm_"));

    let again = kassa
        .call(
            "POST",
            "/checkouts",
            Some(
                json!({"product_cart": [{"product_id": p, "quantity": 2}], "confirm": true,
                        "customer": {"customer_id": customer}, "billing_address": address(),
                        "payment_method_id": pm}),
            ),
        )
        .await;
    assert_eq!(again.status, 200, "{:?}", again.body);
    assert_eq!(again.body["checkout_url"], Value::Null, "nothing to visit");
    let payment = again.body["payment_id"].as_str().unwrap();
    let charged = kassa
        .call("GET", &format!("/payments/{payment}"), None)
        .await;
    assert_eq!(charged.body["status"], "succeeded");
    assert_eq!(charged.body["payment_method_id"], pm.as_str());
    assert_eq!(charged.body["card_last_four"], "4242");
    let session = again.body["session_id"].as_str().unwrap();
    let done = kassa
        .call("GET", &format!("/checkouts/{session}"), None)
        .await;
    assert_eq!(done.body["payment_status"], "succeeded");
}

async fn a_saved_card_that_declines_unattended_fails_its_payment(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let p = product(&kassa).await;
    // Succeeds with the customer present, declines off-session.
    let customer = first_purchase(&kassa, &p, "4000 0000 0000 0341").await;
    let pm = newest_saved_method(&kassa, &customer).await;
    let again = kassa
        .call(
            "POST",
            "/payments",
            Some(json!({"product_cart": [{"product_id": p, "quantity": 1}],
                        "customer": {"customer_id": customer}, "billing": address(),
                        "payment_method_id": pm})),
        )
        .await;
    assert_eq!(again.status, 200, "{:?}", again.body);
    let payment = again.body["payment_id"].as_str().unwrap();
    let failed = kassa
        .call("GET", &format!("/payments/{payment}"), None)
        .await;
    assert_eq!(failed.body["status"], "failed");
    assert_eq!(failed.body["error_code"], "CARD_DECLINED");
}

async fn the_page_offers_saved_cards_to_their_customer_and_pays_with_one(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let p = product(&kassa).await;
    let customer = first_purchase(&kassa, &p, "4242 4242 4242 4242").await;
    let pm = newest_saved_method(&kassa, &customer).await;
    let created = kassa
        .call(
            "POST",
            "/checkouts",
            Some(json!({"product_cart": [{"product_id": p, "quantity": 1}],
                        "customer": {"customer_id": customer}, "billing_address": address(),
                        "show_saved_payment_methods": true})),
        )
        .await;
    let url = created.body["checkout_url"].as_str().unwrap().to_owned();
    let page = reqwest::get(&url).await.unwrap().text().await.unwrap();
    let choice = format!("saved:{pm}");
    assert!(page.contains(&choice), "the saved card is offered");
    assert!(page.contains("•••• 4242"), "{page}");
    let (status, _, body) = kassa
        .submit_form(&format!("{url}/pay"), &[("payment_method", &choice)])
        .await;
    assert_eq!(status, 303, "{body}");
    let session = created.body["session_id"].as_str().unwrap();
    let done = kassa
        .call("GET", &format!("/checkouts/{session}"), None)
        .await;
    assert_eq!(done.body["payment_status"], "succeeded");

    // Another customer's session does not offer (or accept) this card.
    let stranger = kassa
        .call(
            "POST",
            "/checkouts",
            Some(json!({"product_cart": [{"product_id": p, "quantity": 1}],
                        "customer": {"email": "other@example.com", "name": "Oz"},
                        "billing_address": address(), "show_saved_payment_methods": true})),
        )
        .await;
    let other_url = stranger.body["checkout_url"].as_str().unwrap();
    let (status, _, body) = kassa
        .submit_form(&format!("{other_url}/pay"), &[("payment_method", &choice)])
        .await;
    assert_eq!(status, 422, "{body}");
}

async fn payment_method_id_is_refused_unless_confirmed_for_its_own_customer(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let p = product(&kassa).await;
    let customer = first_purchase(&kassa, &p, "4242 4242 4242 4242").await;
    let pm = newest_saved_method(&kassa, &customer).await;
    let other = kassa
        .call(
            "POST",
            "/customers",
            Some(json!({"email": "else@example.com", "name": "Else"})),
        )
        .await;
    let other_id = other.body["customer_id"].as_str().unwrap();
    let cart = json!([{"product_id": p, "quantity": 1}]);
    let cases = [
        (
            json!({"product_cart": cart, "customer": {"customer_id": customer},
                "payment_method_id": pm}),
            422,
        ),
        (
            json!({"product_cart": cart, "confirm": true, "billing_address": address(),
                "customer": {"customer_id": other_id}, "payment_method_id": pm}),
            404,
        ),
        (
            json!({"product_cart": cart, "confirm": true, "billing_address": address(),
                "customer": {"email": "new@example.com", "name": "New"},
                "payment_method_id": pm}),
            422,
        ),
    ];
    for (body, status) in cases {
        let reply = kassa.call("POST", "/checkouts", Some(body.clone())).await;
        assert_eq!(reply.status, status, "{body} → {:?}", reply.body);
    }

    let gone = kassa
        .call(
            "DELETE",
            &format!("/customers/{customer}/payment-methods/{pm}"),
            None,
        )
        .await;
    assert_eq!(gone.status, 204);
    let left = kassa
        .call(
            "GET",
            &format!("/customers/{customer}/payment-methods"),
            None,
        )
        .await;
    assert_eq!(left.body["items"], json!([]));
    let again = kassa
        .call(
            "DELETE",
            &format!("/customers/{customer}/payment-methods/{pm}"),
            None,
        )
        .await;
    assert_eq!(again.status, 404);
}

/// Pays a session of `repeat@example.com` with a card that asks for 3-D
/// Secure; returns the challenge page's URL.
async fn challenged_purchase(kassa: &TestServer, product: &str) -> String {
    let url = repeat_customer_session(kassa, product).await;
    let (status, location, body) = kassa.pay_on_page(&url, "4000 0025 0000 3155").await;
    assert_eq!(status, 303, "{body}");
    let location = location.expect("a redirect to the challenge");
    assert!(location.contains("/challenge/"), "{location}");
    format!("{}{location}", kassa.url)
}

async fn a_card_that_passes_its_3ds_challenge_is_saved_and_one_that_fails_is_not(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let p = product(&kassa).await;

    let challenge = challenged_purchase(&kassa, &p).await;
    let payment = challenge.rsplit('/').next().unwrap().to_owned();
    assert!(payment.starts_with("pay_"), "{challenge}");
    let (status, _, body) = kassa.submit_form(&format!("{challenge}/fail"), &[]).await;
    assert_eq!(status, 402, "the page shows the failure");
    assert!(
        body.contains("Authentication of your card failed."),
        "{body}"
    );
    let failed = kassa
        .call("GET", &format!("/payments/{payment}"), None)
        .await;
    assert_eq!(failed.status, 200, "{:?}", failed.body);
    assert_eq!(failed.body["status"], "failed", "{:?}", failed.body);
    assert!(failed.body["payment_method_id"].is_null(), "nothing saved");
    let customer = newest_payments_customer(&kassa).await;
    assert!(
        saved_cards(&kassa, &customer).await.is_empty(),
        "a failed challenge saves nothing"
    );

    let challenge = challenged_purchase(&kassa, &p).await;
    let (status, _, body) = kassa
        .submit_form(&format!("{challenge}/complete"), &[])
        .await;
    assert_eq!(status, 303, "{body}");
    let saved = saved_cards(&kassa, &customer).await;
    assert_eq!(saved.len(), 1, "{saved:?}");
    assert_eq!(saved[0]["card"]["last4_digits"], "3155");
    let paid = kassa.call("GET", "/payments", None).await;
    let id = paid.body["items"][0]["payment_id"].as_str().unwrap();
    let payment = kassa.call("GET", &format!("/payments/{id}"), None).await;
    assert_eq!(payment.body["status"], "succeeded");
    assert_eq!(
        payment.body["payment_method_id"],
        saved[0]["payment_method_id"]
    );
}
