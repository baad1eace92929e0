//! One delivery attempt: the endpoint's dialect renders and signs the
//! body; here the target is checked, the body POSTed and the response
//! judged.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Instant;

use async_trait::async_trait;
use kassa_core::tenancy::Scope;
use kassa_core::webhook::{
    Attempt, Dialect, Event, PrivateTargets, RetrySchedule, WebhookEndpoint,
};
use kassa_store::{AfterAttempt, LeasedDelivery};
use time::OffsetDateTime;

use crate::resolver::GlobalOnly;

/// What a dialect decides about its deliveries: the body's shape, how it
/// is signed, and when a failed one is tried again. The worker knows none
/// of it.
#[async_trait]
pub trait WebhookDialect: Send + Sync {
    /// The bytes a delivery of `event` carries, with the object's state as
    /// it is now (not as it was when the event was emitted).
    async fn body(&self, scope: &Scope, event: &Event) -> Result<Vec<u8>, String>;

    /// The headers that let the receiver check `body` came from Kassa,
    /// signed with the endpoint's secrets valid at `now`.
    fn signature_headers(
        &self,
        endpoint: &WebhookEndpoint,
        event: &Event,
        now: OffsetDateTime,
        body: &[u8],
    ) -> Vec<(&'static str, String)>;

    /// Delays before each attempt, unless the operator set a schedule.
    fn retry_schedule(&self) -> &RetrySchedule;
}

/// The dialect serving each endpoint; an exhaustive match at the
/// composition root, so a new dialect cannot go unserved.
pub type Dialects = Arc<dyn Fn(Dialect) -> Arc<dyn WebhookDialect> + Send + Sync>;

/// What an attempt found, for the store and the log.
pub(crate) struct Outcome {
    pub attempt: Attempt,
    pub after: AfterAttempt,
    /// The endpoint answered 410 Gone: stop sending to it.
    pub gone: bool,
}

/// Sends deliveries over HTTP.
pub struct Sender {
    /// For modes whose policy allows private targets.
    client: reqwest::Client,
    /// For the others: names resolve to globally routable addresses only
    /// ([`GlobalOnly`]), so what was checked is what is connected to.
    public_only: reqwest::Client,
    /// The operator's schedule, for every dialect; else each dialect's.
    schedule: Option<RetrySchedule>,
    private_targets: PrivateTargets,
}

impl Sender {
    pub fn new(
        timeout: std::time::Duration,
        schedule: Option<RetrySchedule>,
        private_targets: PrivateTargets,
    ) -> Sender {
        let builder = || {
            reqwest::Client::builder()
                .timeout(timeout)
                .connect_timeout(timeout)
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(concat!("Kassa-Webhooks/", env!("CARGO_PKG_VERSION")))
        };
        let client = builder().build().expect("the HTTP client builds");
        let public_only = builder()
            .dns_resolver(Arc::new(GlobalOnly))
            .build()
            .expect("the HTTP client builds");
        Sender {
            client,
            public_only,
            schedule,
            private_targets,
        }
    }

    /// Makes the leased attempt and says what it leaves the delivery as.
    pub(crate) async fn attempt(
        &self,
        leased: &LeasedDelivery,
        dialect: &dyn WebhookDialect,
        now: OffsetDateTime,
    ) -> Outcome {
        let started = Instant::now();
        let result = self.send(leased, dialect, now).await;
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
            let schedule = self
                .schedule
                .as_ref()
                .unwrap_or_else(|| dialect.retry_schedule());
            match schedule.after_failure(leased.attempt) {
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
        dialect: &dyn WebhookDialect,
        now: OffsetDateTime,
    ) -> Result<(u16, String), String> {
        let body = dialect
            .body(&leased.scope, &leased.event)
            .await
            .map_err(|e| format!("could not render the payload: {e}"))?;
        self.check_target(leased).await?;
        let client = if self.private_targets.allowed(leased.scope.mode) {
            &self.client
        } else {
            &self.public_only
        };
        let mut request = client
            .post(leased.endpoint.url.as_str())
            .header("content-type", "application/json");
        for (name, value) in dialect.signature_headers(&leased.endpoint, &leased.event, now, &body)
        {
            request = request.header(name, value);
        }
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
