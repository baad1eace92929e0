//! Sample `data` objects for test-triggered events: one plausible object of
//! each payload type, shaped like the schemas Dodo sends (required-nullable
//! fields as null) and within the enums `@dodopayments/core` accepts.

use kassa_core::webhook::EventType;
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

use crate::wire::ts;

/// The `data` object of a test-triggered event of type `kind`: a plausible
/// object of the event's payload type, with "payload_type" set.
pub(crate) fn sample_data(
    kind: EventType,
    business_id: &str,
    brand_id: &str,
    now: OffsetDateTime,
) -> Value {
    let s = Sample {
        kind,
        business: business_id,
        brand: brand_id,
        now,
    };
    let mut data = match crate::vocabulary::payload_type(kind) {
        "Payment" => s.payment(),
        "Refund" => s.refund(),
        "Dispute" => s.dispute(),
        "Subscription" => s.subscription(),
        "LicenseKey" => s.license_key(),
        "Payout" => s.payout(),
        "CreditLedgerEntry" => s.credit_ledger_entry(),
        "CreditBalanceLow" => s.credit_balance_low(),
        "AbandonedCheckout" => s.abandoned_checkout(),
        "DunningAttempt" => s.dunning_attempt(),
        "EntitlementGrant" => s.entitlement_grant(),
        other => unreachable!("no sample for payload type {other}"),
    };
    data["payload_type"] = json!(crate::vocabulary::payload_type(kind));
    data
}

/// A deterministic id of Dodo's shape: `prefix_` and 21 alphanumerics.
fn id(prefix: &str, tag: &str) -> String {
    debug_assert!(tag.len() <= 16 && tag.chars().all(|c| c.is_ascii_alphanumeric()));
    format!("{prefix}_Kassa{tag:0<16}")
}

const CURRENCY: &str = "USD";
/// One-time sample price: 20.00 + 2.00 tax, in cents.
const TOTAL: i64 = 2200;
const TAX: i64 = 200;

struct Sample<'a> {
    kind: EventType,
    business: &'a str,
    brand: &'a str,
    now: OffsetDateTime,
}

impl Sample<'_> {
    fn at(&self, days: i64) -> String {
        ts(self.now + Duration::days(days))
    }

    fn customer(&self) -> Value {
        json!({"customer_id": id("cus", "Sample"), "name": "Ada Lovelace",
            "email": "ada@example.com", "phone_number": null, "metadata": {}})
    }

    fn billing() -> Value {
        json!({"country": "US", "state": "CA", "city": "San Francisco",
            "street": "1 Market Street", "zipcode": "94105"})
    }

    fn payment(&self) -> Value {
        use EventType::*;
        let (status, error_code, error_message) = match self.kind {
            PaymentFailed => (
                "failed",
                json!("CARD_DECLINED"),
                json!("The card was declined."),
            ),
            PaymentProcessing => ("processing", Value::Null, Value::Null),
            PaymentCancelled => ("cancelled", Value::Null, Value::Null),
            _ => ("succeeded", Value::Null, Value::Null),
        };
        let paid = status == "succeeded";
        let pay = id("pay", "Sample");
        json!({
            "payment_id": pay, "business_id": self.business, "brand_id": self.brand,
            "status": status, "total_amount": TOTAL, "tax": TAX, "currency": CURRENCY,
            "settlement_amount": TOTAL, "settlement_currency": CURRENCY, "settlement_tax": TAX,
            "created_at": self.at(0), "updated_at": self.at(0),
            "customer": self.customer(), "billing": Self::billing(), "metadata": {},
            "product_cart": [{"product_id": id("pdt", "Sample"), "quantity": 1}],
            "subscription_id": null, "checkout_session_id": id("cks", "Sample"), "payment_link": null,
            "payment_method": "card", "payment_method_type": "visa", "payment_method_id": null,
            "payment_provider": "dodo",
            "card_holder_name": "Ada Lovelace", "card_issuing_country": "US",
            "card_last_four": "4242", "card_network": "VISA", "card_type": "CREDIT",
            "discounts": [], "discount_id": null, "disputes": [], "refunds": [],
            "refund_status": null, "retry_attempt": 0, "is_update_payment_method": false,
            "digital_products_delivered": paid, "custom_field_responses": null,
            "error_code": error_code, "error_message": error_message,
            "invoice_id": if paid { json!(id("inv", "Sample")) } else { Value::Null },
            "invoice_url": null,
        })
    }

    fn refund(&self) -> Value {
        let status = if self.kind == EventType::RefundFailed {
            "failed"
        } else {
            "succeeded"
        };
        json!({
            "refund_id": id("ref", "Sample"), "payment_id": id("pay", "Sample"),
            "business_id": self.business, "brand_id": self.brand, "created_at": self.at(0),
            "status": status, "amount": TOTAL, "currency": CURRENCY, "is_partial": false,
            "reason": "Requested by the customer", "customer": self.customer(), "metadata": {},
        })
    }

    fn dispute(&self) -> Value {
        use EventType::*;
        let status = match self.kind {
            DisputeExpired => "dispute_expired",
            DisputeAccepted => "dispute_accepted",
            DisputeCancelled => "dispute_cancelled",
            DisputeChallenged => "dispute_challenged",
            DisputeWon => "dispute_won",
            DisputeLost => "dispute_lost",
            _ => "dispute_opened",
        };
        json!({
            "dispute_id": id("dp", "Sample"), "payment_id": id("pay", "Sample"),
            "business_id": self.business, "brand_id": self.brand,
            "amount": TOTAL.to_string(), "currency": CURRENCY,
            "dispute_stage": "dispute", "dispute_status": status,
            "created_at": self.at(0), "customer": self.customer(), "payment_provider": "dodo",
            "is_resolved_by_rdr": false, "reason": "fraudulent", "remarks": null,
        })
    }

    fn subscription(&self) -> Value {
        use EventType::*;
        // `past_due` is not a status @dodopayments/core accepts: a subscription
        // in its grace period stays `active`, with `past_due_ends_at` set.
        let status = match self.kind {
            SubscriptionOnHold => "on_hold",
            SubscriptionPaused => "paused",
            SubscriptionCancelled => "cancelled",
            SubscriptionFailed => "failed",
            SubscriptionExpired => "expired",
            _ => "active",
        };
        let when = |on: bool| if on { json!(self.at(0)) } else { Value::Null };
        json!({
            "subscription_id": id("sub", "Sample"), "brand_id": self.brand, "status": status,
            "product_id": id("pdt", "Sample"), "quantity": 1, "currency": CURRENCY,
            "recurring_pre_tax_amount": 2000, "tax_inclusive": false,
            "payment_frequency_count": 1, "payment_frequency_interval": "Month",
            "subscription_period_count": 1, "subscription_period_interval": "Year",
            "trial_period_days": 0, "trial_amount": null,
            "created_at": self.at(-30), "previous_billing_date": self.at(0),
            "next_billing_date": self.at(30),
            "cancelled_at": when(status == "cancelled"), "paused_at": when(status == "paused"),
            "expires_at": when(status == "expired"),
            "past_due_ends_at": if self.kind == SubscriptionPastDue { json!(self.at(7)) } else { Value::Null },
            "cancel_at_next_billing_date": false, "on_demand": false,
            "addons": [], "meters": [], "credit_entitlement_cart": [],
            "meter_credit_entitlement_cart": [], "discounts": [], "discount_id": null,
            "discount_cycles_remaining": null, "customer": self.customer(),
            "billing": Self::billing(), "payment_method_id": id("pm", "Sample"),
            "scheduled_change": null, "tax_id": null, "customer_business_name": null,
            "cancellation_feedback": if status == "cancelled" { json!("other") } else { Value::Null },
            "cancellation_comment": null, "custom_field_responses": null, "metadata": {},
        })
    }

    fn license_key(&self) -> Value {
        json!({
            "id": id("lic", "Sample"), "key": "5a1c7e0b-3d2f-4e8a-9b6c-0f1e2d3c4b5a",
            "business_id": self.business, "brand_id": self.brand,
            "customer_id": id("cus", "Sample"), "product_id": id("pdt", "Sample"),
            "payment_id": id("pay", "Sample"), "subscription_id": null,
            "status": "active", "source": "auto", "activations_limit": 5, "instances_count": 0,
            "expires_at": null, "created_at": self.at(0),
        })
    }

    fn payout(&self) -> Value {
        use EventType::*;
        let status = match self.kind {
            PayoutOnHold => "on_hold",
            PayoutInProgress => "in_progress",
            PayoutFailed => "failed",
            PayoutSuccess => "success",
            _ => "not_initiated",
        };
        let remarks = if status == "failed" {
            json!("The bank rejected the transfer.")
        } else {
            Value::Null
        };
        json!({
            "payout_id": id("pyt", "Sample"), "business_id": self.business,
            "amount": 100_000, "fee": 500, "currency": CURRENCY, "status": status,
            "payment_method": "bank_transfer", "name": null, "remarks": remarks,
            "payout_document_url": null, "chargebacks": 0, "refunds": 0, "tax": 0,
            "created_at": self.at(-1), "updated_at": self.at(0),
        })
    }

    fn credit_ledger_entry(&self) -> Value {
        use EventType::*;
        // (transaction_type, is_credit, balance before/after, overage before/after)
        let (tx, credit, balance, overage) = match self.kind {
            CreditDeducted => ("credit_deducted", false, ("500", "400"), ("0", "0")),
            CreditExpired => ("credit_expired", false, ("500", "400"), ("0", "0")),
            CreditRolledOver => ("credit_rolled_over", true, ("500", "600"), ("0", "0")),
            CreditRolloverForfeited => ("rollover_forfeited", false, ("500", "400"), ("0", "0")),
            CreditOverageCharged => ("overage_charged", false, ("0", "0"), ("0", "100")),
            CreditOverageReset => ("overage_reset", true, ("0", "0"), ("100", "0")),
            CreditManualAdjustment => ("manual_adjustment", true, ("500", "600"), ("0", "0")),
            _ => ("credit_added", true, ("500", "600"), ("0", "0")),
        };
        json!({
            "id": id("cle", "Sample"), "credit_entitlement_id": id("cde", "Sample"),
            "customer_id": id("cus", "Sample"), "grant_id": id("cgr", "Sample"),
            "amount": "100", "is_credit": credit, "transaction_type": tx,
            "balance_before": balance.0, "balance_after": balance.1,
            "overage_before": overage.0, "overage_after": overage.1,
            "reference_id": id("sub", "Sample"), "reference_type": "subscription",
            "description": null, "metadata": {}, "brand_id": self.brand,
            "business_id": self.business, "created_at": self.at(0),
        })
    }

    fn credit_balance_low(&self) -> Value {
        json!({
            "customer_id": id("cus", "Sample"), "subscription_id": id("sub", "Sample"),
            "credit_entitlement_id": id("cde", "Sample"), "credit_entitlement_name": "API credits",
            "brand_id": self.brand, "available_balance": "80",
            "subscription_credits_amount": "1000", "threshold_amount": "100", "threshold_percent": 10,
        })
    }

    fn abandoned_checkout(&self) -> Value {
        let recovered = self.kind == EventType::AbandonedCheckoutRecovered;
        json!({
            "payment_id": id("pay", "Sample"), "customer_id": id("cus", "Sample"),
            "brand_id": self.brand, "abandoned_at": self.at(-1),
            "abandonment_reason": "payment_failed",
            "status": if recovered { "recovered" } else { "abandoned" },
            "recovered_payment_id": if recovered { json!(id("pay", "Recovered")) } else { Value::Null },
        })
    }

    fn dunning_attempt(&self) -> Value {
        let recovered = self.kind == EventType::DunningRecovered;
        json!({
            "subscription_id": id("sub", "Sample"), "customer_id": id("cus", "Sample"),
            "brand_id": self.brand, "created_at": self.at(0), "trigger_state": "on_hold",
            "status": if recovered { "recovered" } else { "recovering" },
            "payment_id": if recovered { json!(id("pay", "Recovered")) } else { Value::Null },
        })
    }

    fn entitlement_grant(&self) -> Value {
        use EventType::*;
        let status = match self.kind {
            EntitlementGrantDelivered => "Delivered",
            EntitlementGrantFailed => "Failed",
            EntitlementGrantRevoked => "Revoked",
            _ => "Pending",
        };
        let delivered = matches!(status, "Delivered" | "Revoked");
        let failed = status == "Failed";
        let revoked = status == "Revoked";
        let license_key = json!({"key": "5a1c7e0b-3d2f-4e8a-9b6c-0f1e2d3c4b5a",
            "activations_used": 0, "activations_limit": 5, "expires_at": null});
        let opt = |on: bool, v: Value| if on { v } else { Value::Null };
        json!({
            "id": id("entg", "Sample"), "entitlement_id": id("ent", "Sample"),
            "business_id": self.business, "brand_id": self.brand,
            "customer_id": id("cus", "Sample"), "payment_id": id("pay", "Sample"),
            "subscription_id": null, "integration_type": "license_key", "status": status,
            "license_key": opt(delivered, license_key),
            "digital_product_delivery": null, "feature": null,
            "oauth_url": null, "oauth_expires_at": null,
            "delivered_at": opt(delivered, json!(self.at(0))),
            "error_code": opt(failed, json!("LICENSE_KEY_GENERATION_FAILED")),
            "error_message": opt(failed, json!("The license key could not be issued.")),
            "revoked_at": opt(revoked, json!(self.at(0))),
            "revocation_reason": opt(revoked, json!("Payment refunded")),
            "metadata": {}, "created_at": self.at(0), "updated_at": self.at(0),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp_nanos(1_754_285_431_152_232_000).unwrap()
    }

    fn samples() -> impl Iterator<Item = (EventType, Value)> {
        EventType::ALL.iter().map(|&k| {
            (
                k,
                sample_data(
                    k,
                    "bus_KassaSample00000000",
                    "brnd_KassaSample0000000",
                    now(),
                ),
            )
        })
    }

    #[test]
    fn every_event_type_has_a_sample_of_its_payload_type() {
        for (kind, data) in samples() {
            assert_eq!(
                data["payload_type"],
                crate::vocabulary::payload_type(kind),
                "{kind}"
            );
            let object = data
                .as_object()
                .unwrap_or_else(|| panic!("{kind}: not an object"));
            assert!(object.len() > 1, "{kind}: only a payload_type");
        }
    }

    #[test]
    fn ids_have_dodos_shape_and_times_have_microseconds() {
        assert_eq!(id("pay", "Sample"), "pay_KassaSample0000000000");
        assert_eq!(id("entg", "x").len(), "entg_".len() + 21);
        let data = sample_data(EventType::PaymentSucceeded, "bus_x", "brnd_x", now());
        assert_eq!(data["created_at"], "2025-08-04T05:30:31.152232Z");
    }

    #[test]
    fn statuses_follow_the_event() {
        let status = |kind, field: &str| sample_data(kind, "bus_x", "brnd_x", now())[field].clone();
        assert_eq!(status(EventType::PaymentFailed, "status"), "failed");
        assert_eq!(status(EventType::RefundFailed, "status"), "failed");
        assert_eq!(
            status(EventType::DisputeWon, "dispute_status"),
            "dispute_won"
        );
        assert_eq!(
            status(EventType::SubscriptionCancelled, "status"),
            "cancelled"
        );
        assert_eq!(status(EventType::PayoutInProgress, "status"), "in_progress");
        assert_eq!(
            status(EventType::CreditOverageReset, "transaction_type"),
            "overage_reset"
        );
        assert_eq!(
            status(EventType::EntitlementGrantRevoked, "status"),
            "Revoked"
        );
    }

    #[test]
    fn customers_always_have_a_name_and_billing_has_every_key() {
        for (kind, data) in samples() {
            if let Some(customer) = data.get("customer") {
                assert!(customer["name"].is_string(), "{kind}");
                assert!(customer["email"].is_string(), "{kind}");
            }
            if let Some(billing) = data.get("billing") {
                for key in ["country", "city", "state", "street", "zipcode"] {
                    assert!(billing.get(key).is_some(), "{kind}: billing.{key}");
                }
            }
        }
    }
}
