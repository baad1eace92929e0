//! One event's delivery to one endpoint, and the attempts it took.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::id::{EventId, WebhookEndpointId};
use crate::webhook::EventType;

/// A delivery is identified by its event and its endpoint.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct DeliveryKey {
    pub event: EventId,
    pub endpoint: WebhookEndpointId,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting for its next attempt.
    Pending,
    Succeeded,
    /// Every attempt of the schedule failed (a manual resend or a replay
    /// makes it pending again).
    Failed,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Succeeded => "succeeded",
            DeliveryStatus::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<DeliveryStatus> {
        [
            DeliveryStatus::Pending,
            DeliveryStatus::Succeeded,
            DeliveryStatus::Failed,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// One HTTP attempt, as the delivery log shows it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Attempt {
    /// 1 for the first attempt of the delivery.
    pub number: u32,
    pub at: OffsetDateTime,
    /// The receiver's status, `None` when no response came.
    pub status_code: Option<u16>,
    pub latency_ms: u32,
    /// The start of the response body, or why no response came.
    pub response: String,
    pub succeeded: bool,
}

impl Attempt {
    /// Longest response excerpt kept in the log.
    pub const EXCERPT: usize = 500;
}

/// A delivery with its attempts, newest attempt last.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DeliveryLog {
    pub key: DeliveryKey,
    pub event_type: EventType,
    pub status: DeliveryStatus,
    pub created_at: OffsetDateTime,
    pub next_attempt_at: Option<OffsetDateTime>,
    pub attempts: Vec<Attempt>,
}
