//! Webhooks and jobs across real `kassa serve` processes: a server killed
//! in the middle of deliveries loses none of them after a restart, and two
//! nodes on one PostgreSQL database never make the same first attempt
//! twice, nor run a due job (a session's expiry, its webhook) twice.
//! Without `KASSA_TEST_DATABASE_URL` the PostgreSQL tests are skipped and
//! counted (or fail under `CI=true`).

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use kassa_testkit::TestSchema;
use kassa_testkit::receiver::{Delivered, Receiver};
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

/// A running `kassa serve`, killed when dropped.
struct Node {
    child: Child,
    url: String,
    /// The demo business's test key, printed on the first start only.
    key: Option<String>,
}

impl Node {
    fn start(args: &[&str]) -> Node {
        Self::spawn(args, Stdio::null(), None)
    }

    /// Like [`Node::start`], logging each job it runs (`RUST_LOG` at debug
    /// for the job worker) into `log`.
    fn start_logging_jobs(args: &[&str], log: &Path) -> Node {
        let file = std::fs::File::create(log).expect("a log file");
        Self::spawn(args, file.into(), Some("info,kassa_jobs=debug"))
    }

    fn spawn(args: &[&str], stderr: Stdio, rust_log: Option<&str>) -> Node {
        let mut command = Command::new(env!("CARGO_BIN_EXE_kassa"));
        command
            .arg("serve")
            .args(["--bind", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(stderr);
        if let Some(filter) = rust_log {
            command.env("RUST_LOG", filter);
        }
        let mut child = command.spawn().expect("kassa starts");
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

/// Each job's kind, status and attempts (leases taken), by id.
async fn jobs(db: &sqlx::PgPool) -> Vec<(String, String, String, i64)> {
    sqlx::query_as("SELECT id, kind, status, attempts FROM jobs ORDER BY id")
        .fetch_all(db)
        .await
        .expect("read the jobs table")
}

/// How often each `kind` job shows in a `job run` line of a node's log.
fn runs_logged(log: &Path, kind: &str) -> HashMap<String, usize> {
    let text = std::fs::read_to_string(log).expect("the node's log");
    let mut runs = HashMap::new();
    for line in text.lines() {
        if !(line.contains("job run") && line.contains(&format!("kind={kind}"))) {
            continue;
        }
        let job = line
            .split_whitespace()
            .find_map(|w| w.strip_prefix("job="))
            .expect("a job run line names its job");
        *runs.entry(job.to_owned()).or_insert(0) += 1;
    }
    runs
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_on_one_postgres_database_run_each_due_expiry_and_its_webhook_once() {
    let test = "webhook_processes::two_nodes_on_one_postgres_database_run_each_due_expiry_and_its_webhook_once";
    let Some(schema) = TestSchema::fresh(test, "jobs") else {
        return;
    };
    let url = schema.create_url().await;
    let logs = tempfile::tempdir().unwrap();
    let (log_a, log_b) = (logs.path().join("a.log"), logs.path().join("b.log"));
    let a = Node::start_logging_jobs(&["--database-url", &url], &log_a);
    let key = a.key.clone().expect("the first node bootstraps");
    let b = Node::start_logging_jobs(&["--database-url", &url], &log_b);

    let hook = Receiver::start().await;
    let filter = json!({"url": hook.url, "filter_types": ["payment.cancelled"]});
    b.call(&key, "POST", "/webhooks", Some(filter)).await;
    let product = a
        .call(
            &key,
            "POST",
            "/products",
            Some(
                json!({"name": "Left unpaid", "tax_category": "digital_products",
                "price": {"type": "one_time_price", "price": 900, "currency": "USD",
                          "discount": 0, "purchasing_power_parity": false}}),
            ),
        )
        .await;
    let product = product["product_id"].as_str().unwrap().to_owned();

    // N confirmed sessions, half through each node, each with a pending
    // payment and an expiry job due 15 minutes on; spread over a few
    // seconds so that their expiries fall due across several polls.
    const N: usize = 24;
    let mut payments = HashSet::new();
    for i in 0..N {
        let node = if i % 2 == 0 { &a } else { &b };
        let session = node
            .call(
                &key,
                "POST",
                "/checkouts",
                Some(
                    json!({"product_cart": [{"product_id": product, "quantity": 1}],
                    "confirm": true,
                    "customer": {"email": format!("late{i}@example.com"), "name": "Late"},
                    "billing_address": {"country": "US", "state": "OR", "city": "Portland",
                                        "street": "1 Oak St", "zipcode": "97201"}}),
                ),
            )
            .await;
        payments.insert(session["payment_id"].as_str().unwrap().to_owned());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(payments.len(), N);

    // Bring the test clock to just before the first expiry. The advance
    // itself runs nothing; the expiries then fall due by the wall clock,
    // with neither node woken, so the two nodes' workers find them on
    // their own polls and compete for each. (Past one second, neither
    // node trusts a clock offset it read before the advance.)
    let db = sqlx::PgPool::connect(&url).await.expect("connect");
    let (first,): (i64,) =
        sqlx::query_as("SELECT min(run_at) FROM jobs WHERE kind = 'expire_session'")
            .fetch_one(&db)
            .await
            .unwrap();
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let to = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(first - 500_000) * 1_000)
        .unwrap()
        .format(&Rfc3339)
        .unwrap();
    let advanced = a
        .call(
            &key,
            "POST",
            "/kassa/test-clock/advance",
            Some(json!({"to": to})),
        )
        .await;
    assert_eq!(advanced["jobs_run"], 0, "{advanced}");

    // Done when every job has ended (an expiry commits its delivery job
    // with its effect): no run, and so no delivery, can follow.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let pending = jobs(&db)
            .await
            .into_iter()
            .filter(|(_, _, status, _)| status == "pending")
            .count();
        if pending == 0 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{pending} jobs still pending, {} of {N} webhooks heard",
            hook.received().len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    for (i, payment) in payments.iter().enumerate() {
        let node = if i % 2 == 0 { &b } else { &a };
        let got = node
            .call(&key, "GET", &format!("/payments/{payment}"), None)
            .await;
        assert_eq!(got["status"], "cancelled", "{got}");
    }
    let heard: Vec<String> = hook
        .received()
        .iter()
        .map(|d| {
            let body = d.json();
            assert_eq!(body["type"], "payment.cancelled", "{body}");
            body["data"]["payment_id"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(heard.len(), N, "one payment.cancelled delivery per payment");
    assert_eq!(heard.into_iter().collect::<HashSet<_>>(), payments);

    let all = jobs(&db).await;
    let kinds = |kind: &str| all.iter().filter(|j| j.1 == kind).count();
    assert_eq!(kinds("expire_session"), N, "{all:?}");
    assert_eq!(kinds("deliver"), N, "{all:?}");
    for (id, kind, status, attempts) in &all {
        assert_eq!(
            (status.as_str(), *attempts),
            ("succeeded", 1),
            "{kind} job {id} ran once and succeeded"
        );
    }
    // Each node logged the expiries it ran: together, each one once.
    let (by_a, by_b) = (
        runs_logged(&log_a, "expire_session"),
        runs_logged(&log_b, "expire_session"),
    );
    let mut ran: HashMap<String, usize> = by_a.clone();
    for (job, n) in &by_b {
        *ran.entry(job.clone()).or_insert(0) += n;
    }
    assert_eq!(ran.len(), N, "every expiry shows in a node's log");
    assert!(
        ran.values().all(|&n| n == 1),
        "an expiry ran twice: {ran:?}"
    );
    eprintln!(
        "expiries run: {} by node a, {} by node b",
        by_a.len(),
        by_b.len()
    );
    db.close().await;
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
