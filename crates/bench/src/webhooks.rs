//! `kassa-bench webhooks`: webhook deliveries per second from Kassa's
//! worker to a local receiver, as a ratio of the HTTP ceiling measured in
//! the same run: a bare HTTP client POSTing the same body to the same
//! receiver with the same concurrency.
//!
//! Kassa's side is the whole delivery path: N `payment.succeeded` events
//! committed in one transaction, then leased, rendered from the stored
//! payment, signed, sent, and each attempt recorded durably (SQLite,
//! synchronous=FULL).
//!
//! Usage: `cargo run --release -p kassa-bench -- webhooks [events] [rounds]`
//! (defaults 5000, 3); `KASSA_BENCH_INFLIGHT` sets the worker's attempts
//! in flight (default 64, the server's default).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use axum::routing::post;
use kassa_core::webhook::{Event, EventType};
use kassa_jobs::WorkerConfig;
use serde_json::{Value, json};
use tokio::sync::Notify;

use crate::Fresh;

/// A receiver that answers 200 at once and counts.
pub(crate) struct Counter {
    pub(crate) url: String,
    pub(crate) seen: Arc<AtomicU64>,
    arrived: Arc<Notify>,
}

pub(crate) async fn receiver() -> anyhow::Result<Counter> {
    let seen = Arc::new(AtomicU64::new(0));
    let arrived = Arc::new(Notify::new());
    let (s, a) = (seen.clone(), arrived.clone());
    let app = axum::Router::new().route(
        "/hook",
        post(move |_body: axum::body::Bytes| {
            let (s, a) = (s.clone(), a.clone());
            async move {
                s.fetch_add(1, Ordering::Relaxed);
                a.notify_waiters();
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/hook", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(Counter { url, seen, arrived })
}

impl Counter {
    /// Waits until the count reaches `n`.
    pub(crate) async fn until(&self, n: u64) {
        loop {
            let notified = self.arrived.notified();
            if self.seen.load(Ordering::Relaxed) >= n {
                return;
            }
            let _ = tokio::time::timeout(Duration::from_millis(50), notified).await;
        }
    }
}

/// The ceiling: `n` POSTs of `body` with `concurrency` clients.
async fn ceiling(counter: &Counter, body: Arc<Vec<u8>>, n: u64, concurrency: usize) -> f64 {
    let start = counter.seen.load(Ordering::Relaxed);
    let next = Arc::new(AtomicU64::new(0));
    let client = reqwest::Client::new();
    let began = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (client, url, body, next) = (
            client.clone(),
            counter.url.clone(),
            body.clone(),
            next.clone(),
        );
        tasks.push(tokio::spawn(async move {
            while next.fetch_add(1, Ordering::Relaxed) < n {
                let sent = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .header("webhook-id", "evt_bench")
                    .body(body.as_ref().clone())
                    .send()
                    .await;
                if let Ok(r) = sent {
                    let _ = r.bytes().await;
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    counter.until(start + n).await;
    n as f64 / began.elapsed().as_secs_f64()
}

pub async fn run(args: &[String]) -> anyhow::Result<()> {
    let events: u64 = args.first().map(|s| s.parse()).transpose()?.unwrap_or(5000);
    let rounds: usize = args
        .get(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(3)
        .max(1);
    let worker = WorkerConfig {
        concurrency: std::env::var("KASSA_BENCH_INFLIGHT")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(64),
        ..WorkerConfig::default()
    };
    let concurrency = worker.concurrency;
    // The data dir must outlive the run: bind it, do not drop it.
    let Fresh {
        data: _data,
        app,
        key,
        server,
        base,
    } = Fresh::start(worker).await?;
    let http = reqwest::Client::new();
    let call = |method: reqwest::Method, path: &str, body: Option<Value>| {
        let mut req = http
            .request(method, format!("{base}{path}"))
            .bearer_auth(&key.secret);
        if let Some(body) = body {
            req = req.json(&body);
        }
        async move {
            anyhow::Ok(
                req.send()
                    .await?
                    .error_for_status()?
                    .json::<Value>()
                    .await?,
            )
        }
    };

    // One real payment, bought on the hosted page, that every event names.
    let product = call(
        reqwest::Method::POST,
        "/products",
        Some(json!({"name": "Bench e-book", "tax_category": "e_book",
            "price": {"type": "one_time_price", "price": 1999, "currency": "EUR",
                      "discount": 0, "purchasing_power_parity": false}})),
    )
    .await?;
    let session = call(
        reqwest::Method::POST,
        "/checkouts",
        Some(
            json!({"product_cart": [{"product_id": product["product_id"], "quantity": 1}],
            "customer": {"email": "bench@example.com", "name": "Bench"},
            "billing_address": {"country": "DE", "city": "Berlin", "street": "Unter den Linden 1",
                                "zipcode": "10117"}}),
        ),
    )
    .await?;
    let pay = format!(
        "{}/pay",
        session["checkout_url"].as_str().context("checkout_url")?
    );
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?
        .post(pay)
        .form(&[
            ("payment_method", "card"),
            ("card_number", "4242424242424242"),
            ("card_expiry", "12/40"),
            ("card_cvc", "123"),
        ])
        .send()
        .await?;
    let payments = call(reqwest::Method::GET, "/payments", None).await?;
    let payment_id = payments["items"][0]["payment_id"]
        .as_str()
        .context("a payment")?
        .to_owned();
    let payment = call(
        reqwest::Method::GET,
        &format!("/payments/{payment_id}"),
        None,
    )
    .await?;
    let envelope = json!({"business_id": "bus_bench", "type": "payment.succeeded",
        "timestamp": "2026-01-01T00:00:00.000000Z", "data": payment});
    let body = Arc::new(kassa_api_dodo::to_canonical_json(&envelope));

    let counter = receiver().await?;
    call(
        reqwest::Method::POST,
        "/webhooks",
        Some(json!({"url": counter.url})),
    )
    .await?;
    let scope = app.authenticate(&key.secret).await?;
    let payment_id = kassa_core::id::PaymentId::parse(&payment_id)?;

    println!(
        "kassa-bench webhooks: {events} events per round, {concurrency} in flight, body {} bytes, SQLite synchronous=FULL",
        body.len()
    );
    ceiling(&counter, body.clone(), 500, concurrency).await;
    let mut ratios = Vec::new();
    for round in 1..=rounds {
        let http_rate = ceiling(&counter, body.clone(), events, concurrency).await;
        let start = counter.seen.load(Ordering::Relaxed);
        let batch: Vec<Event> = (0..events)
            .map(|_| Event::payment(EventType::PaymentSucceeded, &payment_id, app.now()))
            .collect();
        let began = Instant::now();
        app.store_handle()
            .commit(&scope, kassa_store::Changes::new().emit_all(batch))
            .await?;
        app.wake_deliveries();
        counter.until(start + events).await;
        let kassa_rate = events as f64 / began.elapsed().as_secs_f64();
        let ratio = kassa_rate / http_rate;
        println!(
            "round {round} of {rounds}: ceiling {http_rate:>8.0} POST/s   kassa {kassa_rate:>8.0} deliveries/s   ratio {ratio:.2}"
        );
        ratios.push(ratio);
    }
    ratios.sort_by(f64::total_cmp);
    println!(
        "median ratio {:.2} of the HTTP ceiling over {rounds} rounds",
        ratios[ratios.len() / 2]
    );
    server.stop().await?;
    Ok(())
}
