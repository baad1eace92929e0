//! One `kassa serve` per embedded data dir: a second one on the same SQLite
//! file stops at start with a clear message, and the dir is free again once
//! the first process is gone, however it ended. Servers on different dirs
//! run at once, each answering from its own data.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

fn kassa_serve(data_dir: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kassa"));
    cmd.args(["serve", "--bind", "127.0.0.1:0", "--data-dir", data_dir]);
    cmd
}

/// A running `kassa serve`: its address and the demo key it printed.
struct Server {
    child: Child,
    url: String,
    key: String,
}

impl Server {
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// `method path` with `key`: (status, JSON body).
    async fn call(&self, key: &str, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = reqwest::Client::new()
            .request(method.parse().unwrap(), format!("{}{path}", self.url))
            .bearer_auth(key);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.expect("the server answers");
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }
}

/// Starts a server and waits until it listens.
fn start(data_dir: &str) -> Server {
    let mut child = kassa_serve(data_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("kassa starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut key = String::new();
    let url = loop {
        let line = lines.next().expect("kassa prints its address").unwrap();
        if let Some(k) = line.strip_prefix("Test API key (shown once): ") {
            key = k.to_owned();
        }
        if let Some(url) = line.strip_prefix("Kassa listening on ") {
            break url.to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Server { child, url, key }
}

#[test]
fn a_second_server_on_the_same_data_dir_is_refused_until_the_first_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let first = start(data);

    let second = kassa_serve(data).output().expect("second kassa runs");
    assert!(!second.status.success(), "the second server must not start");
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.contains("another `kassa serve` is using the data dir"),
        "the refusal names the problem: {stderr}"
    );

    // A crash releases the dir: the next start succeeds.
    first.kill();
    start(data).kill();
}

#[tokio::test]
async fn servers_on_different_data_dirs_run_side_by_side() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let first = start(a.path().to_str().unwrap());
    let second = start(b.path().to_str().unwrap());
    assert!(first.key.starts_with("sk_test_") && second.key.starts_with("sk_test_"));
    assert_ne!(
        first.key, second.key,
        "each dir bootstrapped its own demo business"
    );
    assert_ne!(first.url, second.url);

    // Both answer at once, each from its own store.
    let product = json!({"name": "Only on A", "tax_category": "saas",
        "price": {"type": "one_time_price", "price": 500, "currency": "USD",
                  "discount": 0, "purchasing_power_parity": false}});
    let (status, made) = first
        .call(&first.key, "POST", "/products", Some(product))
        .await;
    assert_eq!(status, 200, "{made}");
    let id = made["product_id"].as_str().unwrap();
    let (status, on_a) = first.call(&first.key, "GET", "/products", None).await;
    assert_eq!(status, 200, "{on_a}");
    assert_eq!(on_a["items"].as_array().unwrap().len(), 1);
    assert_eq!(on_a["items"][0]["product_id"], id);
    let (status, on_b) = second.call(&second.key, "GET", "/products", None).await;
    assert_eq!(status, 200, "{on_b}");
    assert_eq!(on_b["items"], json!([]), "B does not see A's product");
    let (status, _) = second
        .call(&second.key, "GET", &format!("/products/{id}"), None)
        .await;
    assert_eq!(status, 404);

    // And each knows only its own key.
    let (status, _) = first.call(&second.key, "GET", "/products", None).await;
    assert_eq!(status, 401, "A refuses B's key");
    let (status, _) = second.call(&first.key, "GET", "/products", None).await;
    assert_eq!(status, 401, "B refuses A's key");
    for server in [first, second] {
        server.kill();
    }
}
