//! `kassa-bench purchases [seconds] [connections] [rounds]` (defaults 10,
//! 64, 5): whole purchases per second on the embedded default (durable
//! SQLite), as ratios of the JSON echo ceiling (perf-limits.md H2) measured
//! in the same run with the same load generator.
//!
//! One purchase is what a customer without JavaScript does: the merchant's
//! backend creates a checkout session (`POST /checkouts`), the customer
//! loads the hosted page and posts its pay form with a test card that
//! succeeds, and the answer is a 303 to the merchant's return URL. A
//! webhook endpoint subscribed to every event type points at a local
//! receiver, so the deliveries a purchase causes run during the load as
//! they would in production; after each run the benchmark waits a bounded
//! time for the rest to arrive and prints how many did.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::Context;
use kassa_server::WorkerConfig;
use serde_json::{Value, json};

use crate::webhooks::{Counter, receiver};
use crate::{Cost, Fresh, arg, checkout_body, echo_server, load_in_child, report, run_child};

/// One measured run of purchases.
struct Bought {
    purchases: u64,
    requests: u64,
    seconds: f64,
    p50: Duration,
    p99: Duration,
    errors: u64,
    client_cpu: f64,
    /// The load generator's first error, if any.
    first_error: String,
}

fn buy_in_child(
    checkouts: &str,
    key: &str,
    body: &Value,
    seconds: u64,
    connections: usize,
) -> anyhow::Result<Bought> {
    let (v, stderr) = run_child(
        &[
            "--purchase-load",
            checkouts,
            key,
            &body.to_string(),
            &seconds.to_string(),
            &connections.to_string(),
        ],
        7,
    )?;
    Ok(Bought {
        purchases: v[0] as u64,
        requests: v[1] as u64,
        seconds: v[2],
        p50: Duration::from_secs_f64(v[3]),
        p99: Duration::from_secs_f64(v[4]),
        errors: v[5] as u64,
        client_cpu: v[6],
        first_error: stderr.trim().to_owned(),
    })
}

/// Waits for the deliveries of the setup purchase: until some arrived and
/// no more came for a second, at most `bound`. Returns how many came.
async fn settle(counter: &Counter, bound: Duration) -> u64 {
    let began = Instant::now();
    let mut last = (0, Instant::now());
    while began.elapsed() < bound {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let seen = counter.seen.load(Ordering::Relaxed);
        if seen != last.0 {
            last = (seen, Instant::now());
        } else if seen > 0 && last.1.elapsed() >= Duration::from_secs(1) {
            break;
        }
    }
    counter.seen.load(Ordering::Relaxed)
}

fn report_purchases(m: &Bought, since: Cost) -> (f64, f64) {
    let (purchases, requests) = (
        m.purchases as f64 / m.seconds,
        m.requests as f64 / m.seconds,
    );
    let (idle, total) = crate::machine_ticks();
    let idle_share = (idle - since.ticks.0) as f64 / (total - since.ticks.1).max(1) as f64;
    let per = |cpu: f64| cpu / (m.purchases as f64).max(1.0) * 1e6;
    println!(
        "  kassa: purchases         {purchases:>9.0} purchases/s {requests:>7.0} req/s   p50 {:>7.2} ms   p99 {:>7.2} ms   server CPU {:>6.0} µs/purchase   client CPU {:>6.0} µs/purchase   machine idle {:>3.0} %   errors {}",
        m.p50.as_secs_f64() * 1e3,
        m.p99.as_secs_f64() * 1e3,
        per(crate::own_cpu_seconds() - since.cpu),
        per(m.client_cpu),
        idle_share * 100.0,
        m.errors
    );
    if m.errors > 0 {
        println!("  first error: {}", m.first_error);
    }
    (purchases, requests)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

pub async fn run(args: &[String]) -> anyhow::Result<()> {
    let seconds: u64 = arg(args, 0, 10)?;
    let connections: usize = arg(args, 1, 64)?;
    let rounds = arg(args, 2, 5usize)?.max(1);
    let fresh = Fresh::start(WorkerConfig::default()).await?;
    let key = fresh.key.secret.clone();
    let http = reqwest::Client::new();
    let (checkouts, mut body) = checkout_body(&http, &fresh.base, &key).await?;
    // The pay form's answer then sends the customer back to the merchant,
    // as a shop's checkout does, instead of to Kassa's success page.
    body["feature_flags"] = json!({"redirect_immediately": true});
    let return_url = body["return_url"]
        .as_str()
        .context("return_url")?
        .to_owned();
    let counter = receiver().await?;
    http.post(format!("{}/webhooks", fresh.base))
        .bearer_auth(&key)
        .json(&json!({"url": counter.url, "description": "kassa-bench receiver"}))
        .send()
        .await?
        .error_for_status()
        .context("creating the webhook endpoint")?;

    // One purchase first: it checks the path end to end and tells how many
    // deliveries a purchase makes.
    let client = crate::purchase_load::client()?;
    let bytes = serde_json::to_vec(&body)?;
    crate::purchase_load::purchase(&client, &checkouts, &key, &bytes, &return_url, &mut 0)
        .await
        .context("the setup purchase")?;
    let per_purchase = settle(&counter, Duration::from_secs(10)).await;
    anyhow::ensure!(
        per_purchase > 0,
        "the setup purchase's webhooks did not arrive within 10 s"
    );
    let echo_url = echo_server().await?;
    println!(
        "kassa-bench purchases: {seconds} s per run, {connections} connections, SQLite synchronous=FULL, \
         3 requests and {per_purchase} webhook delivery(ies) per purchase"
    );

    let ceiling = |secs: u64| {
        let (url, body) = (echo_url.clone(), body.clone());
        tokio::task::spawn_blocking(move || load_in_child(&url, "", &body, secs, connections))
    };
    let buy = |secs: u64| {
        let (checkouts, key, body) = (checkouts.clone(), key.clone(), body.clone());
        tokio::task::spawn_blocking(move || {
            buy_in_child(&checkouts, &key, &body, secs, connections)
        })
    };
    // Deliveries still due from earlier purchases would take CPU from the
    // next run, the ceiling's included: wait for them after every run.
    let drain_bound = Duration::from_secs(30 + 2 * seconds);
    let mut paid = 1;
    let drain = async |bought: u64| {
        let expected = bought * per_purchase;
        let at_end = counter.seen.load(Ordering::Relaxed);
        let began = Instant::now();
        let _ = tokio::time::timeout(drain_bound, counter.until(expected)).await;
        (expected, at_end, began.elapsed())
    };
    ceiling(1).await??;
    let warm = buy(1).await??;
    paid += warm.purchases;
    drain(paid).await;

    let (mut by_purchase, mut by_request) = (Vec::new(), Vec::new());
    // A failed purchase is an error wherever it happens, the warm-up too.
    let (mut errors, mut missing) = (warm.errors, 0);
    for round in 1..=rounds {
        println!("round {round} of {rounds}");
        let cost = Cost::start();
        let echo = ceiling(seconds).await??;
        report("  ceiling: POST /echo", &echo, cost);
        let cost = Cost::start();
        let kassa = buy(seconds).await??;
        let (purchases, requests) = report_purchases(&kassa, cost);
        paid += kassa.purchases;
        let (expected, at_end, waited) = drain(paid).await;
        let arrived = counter.seen.load(Ordering::Relaxed);
        println!(
            "  webhooks: {} purchases so far, {expected} deliveries expected; {at_end} had arrived when the load ended, {arrived} after waiting {:.1} s",
            paid,
            waited.as_secs_f64()
        );
        println!(
            "  ratio {:.3} purchases/s per echo req/s, {:.2} req/s per echo req/s",
            purchases / echo.rps,
            requests / echo.rps
        );
        by_purchase.push(purchases / echo.rps);
        by_request.push(requests / echo.rps);
        errors += kassa.errors + echo.errors;
        missing = expected.saturating_sub(arrived);
    }
    println!(
        "median over {rounds} rounds: {:.3} purchases/s and {:.2} requests/s per echo req/s",
        median(by_purchase),
        median(by_request)
    );
    fresh.server.stop().await?;
    if errors > 0 {
        anyhow::bail!("{errors} purchases or echo requests failed");
    }
    if missing > 0 {
        anyhow::bail!("{missing} webhook deliveries had not arrived after {drain_bound:?}");
    }
    Ok(())
}
