//! The operator's tables: exchange rates turn on adaptive pricing
//! (`billing_currency`), and a tax table replaces the built-in one.

use kassa_testkit::{TestDb, TestServer};
use serde_json::{Value, json};

// Each test below runs on SQLite and on PostgreSQL.
kassa_testkit::on_each_backend!(
    with_rates_loaded_billing_currency_converts_every_price,
    without_rates_billing_currency_is_discarded_as_on_dodo,
    an_operator_tax_table_replaces_the_built_in_rates,
    the_customer_switches_currency_on_the_page_and_pays_in_it,
    without_rates_the_page_offers_no_currency_and_refuses_a_switch,
);

async fn product(kassa: &TestServer, price: i64, currency: &str) -> String {
    let body = json!({"name": "Priced", "tax_category": "saas",
        "price": {"type": "one_time_price", "price": price, "currency": currency,
                  "discount": 0, "purchasing_power_parity": false}});
    let reply = kassa.call("POST", "/products", Some(body)).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body["product_id"].as_str().unwrap().to_owned()
}

fn preview(product: &str, country: &str, currency: Option<&str>) -> Value {
    let mut body = json!({"product_cart": [{"product_id": product, "quantity": 1}],
                          "billing_address": {"country": country}});
    if let Some(c) = currency {
        body["billing_currency"] = json!(c);
    }
    body
}

const RATES: &str = "@as_of,2026-11-01\nUSD,EUR,0.92\nUSD,JPY,150.5\n";

async fn with_rates_loaded_billing_currency_converts_every_price(db: TestDb) {
    let kassa = TestServer::start_with_tables(db, None, Some(RATES)).await;
    let p = product(&kassa, 10_000, "USD").await;
    let q = kassa
        .call(
            "POST",
            "/checkouts/preview",
            Some(preview(&p, "DE", Some("EUR"))),
        )
        .await;
    assert_eq!(q.status, 200, "{:?}", q.body);
    assert_eq!(q.body["currency"], "EUR");
    // 100.00 USD × 0.92 = 92.00 EUR, plus German VAT 19 % = 17.48.
    assert_eq!(q.body["current_breakup"]["subtotal"], 9_200);
    assert_eq!(q.body["current_breakup"]["tax"], 1_748);
    assert_eq!(q.body["total_price"], 10_948);
    // Each line keeps its original price in the product's own currency.
    let line = &q.body["product_cart"][0];
    assert_eq!(line["og_price"], 10_000, "{line}");
    assert_eq!(line["og_currency"], "USD", "{line}");
    assert_eq!(line["currency"], "EUR", "{line}");
    assert_eq!(line["discounted_price"], 9_200, "{line}");

    let yen = kassa
        .call(
            "POST",
            "/checkouts/preview",
            Some(preview(&p, "JP", Some("JPY"))),
        )
        .await;
    assert_eq!(yen.body["currency"], "JPY");
    assert_eq!(yen.body["current_breakup"]["subtotal"], 15_050);

    let unknown = kassa
        .call(
            "POST",
            "/checkouts/preview",
            Some(preview(&p, "GB", Some("GBP"))),
        )
        .await;
    assert_eq!(unknown.status, 422, "{:?}", unknown.body);
    let message = unknown.body["message"].as_str().unwrap();
    assert!(
        message.contains("billing_currency") && message.contains("USD to GBP"),
        "{message}"
    );
}

async fn without_rates_billing_currency_is_discarded_as_on_dodo(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let p = product(&kassa, 10_000, "USD").await;
    let q = kassa
        .call(
            "POST",
            "/checkouts/preview",
            Some(preview(&p, "US", Some("EUR"))),
        )
        .await;
    assert_eq!(q.status, 200, "{:?}", q.body);
    assert_eq!(q.body["currency"], "USD");
    assert_eq!(q.body["current_breakup"]["subtotal"], 10_000);
    assert_eq!(q.body["product_cart"][0]["og_price"], 10_000);
    assert_eq!(q.body["product_cart"][0]["og_currency"], "USD");
}

async fn an_operator_tax_table_replaces_the_built_in_rates(db: TestDb) {
    let table = "@as_of,2026-11-01\nDE,*,*,50000,Test VAT\n";
    let kassa = TestServer::start_with_tables(db, Some(table), None).await;
    let p = product(&kassa, 10_000, "EUR").await;
    let q = kassa
        .call("POST", "/checkouts/preview", Some(preview(&p, "DE", None)))
        .await;
    assert_eq!(q.status, 200, "{:?}", q.body);
    assert_eq!(
        q.body["current_breakup"]["tax"], 500,
        "5 %, not Germany's 19 %"
    );
    let fr = kassa
        .call("POST", "/checkouts/preview", Some(preview(&p, "FR", None)))
        .await;
    assert_eq!(
        fr.body["current_breakup"]["tax"], 0,
        "the operator's table knows no France"
    );
}

#[tokio::test]
async fn a_table_that_does_not_parse_stops_the_start_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let rates = dir.path().join("fx.csv");
    std::fs::write(&rates, "USD,EUR,0.92\nUSD,EUR,minus one\n").unwrap();
    let config = kassa_server::Config {
        bind: "127.0.0.1:0".parse().unwrap(),
        backend: kassa_server::Backend::Sqlite {
            data_dir: dir.path().to_owned(),
        },
        public_url: None,
        tax_table: None,
        fx_rates: Some(rates),
        webhooks: kassa_server::WebhookConfig::default(),
        edge: kassa_server::EdgeConfig::default(),
    };
    let err = kassa_server::open_configured_app(&config)
        .await
        .err()
        .expect("refused");
    let chain = format!("{err:#}");
    assert!(
        chain.contains("fx.csv") && chain.contains("line 2"),
        "{chain}"
    );
}

async fn the_customer_switches_currency_on_the_page_and_pays_in_it(db: TestDb) {
    let kassa = TestServer::start_with_tables(db, None, Some(RATES)).await;
    let p = product(&kassa, 10_000, "USD").await;
    let created = kassa
        .call(
            "POST",
            "/checkouts",
            Some(json!({"product_cart": [{"product_id": p, "quantity": 1}],
                        "customer": {"email": "eu@example.com", "name": "Eu"},
                        "billing_address": {"country": "DE", "city": "Berlin",
                                            "street": "Unter den Linden 1", "zipcode": "10117"}})),
        )
        .await;
    let url = created.body["checkout_url"].as_str().unwrap().to_owned();
    let page = reqwest::get(&url).await.unwrap().text().await.unwrap();
    assert!(page.contains("name=\"currency\""), "a selector is offered");
    for code in ["EUR", "JPY", "USD"] {
        assert!(
            page.contains(&format!("<option value=\"{code}\"")),
            "{code}"
        );
    }
    let (status, _, body) = kassa
        .submit_form(&format!("{url}/currency"), &[("currency", "EUR")])
        .await;
    assert_eq!(status, 303, "{body}");
    let (status, _, body) = kassa
        .submit_form(&format!("{url}/currency"), &[("currency", "GBP")])
        .await;
    assert_eq!(status, 422, "a currency without a rate is refused: {body}");

    let (status, _, body) = kassa
        .submit_form(
            &format!("{url}/pay"),
            &[
                ("payment_method", "card"),
                ("card_number", "4242424242424242"),
                ("card_expiry", "12/40"),
                ("card_cvc", "123"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let payments = kassa.call("GET", "/payments", None).await;
    let paid = &payments.body["items"][0];
    assert_eq!(paid["currency"], "EUR");
    // 100.00 USD × 0.92 = 92.00 EUR + 19 % VAT.
    assert_eq!(paid["total_amount"], 10_948);
}

async fn without_rates_the_page_offers_no_currency_and_refuses_a_switch(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let p = product(&kassa, 10_000, "USD").await;
    let created = kassa
        .call(
            "POST",
            "/checkouts",
            Some(json!({"product_cart": [{"product_id": p, "quantity": 1}]})),
        )
        .await;
    let url = created.body["checkout_url"].as_str().unwrap().to_owned();
    let page = reqwest::get(&url).await.unwrap().text().await.unwrap();
    assert!(!page.contains("name=\"currency\""));
    let (status, _, _) = kassa
        .submit_form(&format!("{url}/currency"), &[("currency", "EUR")])
        .await;
    assert_eq!(status, 422);
}
