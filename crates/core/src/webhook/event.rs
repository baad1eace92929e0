//! Domain events: what changed, when, and which object a webhook carries.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::DomainError;
use crate::id::{EventId, PaymentId};

macro_rules! event_types {
    ($($variant:ident = $name:literal => $payload:literal),* $(,)?) => {
        /// Every event type Dodo's SDKs know (`WebhookEventType`).
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
        pub enum EventType { $($variant),* }

        impl EventType {
            pub const ALL: &'static [EventType] = &[$(EventType::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $(EventType::$variant => $name),* }
            }

            /// `data.payload_type` of the envelope.
            pub fn payload_type(self) -> &'static str {
                match self { $(EventType::$variant => $payload),* }
            }
        }
    };
}

event_types! {
    PaymentSucceeded = "payment.succeeded" => "Payment",
    PaymentFailed = "payment.failed" => "Payment",
    PaymentProcessing = "payment.processing" => "Payment",
    PaymentCancelled = "payment.cancelled" => "Payment",
    RefundSucceeded = "refund.succeeded" => "Refund",
    RefundFailed = "refund.failed" => "Refund",
    DisputeOpened = "dispute.opened" => "Dispute",
    DisputeExpired = "dispute.expired" => "Dispute",
    DisputeAccepted = "dispute.accepted" => "Dispute",
    DisputeCancelled = "dispute.cancelled" => "Dispute",
    DisputeChallenged = "dispute.challenged" => "Dispute",
    DisputeWon = "dispute.won" => "Dispute",
    DisputeLost = "dispute.lost" => "Dispute",
    SubscriptionActive = "subscription.active" => "Subscription",
    SubscriptionRenewed = "subscription.renewed" => "Subscription",
    SubscriptionOnHold = "subscription.on_hold" => "Subscription",
    SubscriptionPastDue = "subscription.past_due" => "Subscription",
    SubscriptionPaused = "subscription.paused" => "Subscription",
    SubscriptionUnpaused = "subscription.unpaused" => "Subscription",
    SubscriptionCancelled = "subscription.cancelled" => "Subscription",
    SubscriptionFailed = "subscription.failed" => "Subscription",
    SubscriptionExpired = "subscription.expired" => "Subscription",
    SubscriptionPlanChanged = "subscription.plan_changed" => "Subscription",
    SubscriptionUpdated = "subscription.updated" => "Subscription",
    SubscriptionUpdatePaymentMethod = "subscription.update_payment_method" => "Subscription",
    LicenseKeyCreated = "license_key.created" => "LicenseKey",
    PayoutCreated = "payout.created" => "Payout",
    PayoutOnHold = "payout.on_hold" => "Payout",
    PayoutInProgress = "payout.in_progress" => "Payout",
    PayoutFailed = "payout.failed" => "Payout",
    PayoutSuccess = "payout.success" => "Payout",
    CreditAdded = "credit.added" => "CreditLedgerEntry",
    CreditDeducted = "credit.deducted" => "CreditLedgerEntry",
    CreditExpired = "credit.expired" => "CreditLedgerEntry",
    CreditRolledOver = "credit.rolled_over" => "CreditLedgerEntry",
    CreditRolloverForfeited = "credit.rollover_forfeited" => "CreditLedgerEntry",
    CreditOverageCharged = "credit.overage_charged" => "CreditLedgerEntry",
    CreditOverageReset = "credit.overage_reset" => "CreditLedgerEntry",
    CreditManualAdjustment = "credit.manual_adjustment" => "CreditLedgerEntry",
    CreditBalanceLow = "credit.balance_low" => "CreditBalanceLow",
    AbandonedCheckoutDetected = "abandoned_checkout.detected" => "AbandonedCheckout",
    AbandonedCheckoutRecovered = "abandoned_checkout.recovered" => "AbandonedCheckout",
    DunningStarted = "dunning.started" => "DunningAttempt",
    DunningRecovered = "dunning.recovered" => "DunningAttempt",
    EntitlementGrantCreated = "entitlement_grant.created" => "EntitlementGrant",
    EntitlementGrantDelivered = "entitlement_grant.delivered" => "EntitlementGrant",
    EntitlementGrantFailed = "entitlement_grant.failed" => "EntitlementGrant",
    EntitlementGrantRevoked = "entitlement_grant.revoked" => "EntitlementGrant",
}

impl EventType {
    pub fn parse(value: &str) -> Result<EventType, DomainError> {
        EventType::ALL
            .iter()
            .copied()
            .find(|t| t.as_str() == value)
            .ok_or_else(|| {
                DomainError::invalid("filter_types", format!("`{value}` is not an event type"))
            })
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for EventType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EventType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        EventType::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// What a delivery carries as `data`. A reference is rendered from the
/// object's state when the delivery is attempted (Dodo sends the latest
/// state, not the state at emission); a snapshot is sent as stored.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum EventObject {
    Payment(PaymentId),
    /// A finished `data` object in the dialect's JSON (a test trigger's
    /// sample, or an object Kassa does not store).
    Snapshot(String),
}

/// A state change that webhooks announce. Written in the same transaction
/// as the change itself, with one delivery per subscribed endpoint.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Event {
    /// Sent as `webhook-id`: the receiver's dedupe key, the same on every
    /// attempt and every endpoint.
    pub id: EventId,
    pub kind: EventType,
    pub object: EventObject,
    /// The envelope's `timestamp`: when the change happened.
    pub occurred_at: OffsetDateTime,
}

impl Event {
    pub fn new(kind: EventType, object: EventObject, occurred_at: OffsetDateTime) -> Event {
        Event {
            id: EventId::generate(),
            kind,
            object,
            occurred_at,
        }
    }

    pub fn payment(kind: EventType, id: &PaymentId, occurred_at: OffsetDateTime) -> Event {
        Event::new(kind, EventObject::Payment(id.clone()), occurred_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_48_event_types_with_distinct_names_that_parse_back() {
        assert_eq!(EventType::ALL.len(), 48);
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.as_str()).unwrap(), *t);
        }
        let mut names: Vec<_> = EventType::ALL.iter().map(|t| t.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 48);
    }

    #[test]
    fn an_unknown_event_type_is_refused_by_name() {
        let err = EventType::parse("payment.exploded").unwrap_err();
        assert!(err.to_string().contains("payment.exploded"));
    }
}
