//! Domain events: what changed, when, and which object a webhook carries.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::id::{EventId, PaymentId};

macro_rules! event_types {
    ($($variant:ident = $key:literal),* $(,)?) => {
        /// Every kind of change Kassa can announce. Each dialect names them
        /// in its own catalogue and envelope; `key` is the stored name.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum EventType { $($variant),* }

        impl EventType {
            pub const ALL: &'static [EventType] = &[$(EventType::$variant),*];

            /// The stored name: the variant in snake case, as serde writes it.
            pub fn key(self) -> &'static str {
                match self { $(EventType::$variant => $key),* }
            }
        }
    };
}

event_types! {
    PaymentSucceeded = "payment_succeeded",
    PaymentFailed = "payment_failed",
    PaymentProcessing = "payment_processing",
    PaymentCancelled = "payment_cancelled",
    RefundSucceeded = "refund_succeeded",
    RefundFailed = "refund_failed",
    DisputeOpened = "dispute_opened",
    DisputeExpired = "dispute_expired",
    DisputeAccepted = "dispute_accepted",
    DisputeCancelled = "dispute_cancelled",
    DisputeChallenged = "dispute_challenged",
    DisputeWon = "dispute_won",
    DisputeLost = "dispute_lost",
    SubscriptionActive = "subscription_active",
    SubscriptionRenewed = "subscription_renewed",
    SubscriptionOnHold = "subscription_on_hold",
    SubscriptionPastDue = "subscription_past_due",
    SubscriptionPaused = "subscription_paused",
    SubscriptionUnpaused = "subscription_unpaused",
    SubscriptionCancelled = "subscription_cancelled",
    SubscriptionFailed = "subscription_failed",
    SubscriptionExpired = "subscription_expired",
    SubscriptionPlanChanged = "subscription_plan_changed",
    SubscriptionUpdated = "subscription_updated",
    SubscriptionUpdatePaymentMethod = "subscription_update_payment_method",
    LicenseKeyCreated = "license_key_created",
    PayoutCreated = "payout_created",
    PayoutOnHold = "payout_on_hold",
    PayoutInProgress = "payout_in_progress",
    PayoutFailed = "payout_failed",
    PayoutSuccess = "payout_success",
    CreditAdded = "credit_added",
    CreditDeducted = "credit_deducted",
    CreditExpired = "credit_expired",
    CreditRolledOver = "credit_rolled_over",
    CreditRolloverForfeited = "credit_rollover_forfeited",
    CreditOverageCharged = "credit_overage_charged",
    CreditOverageReset = "credit_overage_reset",
    CreditManualAdjustment = "credit_manual_adjustment",
    CreditBalanceLow = "credit_balance_low",
    AbandonedCheckoutDetected = "abandoned_checkout_detected",
    AbandonedCheckoutRecovered = "abandoned_checkout_recovered",
    DunningStarted = "dunning_started",
    DunningRecovered = "dunning_recovered",
    EntitlementGrantCreated = "entitlement_grant_created",
    EntitlementGrantDelivered = "entitlement_grant_delivered",
    EntitlementGrantFailed = "entitlement_grant_failed",
    EntitlementGrantRevoked = "entitlement_grant_revoked",
}

impl EventType {
    /// The event type stored as `key`.
    pub fn from_key(key: &str) -> Option<EventType> {
        EventType::ALL.iter().copied().find(|t| t.key() == key)
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
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
    /// The receiver's dedupe key: the same on every attempt and every
    /// endpoint.
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
    fn there_are_48_event_types_whose_keys_are_distinct_and_read_back() {
        assert_eq!(EventType::ALL.len(), 48);
        for t in EventType::ALL {
            assert_eq!(EventType::from_key(t.key()), Some(*t));
        }
        let mut keys: Vec<_> = EventType::ALL.iter().map(|t| t.key()).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), 48);
    }

    #[test]
    fn the_stored_key_is_what_serde_writes() {
        for t in EventType::ALL {
            assert_eq!(serde_json::to_value(t).unwrap(), t.key(), "{t:?}");
        }
    }

    #[test]
    fn an_unknown_key_reads_as_no_event_type() {
        assert_eq!(EventType::from_key("payment_exploded"), None);
    }
}
