//! Dodo's words for the domain's things: field paths, event names and
//! payload types, decline codes, the signature headers and the retry
//! schedule. Nothing below this crate may use them; the dialect boundary
//! test reads them from here.

use kassa_core::FieldPath;
use kassa_core::field::{ADDON, CART, PRODUCT};
use kassa_core::payment::DeclineReason;
use kassa_core::webhook::{EventType, RetrySchedule};
use time::Duration;

/// A domain path in Dodo's field names: `cart[0].product` is
/// `product_cart[0].product_id`.
pub fn field(path: &FieldPath) -> String {
    path.spelled(|parent, name| match (parent, name) {
        (None, CART) => "product_cart",
        (Some(CART), PRODUCT) => "product_id",
        (Some(_), ADDON) => "addon_id",
        _ => name,
    })
}

/// Dodo's field names that are not the domain's own.
pub const FIELD_WORDS: &[&str] = &["product_cart"];

macro_rules! events {
    ($($variant:ident = $name:literal => $payload:literal),* $(,)?) => {
        /// The event's name in Dodo's catalogue (`WebhookEventType`).
        pub fn event_name(kind: EventType) -> &'static str {
            match kind { $(EventType::$variant => $name),* }
        }

        /// `data.payload_type` of Dodo's envelope.
        pub fn payload_type(kind: EventType) -> &'static str {
            match kind { $(EventType::$variant => $payload),* }
        }
    };
}

events! {
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

/// The event type Dodo calls `name`.
pub fn event_named(name: &str) -> Option<EventType> {
    EventType::ALL
        .iter()
        .copied()
        .find(|kind| event_name(*kind) == name)
}

/// The `error_code` of a payment the processor refused.
pub fn decline_code(reason: DeclineReason) -> &'static str {
    match reason {
        DeclineReason::CardDeclined => "CARD_DECLINED",
        DeclineReason::InsufficientFunds => "INSUFFICIENT_FUNDS",
        DeclineReason::LostCard => "LOST_CARD",
        DeclineReason::StolenCard => "STOLEN_CARD",
        DeclineReason::ExpiredCard => "EXPIRED_CARD",
        DeclineReason::IncorrectCvc => "INCORRECT_CVC",
        DeclineReason::ProcessingError => "PROCESSING_ERROR",
        DeclineReason::AuthenticationFailed => "AUTHENTICATION_FAILED",
    }
}

/// The Standard Webhooks headers Dodo's deliveries carry.
pub const WEBHOOK_ID: &str = "webhook-id";
pub const WEBHOOK_TIMESTAMP: &str = "webhook-timestamp";
pub const WEBHOOK_SIGNATURE: &str = "webhook-signature";
/// Headers an endpoint may not set, since they would forge the signature
/// (a trailing `-` reserves every header it starts).
pub const SIGNED_HEADERS: &[&str] = &["webhook-"];

/// Dodo's (Svix's) retry schedule: eight attempts over about 27 hours.
pub fn retry_schedule() -> RetrySchedule {
    RetrySchedule::new(&[
        Duration::seconds(5),
        Duration::minutes(5),
        Duration::minutes(30),
        Duration::hours(2),
        Duration::hours(5),
        Duration::hours(10),
        Duration::hours(10),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_carts_paths_take_dodos_names_and_the_rest_keep_the_domains() {
        let line = FieldPath::cart_line(1);
        assert_eq!(
            field(&line.clone().field(PRODUCT)),
            "product_cart[1].product_id"
        );
        assert_eq!(
            field(&line.clone().field("addons").at(0).field(ADDON)),
            "product_cart[1].addons[0].addon_id"
        );
        assert_eq!(field(&line.field("quantity")), "product_cart[1].quantity");
        assert_eq!(
            field(&FieldPath::from("billing.country")),
            "billing.country"
        );
        assert_eq!(field(&FieldPath::named(PRODUCT)), "product");
    }

    #[test]
    fn every_event_type_has_a_distinct_dodo_name_that_reads_back() {
        let mut names: Vec<_> = EventType::ALL.iter().map(|t| event_name(*t)).collect();
        for kind in EventType::ALL {
            assert_eq!(event_named(event_name(*kind)), Some(*kind));
        }
        names.sort();
        names.dedup();
        assert_eq!(names.len(), EventType::ALL.len());
        assert_eq!(event_named("payment.exploded"), None);
    }

    #[test]
    fn dodos_schedule_is_eight_attempts_from_immediate_to_ten_hours() {
        let s = retry_schedule();
        assert_eq!(s.attempts(), 8);
        assert_eq!(s.after_failure(1), Some(Duration::seconds(5)));
        assert_eq!(s.after_failure(2), Some(Duration::minutes(5)));
        assert_eq!(s.after_failure(7), Some(Duration::hours(10)));
        assert_eq!(s.after_failure(8), None);
        assert_eq!(
            s,
            RetrySchedule::parse("0,5s,5m,30m,2h,5h,10h,10h").unwrap()
        );
    }
}
