//! `kassa-bench calls checkouts|echo N`: the workload whose instructions
//! `scripts/bench-instructions.sh` counts under callgrind.

use crate::{Fresh, checkout_body, echo_server, post_json};

/// `kassa-bench calls checkouts|echo N`: N requests one after another over
/// one connection, to Kassa's `POST /checkouts` or to the echo, for counting
/// instructions under callgrind: deterministic, unlike wall-clock rates on
/// this noisy machine. `scripts/bench-instructions.sh` runs it for two
/// values of N and divides the difference in instructions by the difference
/// in N, which cancels the start-up.
pub async fn run(target: &str, n: usize) -> anyhow::Result<()> {
    let fresh = Fresh::start(kassa_server::WorkerConfig::default()).await?;
    let http = reqwest::Client::new();
    let (checkouts, body) = checkout_body(&http, &fresh.base, &fresh.key.secret).await?;
    let url = match target {
        "checkouts" => checkouts,
        "echo" => echo_server().await?,
        other => anyhow::bail!("`calls` takes `checkouts` or `echo`, not `{other}`"),
    };
    let body = serde_json::to_vec(&body)?;
    for _ in 0..n {
        let r = post_json(&http, &url, &fresh.key.secret, body.clone())
            .send()
            .await?;
        anyhow::ensure!(r.status().is_success(), "request failed: {}", r.status());
        r.bytes().await?;
    }
    fresh.server.stop().await?;
    Ok(())
}
