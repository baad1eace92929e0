//! Observability: `tracing` logs and Prometheus metrics.

use std::collections::HashMap;
use std::sync::{OnceLock, RwLock};

use axum::http::Method;
use axum::response::IntoResponse;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tracing_subscriber::EnvFilter;

/// Logs to stderr, filtered by `RUST_LOG` (default `info`). Safe to call twice.
///
/// Colours only on a terminal: a log file or journal gets plain text, and
/// the request span's fields are not wrapped in escape codes on every
/// request (a measurable share of a checkout's CPU under load).
pub fn init_tracing() {
    use std::io::IsTerminal;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}

/// How often buffered histogram samples are folded into their buckets.
const UPKEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// The process-wide recorder; installed once, however many servers a test
/// process starts.
fn prometheus() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        // Histograms buffer every raw sample until upkeep folds them into
        // buckets; without it an unscraped server grows by every request's
        // latency (measured: about 13 bytes a request, a gigabyte a day
        // at 1k req/s).
        let upkeep = handle.clone();
        std::thread::Builder::new()
            .name("kassa-metrics".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(UPKEEP_EVERY);
                    upkeep.run_upkeep();
                }
            })
            .expect("spawn the metrics upkeep thread");
        // Another recorder may already be installed (embedding); then this
        // handle simply renders nothing new.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// `GET /metrics` in the Prometheus text format.
pub async fn metrics() -> impl IntoResponse {
    (
        [("content-type", "text/plain; version=0.0.4")],
        prometheus().render(),
    )
}

/// Counts a request and its latency by method, route template and status.
pub fn record(route: &str, method: &Method, status: u16, latency: std::time::Duration) {
    prometheus();
    let handles = handles(route, method, status);
    handles.requests.increment(1);
    handles.duration.record(latency.as_secs_f64());
}

/// A series' registered handles; cloning one is a reference count.
#[derive(Clone)]
struct Series {
    requests: metrics::Counter,
    duration: metrics::Histogram,
}

/// Series by route, then by method and status: looking one up costs no
/// allocation once it exists (registering label sets on every request was
/// a visible share of a checkout's CPU).
type SeriesTable = HashMap<String, HashMap<(Method, u16), Series>>;

fn handles(route: &str, method: &Method, status: u16) -> Series {
    static TABLE: OnceLock<RwLock<SeriesTable>> = OnceLock::new();
    let table = TABLE.get_or_init(RwLock::default);
    if let Some(series) = table
        .read()
        .expect("metrics table")
        .get(route)
        .and_then(|by| by.get(&(method.clone(), status)))
    {
        return series.clone();
    }
    let labels = [
        ("method", method.to_string()),
        ("route", route.to_owned()),
        ("status", status.to_string()),
    ];
    let series = Series {
        requests: metrics::counter!("kassa_http_requests_total", &labels),
        duration: metrics::histogram!("kassa_http_request_duration_seconds", &labels),
    };
    table
        .write()
        .expect("metrics table")
        .entry(route.to_owned())
        .or_default()
        .insert((method.clone(), status), series.clone());
    series
}
