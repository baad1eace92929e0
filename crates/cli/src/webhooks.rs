//! `kassa webhooks …`: follow, resend and replay deliveries of a running
//! server through its API (so it works against any node, SQLite or
//! PostgreSQL, local or remote).

use std::time::Duration;

use anyhow::Context;
use clap::{Args, Subcommand};
use serde_json::{Value, json};

/// Where the server is and whose deliveries to show.
#[derive(Args, Clone)]
pub struct Remote {
    /// Base URL of a running Kassa.
    #[arg(long, env = "KASSA_URL", default_value = "http://127.0.0.1:8080")]
    url: String,
    /// An API key of the business (test or live).
    #[arg(long, env = "KASSA_API_KEY")]
    api_key: String,
}

#[derive(Subcommand)]
pub enum WebhooksCommand {
    /// Print delivery attempts as they happen (from the oldest kept).
    Tail {
        #[command(flatten)]
        remote: Remote,
        /// Print what is there and exit instead of following.
        #[arg(long)]
        once: bool,
    },
    /// Send one delivery (an event to an endpoint) again now.
    Resend {
        #[command(flatten)]
        remote: Remote,
        endpoint: String,
        event: String,
    },
    /// Send every failed delivery of an endpoint since a time (RFC 3339) again.
    Replay {
        #[command(flatten)]
        remote: Remote,
        endpoint: String,
        #[arg(long)]
        since: String,
    },
}

pub async fn run(command: WebhooksCommand) -> anyhow::Result<()> {
    match command {
        WebhooksCommand::Tail { remote, once } => tail(&remote, once).await,
        WebhooksCommand::Resend {
            remote,
            endpoint,
            event,
        } => {
            let path = format!("/kassa/webhooks/{endpoint}/deliveries/{event}/resend");
            call(&remote, "POST", &path, None).await?;
            eprintln!("{event} will be sent to {endpoint} again now");
            Ok(())
        }
        WebhooksCommand::Replay {
            remote,
            endpoint,
            since,
        } => {
            let path = format!("/kassa/webhooks/{endpoint}/replay");
            let done = call(&remote, "POST", &path, Some(json!({ "since": since }))).await?;
            println!("{}", done["replayed"]);
            Ok(())
        }
    }
}

pub(crate) async fn call(
    remote: &Remote,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> anyhow::Result<Value> {
    let url = format!("{}{path}", remote.url.trim_end_matches('/'));
    let mut request = reqwest::Client::new()
        .request(method.parse()?, &url)
        .bearer_auth(&remote.api_key);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request
        .send()
        .await
        .with_context(|| format!("reaching {url}"))?;
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    if !status.is_success() {
        anyhow::bail!("{method} {path}: {status} {text}");
    }
    Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// One line per attempt: when, what, where, which attempt, and how it went.
fn line(a: &Value) -> String {
    let outcome = match a["status_code"].as_u64() {
        Some(code) => code.to_string(),
        None => "---".to_owned(),
    };
    let verdict = if a["succeeded"] == true {
        "ok"
    } else {
        "failed"
    };
    let mut response: String = a["response"]
        .as_str()
        .unwrap_or("")
        .chars()
        .take(60)
        .collect();
    response = response.replace(['\n', '\r'], " ");
    format!(
        "{} {} {:<28} -> {} #{} {} {}ms {} {}",
        a["at"].as_str().unwrap_or(""),
        a["event_id"].as_str().unwrap_or(""),
        a["event_type"].as_str().unwrap_or(""),
        a["endpoint_id"].as_str().unwrap_or(""),
        a["attempt"],
        outcome,
        a["latency_ms"],
        verdict,
        response
    )
}

async fn tail(remote: &Remote, once: bool) -> anyhow::Result<()> {
    let mut cursor = 0i64;
    loop {
        let page = call(
            remote,
            "GET",
            &format!("/kassa/webhook-attempts?after={cursor}&limit=500"),
            None,
        )
        .await?;
        let items = page["items"].as_array().cloned().unwrap_or_default();
        for attempt in &items {
            println!("{}", line(attempt));
        }
        cursor = page["cursor"].as_i64().unwrap_or(cursor);
        if items.len() == 500 {
            continue;
        }
        if once {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
