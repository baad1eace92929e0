//! Webhooks across real `kassa serve` processes: a server killed in the
//! middle of deliveries loses none of them after a restart, and two nodes
//! on one PostgreSQL database never make the same first attempt twice.
//! Without `KASSA_TEST_DATABASE_URL` the PostgreSQL test is skipped and
//! counted (or fails under `CI=true`).

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use kassa_testkit::TestSchema;
use kassa_testkit::receiver::{Delivered, Receiver};
use serde_json::{Value, json};

/// A running `kassa serve`, killed when dropped.
struct Node {
    child: Child,
    url: String,
    /// The demo business's test key, printed on the first start only.
    key: Option<String>,
}

impl Node {
    fn start(args: &[&str]) -> Node {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kassa"))
            .arg("serve")
            .args(["--bind", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("kassa starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut key = None;
        let url = loop {
            let line = lines.next().expect("kassa prints its address").unwrap();
            if let Some(k) = line.strip_prefix("Test API key (shown once): ") {
                key = Some(k.trim().to_owned());
            }
            if let Some(url) = line.strip_prefix("Kassa listening on ") {
                break url.trim().to_owned();
            }
        };
        // Keep draining stdout so the child never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Node { child, url, key }
    }

    /// Ends the process at once, as a crash would: no graceful shutdown.
    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    async fn call(&self, key: &str, method: &str, path: &str, body: Option<Value>) -> Value {
        let client = reqwest::Client::new();
        let mut req = client
            .request(method.parse().unwrap(), format!("{}{path}", self.url))
            .bearer_auth(key);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status();
        let body: Value = resp.json().await.unwrap_or(Value::Null);
        assert!(status.is_success(), "{method} {path}: {status} {body}");
        body
    }

    async fn trigger(&self, key: &str, endpoint: &str) -> String {
        let reply = self
            .call(
                key,
                "POST",
                &format!("/kassa/webhooks/{endpoint}/trigger"),
                Some(json!({"event_type": "payment.succeeded"})),
            )
            .await;
        reply["event_id"].as_str().unwrap().to_owned()
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn ids(got: &[Delivered]) -> HashSet<String> {
    got.iter()
        .map(|d| d.header("webhook-id").to_owned())
        .collect()
}

/// Waits until the receivers together heard every id in `want`.
async fn until_all_heard(receivers: &[&Receiver], want: &HashSet<String>, within: Duration) {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let heard: HashSet<String> = receivers.iter().flat_map(|r| ids(&r.received())).collect();
        if want.is_subset(&heard) {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{} of {} events never arrived",
            want.difference(&heard).count(),
            want.len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_delivery_delivers_every_event_after_its_restart() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap().to_owned();
    let flags = [
        "--data-dir",
        data.as_str(),
        "--webhook-retry-schedule",
        // Twenty attempts 200 ms apart: the receiver is down for the first second or so.
        "0,200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms",
        "--webhook-lease-seconds",
        "2",
    ];
    let first = Node::start(&flags);
    let key = first.key.clone().expect("a fresh data dir prints a key");

    // A receiver that takes every request and never answers in time.
    let slow = Receiver::start().await;
    slow.delay(Duration::from_secs(60));
    let addr = slow.addr();
    let endpoint = first
        .call(&key, "POST", "/webhooks", Some(json!({"url": slow.url})))
        .await;
    let endpoint = endpoint["id"].as_str().unwrap().to_owned();
    let mut events = HashSet::new();
    for _ in 0..20 {
        events.insert(first.trigger(&key, &endpoint).await);
    }
    slow.wait_for(1, Duration::from_secs(10)).await;
    first.kill();
    slow.stop();

    // Back up while the receiver is still down: attempts fail and are
    // retried; more events arrive meanwhile.
    let second = Node::start(&flags);
    for _ in 0..5 {
        events.insert(second.trigger(&key, &endpoint).await);
    }
    tokio::time::sleep(Duration::from_millis(700)).await;
    let back = Receiver::start_on(&addr).await;
    until_all_heard(&[&back], &events, Duration::from_secs(30)).await;
    second.kill();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_on_one_postgres_database_make_each_first_attempt_once() {
    let test = "webhook_processes::two_nodes_on_one_postgres_database_make_each_first_attempt_once";
    let Some(schema) = TestSchema::fresh(test, "nodes") else {
        return;
    };
    let url = schema.create_url().await;

    let a = Node::start(&["--database-url", &url]);
    let key = a.key.clone().expect("the first node bootstraps");
    let b = Node::start(&["--database-url", &url]);
    assert!(b.key.is_none(), "the second node finds the business");

    let hook = Receiver::start().await;
    hook.delay(Duration::from_millis(20));
    let endpoint = a
        .call(&key, "POST", "/webhooks", Some(json!({"url": hook.url})))
        .await;
    let endpoint = endpoint["id"].as_str().unwrap().to_owned();

    const N: usize = 120;
    let (from_a, from_b) = tokio::join!(
        async {
            let mut ids = Vec::new();
            for _ in 0..N / 2 {
                ids.push(a.trigger(&key, &endpoint).await);
            }
            ids
        },
        async {
            let mut ids = Vec::new();
            for _ in 0..N / 2 {
                ids.push(b.trigger(&key, &endpoint).await);
            }
            ids
        }
    );
    let events: HashSet<String> = from_a.into_iter().chain(from_b).collect();
    assert_eq!(events.len(), N);
    until_all_heard(&[&hook], &events, Duration::from_secs(30)).await;
    // Time for any duplicate to show up.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let got = hook.received();
    assert_eq!(got.len(), N, "exactly one first attempt per event");
    assert_eq!(ids(&got), events);
    a.kill();
    b.kill();
}

/// Runs a `kassa webhooks …` command against `node`; its stdout.
fn cli(node: &Node, key: &str, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_kassa"))
        .arg("webhooks")
        .args(args)
        .args(["--url", &node.url, "--api-key", key])
        .output()
        .expect("kassa runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `kassa webhooks tail --once` once it shows `n` attempts.
async fn tail_lines(node: &Node, key: &str, n: usize) -> Vec<String> {
    for _ in 0..200 {
        let out = cli(node, key, &["tail", "--once"]);
        let lines: Vec<String> = out.lines().map(str::to_owned).collect();
        if lines.len() >= n {
            return lines;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("tail never showed {n} attempts");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_tails_attempts_replays_failures_and_resends_a_delivery() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap().to_owned();
    let node = Node::start(&["--data-dir", &data, "--webhook-retry-schedule", "0,50ms"]);
    let key = node.key.clone().unwrap();
    let hook = Receiver::start().await;
    hook.plan(&[500, 502]);
    let endpoint = node
        .call(&key, "POST", "/webhooks", Some(json!({"url": hook.url})))
        .await;
    let endpoint = endpoint["id"].as_str().unwrap().to_owned();
    let event = node.trigger(&key, &endpoint).await;

    let lines = tail_lines(&node, &key, 2).await;
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].contains(&event) && lines[0].contains("#1 500") && lines[0].contains("failed")
    );
    assert!(
        lines[1].contains("payment.succeeded") && lines[1].contains("#2 502"),
        "{lines:?}"
    );

    let replayed = cli(
        &node,
        &key,
        &["replay", &endpoint, "--since", "2000-01-01T00:00:00Z"],
    );
    assert_eq!(replayed.trim(), "1");
    let lines = tail_lines(&node, &key, 3).await;
    assert!(
        lines[2].contains("#3 200 ") && lines[2].contains(" ok"),
        "{lines:?}"
    );

    cli(&node, &key, &["resend", &endpoint, &event]);
    let lines = tail_lines(&node, &key, 4).await;
    assert!(
        lines[3].contains(&event) && lines[3].contains("#4 200"),
        "{lines:?}"
    );
    assert_eq!(hook.received().len(), 4);
}
