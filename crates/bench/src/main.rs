//! `kassa-bench`: Kassa's throughput as a ratio of a ceiling measured in
//! the same run on the same machine with the same load generator, because
//! absolute numbers on this shared 2-core VM drift by 10-40 % between runs
//! (perf-limits.md). Each mode pairs every Kassa run with a ceiling run just
//! before it and prints the median ratio over the rounds.
//!
//! The load generator runs in a child process of its own (like wrk would),
//! so it does not share the servers' runtime.
//!
//! Modes (`cargo run --release -p kassa-bench -- MODE …`):
//!
//! - `[checkouts] [seconds] [connections] [rounds]` (defaults 10, 64, 5):
//!   `POST /checkouts` on the embedded default (durable SQLite, group
//!   commit) against the JSON echo (perf-limits.md H2); with
//!   `--postgres URL` (or `KASSA_BENCH_DATABASE_URL`) on PostgreSQL against
//!   a raw axum + sqlx INSERT (P5), each in a fresh schema (`checkouts.rs`).
//! - `purchases [seconds] [connections] [rounds]` (defaults 10, 64, 5):
//!   whole purchases (create the session, load the hosted page, pay on it)
//!   with a webhook endpoint subscribed, against the echo (`purchases.rs`).
//! - `webhooks [events] [rounds]`: webhook deliveries against a bare HTTP
//!   client posting to the same receiver (`webhooks.rs`).
//! - `calls checkouts|echo N`: the workload `scripts/bench-instructions.sh`
//!   counts instructions of (`calls.rs`).

mod calls;
mod checkouts;
mod form;
mod pg;
mod purchase_load;
mod purchases;
mod webhooks;

/// mimalloc instead of glibc's malloc: a request allocates and frees many
/// small objects across two runtime threads, where glibc's arenas cost about
/// a seventh of the server's CPU under load (measured with `kassa-bench`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use axum::Json;
use axum::routing::post;
use serde_json::{Value, json};

/// One measured load: requests per second and latency percentiles.
struct Measured {
    rps: f64,
    seconds: f64,
    p50: Duration,
    p99: Duration,
    errors: u64,
    /// CPU seconds the load generator itself used.
    client_cpu: f64,
}

/// `POST url` with the benchmark's key and JSON body.
fn post_json(
    client: &reqwest::Client,
    url: &str,
    key: &str,
    body: Vec<u8>,
) -> reqwest::RequestBuilder {
    client
        .post(url)
        .bearer_auth(key)
        .header("content-type", "application/json")
        .body(body)
}

/// `connections` keep-alive clients POST `body` to `url` as fast as they
/// can for `seconds`; every non-2xx answer counts as an error. Runs in the
/// load generator's process, whose CPU it reports.
async fn load(url: &str, key: &str, body: Value, seconds: u64, connections: usize) -> Measured {
    let cpu = own_cpu_seconds();
    let stop = Arc::new(AtomicBool::new(false));
    let body = Arc::new(serde_json::to_vec(&body).expect("body"));
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (url, key, body, stop) = (url.to_owned(), key.to_owned(), body.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::builder()
                .pool_max_idle_per_host(1)
                .build()
                .expect("client");
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let started = Instant::now();
                let sent = post_json(&client, &url, &key, body.as_ref().clone())
                    .send()
                    .await;
                match sent {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        latencies.push(started.elapsed());
                    }
                    _ => errors += 1,
                }
            }
            (latencies, errors)
        }));
    }
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.expect("client task");
        all.extend(l);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Measured {
        rps: all.len() as f64 / elapsed,
        seconds: elapsed,
        p50: pct(0.50),
        p99: pct(0.99),
        errors,
        client_cpu: own_cpu_seconds() - cpu,
    }
}

/// Where a fresh Kassa keeps its store.
enum Data {
    /// A temporary data dir holding the SQLite file (durable, FULL).
    Sqlite(tempfile::TempDir),
    /// A PostgreSQL schema of its own, dropped with this.
    Postgres(pg::Schema),
}

impl Data {
    fn backend(&self) -> kassa_server::Backend {
        match self {
            Data::Sqlite(dir) => kassa_server::Backend::Sqlite {
                data_dir: dir.path().to_owned(),
            },
            Data::Postgres(schema) => kassa_server::Backend::Postgres { url: schema.url() },
        }
    }
}

/// A Kassa over a fresh store with its demo business, serving on a free
/// port.
struct Fresh {
    app: std::sync::Arc<kassa_app::App>,
    key: kassa_app::IssuedKey,
    server: kassa_server::RunningServer,
    /// `http://127.0.0.1:<port>`.
    base: String,
    /// The store's place, declared last so that it is removed after the
    /// store (fields drop in order): the SQLite store's last checkpoint
    /// finds its file, and a schema is dropped once nothing uses it.
    data: Data,
}

impl Fresh {
    /// Over the embedded default: a fresh SQLite file.
    async fn start(worker: kassa_server::WorkerConfig) -> anyhow::Result<Fresh> {
        Self::start_on(Data::Sqlite(tempfile::tempdir()?), worker).await
    }

    async fn start_on(data: Data, worker: kassa_server::WorkerConfig) -> anyhow::Result<Fresh> {
        let app = kassa_server::open_app(&data.backend()).await?;
        let (_, key) = app.bootstrap().await?.context("a fresh store bootstraps")?;
        let server = kassa_server::serve_with(app.clone(), "127.0.0.1:0".parse()?, worker).await?;
        let base = format!("http://{}", server.addr);
        Ok(Fresh {
            data,
            app,
            key,
            server,
            base,
        })
    }
}

/// Creates the benchmark's product; returns the checkouts URL and the body.
async fn checkout_body(
    http: &reqwest::Client,
    base: &str,
    key: &str,
) -> anyhow::Result<(String, Value)> {
    let product: Value = http
        .post(format!("{base}/products"))
        .bearer_auth(key)
        .json(&json!({"name": "Bench e-book", "tax_category": "e_book",
                      "price": {"type": "one_time_price", "price": 1999, "currency": "EUR",
                                "discount": 0, "purchasing_power_parity": false}}))
        .send()
        .await?
        .json()
        .await?;
    let checkout = json!({
        "product_cart": [{"product_id": product["product_id"], "quantity": 2}],
        "customer": {"email": "bench@example.com", "name": "Bench"},
        "billing_address": {"country": "DE", "zipcode": "10115"},
        "return_url": "https://merchant.example/thanks",
        "metadata": {"order": "bench"},
    });
    Ok((format!("{base}/checkouts"), checkout))
}

/// The ceiling: axum parsing a JSON body with serde_json and echoing it.
async fn echo_server() -> anyhow::Result<String> {
    let app =
        axum::Router::new().route("/echo", post(|Json(v): Json<Value>| async move { Json(v) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(format!("http://{addr}/echo"))
}

/// Runs this program with `args` as a load generator child: the `count`
/// numbers of its one-line result, and what it said on stderr.
fn run_child(args: &[&str], count: usize) -> anyhow::Result<(Vec<f64>, String)> {
    let out = std::process::Command::new(std::env::current_exe()?)
        .args(args)
        .output()?;
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    anyhow::ensure!(out.status.success(), "load generator failed: {stderr}");
    let line = String::from_utf8(out.stdout)?;
    let v: Vec<f64> = line
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    anyhow::ensure!(v.len() == count, "unexpected load output `{line}`");
    Ok((v, stderr))
}

/// Runs [`load`] in a child process and reads its one-line result.
fn load_in_child(
    url: &str,
    key: &str,
    body: &Value,
    seconds: u64,
    connections: usize,
) -> anyhow::Result<Measured> {
    let (v, _) = run_child(
        &[
            "--load",
            url,
            key,
            &body.to_string(),
            &seconds.to_string(),
            &connections.to_string(),
        ],
        5,
    )?;
    Ok(Measured {
        rps: v[0],
        seconds: seconds as f64,
        p50: Duration::from_secs_f64(v[1]),
        p99: Duration::from_secs_f64(v[2]),
        errors: v[3] as u64,
        client_cpu: v[4],
    })
}

/// The `i`-th argument as a number, or `default` when there is none.
fn arg<T>(args: &[String], i: usize, default: T) -> anyhow::Result<T>
where
    T: std::str::FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    let Some(raw) = args.get(i) else {
        return Ok(default);
    };
    raw.parse()
        .with_context(|| format!("`{raw}` is not a number"))
}

/// `kassa-bench --load URL KEY BODY SECONDS CONNECTIONS`: the child side.
async fn child(args: &[String]) -> anyhow::Result<()> {
    let body: Value = serde_json::from_str(&args[4])?;
    let m = load(&args[2], &args[3], body, args[5].parse()?, args[6].parse()?).await;
    println!(
        "{} {} {} {} {}",
        m.rps,
        m.p50.as_secs_f64(),
        m.p99.as_secs_f64(),
        m.errors,
        m.client_cpu
    );
    Ok(())
}

/// CPU seconds this process has used (the servers' in the parent, the load
/// generator's in the child), from `/proc/self/stat` (utime + stime, in
/// clock ticks of 1/100 s).
fn own_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit_once(") ").map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // Fields 14 and 15 of stat(5); the slice starts at field 3.
    (ticks(11) + ticks(12)) / 100.0
}

/// The machine's idle and total CPU time so far, in clock ticks, from the
/// first line of `/proc/stat` (idle and iowait count as idle).
fn machine_ticks() -> (u64, u64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let ticks: Vec<u64> = stat
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .filter_map(|t| t.parse().ok())
        .collect();
    let idle = ticks.get(3).copied().unwrap_or(0) + ticks.get(4).copied().unwrap_or(0);
    (idle, ticks.iter().take(8).sum())
}

/// What one measured run cost: this process's CPU and the machine's idle share.
struct Cost {
    cpu: f64,
    ticks: (u64, u64),
}

impl Cost {
    fn start() -> Cost {
        Cost {
            cpu: own_cpu_seconds(),
            ticks: machine_ticks(),
        }
    }
}

fn report(name: &str, m: &Measured, since: Cost) {
    let requests = m.rps * m.seconds;
    let (idle, total) = machine_ticks();
    let idle_share = (idle - since.ticks.0) as f64 / (total - since.ticks.1).max(1) as f64;
    println!(
        "{name:<26} {:>9.0} req/s   p50 {:>7.2} ms   p99 {:>7.2} ms   server CPU {:>5.1} µs/req   client CPU {:>5.1} µs/req   machine idle {:>3.0} %   errors {}",
        m.rps,
        m.p50.as_secs_f64() * 1e3,
        m.p99.as_secs_f64() * 1e3,
        (own_cpu_seconds() - since.cpu) / requests.max(1.0) * 1e6,
        m.client_cpu / requests.max(1.0) * 1e6,
        idle_share * 100.0,
        m.errors
    );
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("--load") => return child(&args).await,
        Some("--purchase-load") => return purchase_load::child(&args).await,
        _ => {}
    }
    // The server side runs as `kassa serve` does: request spans and the
    // Prometheus recorder included.
    kassa_server::init_tracing();
    match args.get(1).map(String::as_str) {
        Some("webhooks") => webhooks::run(&args[2..]).await,
        Some("purchases") => purchases::run(&args[2..]).await,
        Some("checkouts") => checkouts::run(&args[2..]).await,
        Some("calls") => {
            let target = args.get(2).map_or("checkouts", String::as_str);
            calls::run(target, arg(&args, 3, 1000)?).await
        }
        // The first mode, from before modes had names.
        _ => checkouts::run(&args[1..]).await,
    }
}
