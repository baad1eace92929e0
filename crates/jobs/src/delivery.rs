//! One delivery attempt: render the payload, check the target, sign, POST,
//! and judge the response.

use std::net::IpAddr;
use std::time::Instant;

use async_trait::async_trait;
use kassa_core::tenancy::Scope;
use kassa_core::webhook::{Attempt, Event, PrivateTargets, RetrySchedule};
use kassa_store::{AfterAttempt, LeasedDelivery};
use time::OffsetDateTime;

use crate::canonical::to_canonical_json;

/// Renders an event's envelope in the dialect's wire shape, with the
/// object's state as it is now.
#[async_trait]
pub trait Payloads: Send + Sync {
    async fn envelope(&self, scope: &Scope, event: &Event) -> Result<serde_json::Value, String>;
}

/// What an attempt found, for the store and the log.
pub(crate) struct Outcome {
    pub attempt: Attempt,
    pub after: AfterAttempt,
    /// The endpoint answered 410 Gone: stop sending to it.
    pub gone: bool,
}

/// Sends deliveries over HTTP.
pub struct Sender {
    client: reqwest::Client,
    schedule: RetrySchedule,
    private_targets: PrivateTargets,
}

impl Sender {
    pub fn new(
        timeout: std::time::Duration,
        schedule: RetrySchedule,
        private_targets: PrivateTargets,
    ) -> Sender {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("Kassa-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("the HTTP client builds");
        Sender {
            client,
            schedule,
            private_targets,
        }
    }

    /// Makes the leased attempt and says what it leaves the delivery as.
    pub(crate) async fn attempt(
        &self,
        leased: &LeasedDelivery,
        payloads: &dyn Payloads,
        now: OffsetDateTime,
    ) -> Outcome {
        let started = Instant::now();
        let result = self.send(leased, payloads, now).await;
        let latency_ms = started.elapsed().as_millis().min(u32::MAX as u128) as u32;
        let (status_code, response) = match result {
            Ok((status, body)) => (Some(status), body),
            Err(why) => (None, why),
        };
        let succeeded = status_code.is_some_and(|s| (200..300).contains(&s));
        let gone = status_code == Some(410);
        let after = if succeeded {
            AfterAttempt::Succeeded
        } else if gone {
            AfterAttempt::Failed
        } else {
            match self.schedule.after_failure(leased.attempt) {
                Some(wait) => AfterAttempt::RetryAt(now + wait),
                None => AfterAttempt::Failed,
            }
        };
        Outcome {
            attempt: Attempt {
                number: leased.attempt,
                at: now,
                status_code,
                latency_ms,
                response,
                succeeded,
            },
            after,
            gone,
        }
    }

    async fn send(
        &self,
        leased: &LeasedDelivery,
        payloads: &dyn Payloads,
        now: OffsetDateTime,
    ) -> Result<(u16, String), String> {
        let envelope = payloads
            .envelope(&leased.scope, &leased.event)
            .await
            .map_err(|e| format!("could not render the payload: {e}"))?;
        let body = to_canonical_json(&envelope);
        self.check_target(leased).await?;
        let msg_id = leased.event.id.as_str();
        let timestamp = now.unix_timestamp();
        let signature = leased
            .endpoint
            .signing_secrets(now)
            .iter()
            .map(|s| s.sign(msg_id, timestamp, &body))
            .collect::<Vec<_>>()
            .join(" ");
        let mut request = self
            .client
            .post(leased.endpoint.url.as_str())
            .header("content-type", "application/json")
            .header("webhook-id", msg_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature);
        for (name, value) in leased.endpoint.headers.iter() {
            request = request.header(name, value);
        }
        let response = request.body(body).send().await.map_err(describe)?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.unwrap_or_default();
        Ok((status, excerpt(&bytes)))
    }

    /// Resolves the host and refuses private addresses where the policy
    /// does (a name can point anywhere; a literal was checked on create).
    async fn check_target(&self, leased: &LeasedDelivery) -> Result<(), String> {
        if self.private_targets.allowed(leased.scope.mode) {
            return Ok(());
        }
        let url = &leased.endpoint.url;
        let ips: Vec<IpAddr> = match url.literal_ip() {
            Some(ip) => vec![ip],
            None => {
                let host = url.host().to_string();
                tokio::net::lookup_host((host.as_str(), url.port()))
                    .await
                    .map_err(|e| format!("could not resolve {host}: {e}"))?
                    .map(|a| a.ip())
                    .collect()
            }
        };
        for ip in ips {
            self.private_targets
                .check(leased.scope.mode, ip)
                .map_err(|e| format!("refused: {e}"))?;
        }
        Ok(())
    }
}

fn describe(e: reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".into()
    } else if e.is_connect() {
        format!("could not connect: {e}")
    } else {
        format!("request failed: {e}")
    }
}

fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    match text.char_indices().nth(Attempt::EXCERPT) {
        Some((cut, _)) => text[..cut].to_owned(),
        None => text.into_owned(),
    }
}
