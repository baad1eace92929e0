//! A real HTTP webhook receiver on port 0 that records every request and
//! answers as the test plans (fail the first few, answer 410, be slow).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use tokio::sync::Notify;

/// One request the receiver got.
#[derive(Clone, Debug)]
pub struct Delivered {
    /// Lower-cased names.
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

impl Delivered {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", String::as_str)
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

#[derive(Default)]
struct State {
    got: Mutex<Vec<Delivered>>,
    /// Statuses for the next requests, in order; then 200.
    plan: Mutex<VecDeque<u16>>,
    delay: Mutex<Duration>,
    arrived: Notify,
}

pub struct Receiver {
    /// `http://127.0.0.1:<port>/hook`.
    pub url: String,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    pub async fn start() -> Receiver {
        Self::start_on("127.0.0.1:0").await
    }

    /// On a given address (to come back on the same port after a stop).
    pub async fn start_on(addr: &str) -> Receiver {
        let state = Arc::new(State::default());
        let shared = state.clone();
        let app = axum::Router::new().route(
            "/hook",
            post(move |headers: HeaderMap, body: Bytes| {
                let state = shared.clone();
                async move {
                    let headers = headers
                        .iter()
                        .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
                        .collect();
                    let status = state.plan.lock().unwrap().pop_front().unwrap_or(200);
                    // Recorded on arrival: a slow answer is still a delivery
                    // that reached the receiver.
                    state.got.lock().unwrap().push(Delivered {
                        headers,
                        body: body.to_vec(),
                    });
                    state.arrived.notify_waiters();
                    let delay = *state.delay.lock().unwrap();
                    if !delay.is_zero() {
                        tokio::time::sleep(delay).await;
                    }
                    (StatusCode::from_u16(status).unwrap(), "received")
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .expect("bind receiver");
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("receiver serves");
        });
        Receiver { url, state, task }
    }

    /// The next requests get these statuses, in order.
    pub fn plan(&self, statuses: &[u16]) {
        self.state.plan.lock().unwrap().extend(statuses);
    }

    /// Every answer waits this long first.
    pub fn delay(&self, by: Duration) {
        *self.state.delay.lock().unwrap() = by;
    }

    pub fn received(&self) -> Vec<Delivered> {
        self.state.got.lock().unwrap().clone()
    }

    /// Waits until at least `n` requests arrived (panics after `within`).
    pub async fn wait_for(&self, n: usize, within: Duration) -> Vec<Delivered> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let arrived = self.state.arrived.notified();
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                let got = self.received();
                assert!(got.len() >= n, "expected {n} deliveries, got {}", got.len());
                return got;
            }
        }
    }

    /// The address it listens on (to start another on the same port).
    pub fn addr(&self) -> String {
        self.url
            .trim_start_matches("http://")
            .trim_end_matches("/hook")
            .to_owned()
    }

    pub fn stop(self) {
        self.task.abort();
    }
}
