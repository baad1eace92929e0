//! The load generator of `kassa-bench purchases`, run in a child process:
//! each connection buys again and again, as a customer without JavaScript
//! would, over one kept-alive connection (the API and the hosted pages
//! share the server's origin).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use serde_json::Value;

use crate::form::Form;
use crate::{own_cpu_seconds, post_json};

/// A test card that succeeds without a challenge (test-cards.md).
const CARD: [(&str, &str); 4] = [
    ("payment_method", "card"),
    ("card_number", "4242424242424242"),
    ("card_expiry", "12/40"),
    ("card_cvc", "123"),
];

/// What the customer types where the session left the address open (the
/// bench's session gives only country and postcode; the page asks for the
/// rest before it charges).
const ADDRESS: [(&str, &str); 2] = [("street", "Unter den Linden 1"), ("city", "Berlin")];

/// A client that keeps one connection and does not follow redirects: the
/// pay form's 303 is the purchase's last answer, and following it would
/// leave for the merchant's site.
pub fn client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .redirect(reqwest::redirect::Policy::none())
        .build()
}

/// One purchase: `POST /checkouts` (JSON `body`), `GET` the session's
/// `checkout_url`, and post its pay form with [`CARD`], which must answer
/// a 303 to `return_url`. `answered` counts the requests answered as
/// expected, so a purchase that fails half-way still counts its first ones.
pub async fn purchase(
    client: &reqwest::Client,
    checkouts: &str,
    key: &str,
    body: &[u8],
    return_url: &str,
    answered: &mut u64,
) -> anyhow::Result<()> {
    let r = post_json(client, checkouts, key, body.to_vec())
        .send()
        .await?;
    anyhow::ensure!(
        r.status().is_success(),
        "POST /checkouts answered {}",
        r.status()
    );
    let session: Value = serde_json::from_slice(&r.bytes().await?)?;
    *answered += 1;
    let page = session["checkout_url"]
        .as_str()
        .context("the session has no checkout_url")?;
    let r = client.get(page).send().await?;
    anyhow::ensure!(
        r.status() == reqwest::StatusCode::OK,
        "the hosted page answered {}",
        r.status()
    );
    let html = r.text().await?;
    *answered += 1;
    let mut form = Form::pay(&html).context("the hosted page has no pay form")?;
    for (name, value) in ADDRESS {
        form.fill(name, value);
    }
    for (name, value) in CARD {
        form.set(name, value);
    }
    let action = reqwest::Url::parse(page)?.join(&form.action)?;
    let r = client.post(action).form(&form.fields).send().await?;
    let status = r.status();
    let location = r
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let answer = r.text().await.unwrap_or_default();
    anyhow::ensure!(
        status == reqwest::StatusCode::SEE_OTHER && location.starts_with(return_url),
        "the pay form answered {status} (Location `{location}`, page says {:?}), not 303 to the return URL",
        crate::form::messages(&answer)
    );
    *answered += 1;
    Ok(())
}

/// What one connection did.
#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    requests: u64,
    errors: u64,
    first_error: Option<String>,
}

/// `connections` customers buy as fast as they can for `seconds`; prints
/// `purchases requests seconds p50 p99 errors client_cpu` on one line, and
/// the first error, if any, on stderr.
async fn load(checkouts: &str, key: &str, body: Value, seconds: u64, connections: usize) {
    let cpu = own_cpu_seconds();
    let stop = Arc::new(AtomicBool::new(false));
    let return_url: Arc<str> = body["return_url"].as_str().unwrap_or_default().into();
    let body = Arc::new(serde_json::to_vec(&body).expect("body"));
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (checkouts, key) = (checkouts.to_owned(), key.to_owned());
        let (body, return_url, stop) = (body.clone(), return_url.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let client = client().expect("client");
            let mut tally = Tally::default();
            while !stop.load(Ordering::Relaxed) {
                let started = Instant::now();
                let bought = purchase(
                    &client,
                    &checkouts,
                    &key,
                    &body,
                    &return_url,
                    &mut tally.requests,
                )
                .await;
                match bought {
                    Ok(()) => tally.latencies.push(started.elapsed()),
                    Err(e) => {
                        tally.errors += 1;
                        tally.first_error.get_or_insert_with(|| format!("{e:#}"));
                    }
                }
            }
            tally
        }));
    }
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut all = Tally::default();
    for t in tasks {
        let t = t.await.expect("customer task");
        all.latencies.extend(t.latencies);
        all.requests += t.requests;
        all.errors += t.errors;
        all.first_error = all.first_error.or(t.first_error);
    }
    // Purchases under way at the deadline finish and count, so the time
    // runs until the last of them.
    let elapsed = started.elapsed().as_secs_f64();
    all.latencies.sort();
    let pct = |p: f64| {
        let n = all.latencies.len();
        all.latencies
            .get(((n as f64 * p) as usize).min(n.saturating_sub(1)))
            .map_or(0.0, Duration::as_secs_f64)
    };
    if let Some(e) = &all.first_error {
        eprintln!("{e}");
    }
    println!(
        "{} {} {elapsed} {} {} {} {}",
        all.latencies.len(),
        all.requests,
        pct(0.50),
        pct(0.99),
        all.errors,
        own_cpu_seconds() - cpu
    );
}

/// `kassa-bench --purchase-load CHECKOUTS_URL KEY BODY SECONDS CONNECTIONS`.
pub async fn child(args: &[String]) -> anyhow::Result<()> {
    anyhow::ensure!(args.len() == 7, "--purchase-load takes 5 arguments");
    let body: Value = serde_json::from_str(&args[4])?;
    load(&args[2], &args[3], body, args[5].parse()?, args[6].parse()?).await;
    Ok(())
}
