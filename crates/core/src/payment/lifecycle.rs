//! A payment's state machine: how one is opened for a priced session and
//! every transition after, each returning the domain event it raises. Use
//! cases move payments only through these, so a status can never be set
//! out of order.
//!
//! ```text
//! requires_payment_method ──▶ processing ──▶ succeeded
//!            ▲                  │    ▲  └──▶ failed
//!            │                  ▼    │
//!            └── (new attempt) requires_customer_action
//! requires_payment_method / requires_customer_action ──▶ cancelled
//! ```

use time::OffsetDateTime;

use super::{DeclineReason, Payment, PaymentLine, PaymentStatus};
use crate::DomainError;
use crate::checkout::{BillingAddress, CheckoutSession, Quote};
use crate::id::{BrandId, CustomerId, PaymentId};
use crate::webhook::{Event, EventType};

impl Payment {
    /// A payment for `quote` that nobody has paid yet: no method, no card.
    pub fn pending(
        session: &CheckoutSession,
        quote: &Quote,
        customer: CustomerId,
        brand: BrandId,
        billing: BillingAddress,
        provider: &str,
        now: OffsetDateTime,
    ) -> Payment {
        Payment {
            id: PaymentId::generate(),
            business: session.business.clone(),
            brand,
            checkout_session: Some(session.id.clone()),
            customer,
            status: PaymentStatus::RequiresPaymentMethod,
            currency: quote.currency,
            total_amount: quote.today.total,
            tax: quote.today.tax,
            lines: quote
                .lines
                .iter()
                .map(|l| PaymentLine {
                    product: l.product.clone(),
                    name: l.name.clone(),
                    description: l.description.clone(),
                    quantity: l.quantity,
                    amount: l.total,
                    tax: l.tax,
                })
                .collect(),
            discounts: quote
                .today
                .discounts
                .iter()
                .map(|(id, _)| id.clone())
                .collect(),
            billing,
            metadata: session.metadata.clone(),
            payment_method_type: None,
            card: None,
            saved_method: None,
            provider: provider.to_owned(),
            processor_reference: None,
            challenge: None,
            challenged_card_token: None,
            error_code: None,
            error_message: None,
            custom_field_responses: Vec::new(),
            tax_id: session.tax_id.clone(),
            customer_business_name: session.customer_business_name.clone(),
            created_at: now,
            updated_at: now,
        }
    }

    /// The processor is about to be asked to charge: from waiting for a
    /// method, or from a challenge the customer has answered.
    pub fn begin_processing(&mut self, now: OffsetDateTime) -> Result<(), DomainError> {
        match self.status {
            PaymentStatus::RequiresPaymentMethod | PaymentStatus::RequiresCustomerAction => {
                self.status = PaymentStatus::Processing;
                self.updated_at = now;
                Ok(())
            }
            other => Err(refused(other, "be charged")),
        }
    }

    /// The processor charged it.
    pub fn succeed(&mut self, processor_reference: String, now: OffsetDateTime) -> Event {
        self.status = PaymentStatus::Succeeded;
        self.processor_reference = Some(processor_reference);
        self.challenge = None;
        self.challenged_card_token = None;
        self.updated_at = now;
        Event::payment(EventType::PaymentSucceeded, &self.id, now)
    }

    /// The processor refused, for `reason`.
    pub fn fail(&mut self, reason: DeclineReason, now: OffsetDateTime) -> Event {
        self.status = PaymentStatus::Failed;
        self.error_code = Some(reason);
        self.error_message = Some(reason.message().to_owned());
        self.challenge = None;
        self.challenged_card_token = None;
        self.updated_at = now;
        Event::payment(EventType::PaymentFailed, &self.id, now)
    }

    /// The customer must pass `challenge` before the charge completes.
    pub fn require_action(&mut self, challenge: String, now: OffsetDateTime) {
        self.status = PaymentStatus::RequiresCustomerAction;
        self.challenge = Some(challenge);
        self.updated_at = now;
    }

    /// Nobody will pay it any more (its session expired).
    pub fn cancel(&mut self, now: OffsetDateTime) -> Result<Event, DomainError> {
        match self.status {
            PaymentStatus::RequiresPaymentMethod | PaymentStatus::RequiresCustomerAction => {
                self.status = PaymentStatus::Cancelled;
                self.challenge = None;
                self.challenged_card_token = None;
                self.updated_at = now;
                Ok(Event::payment(EventType::PaymentCancelled, &self.id, now))
            }
            other => Err(refused(other, "be cancelled")),
        }
    }
}

fn refused(status: PaymentStatus, what: &str) -> DomainError {
    DomainError::invalid(
        "payment",
        format!("a {} payment cannot {what}", status.as_str()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payment(status: PaymentStatus) -> Payment {
        let json = serde_json::json!({
            "id": PaymentId::generate(), "business": crate::id::BusinessId::generate(),
            "brand": BrandId::generate(), "checkout_session": null,
            "customer": CustomerId::generate(), "status": status,
            "currency": "USD", "total_amount": 100, "tax": 0, "lines": [], "discounts": [],
            "billing": {"country": "US", "state": null, "city": null, "street": null, "zipcode": null},
            "metadata": {}, "payment_method_type": null, "card": null, "saved_method": null,
            "provider": "test", "processor_reference": null, "challenge": null,
            "challenged_card_token": null, "error_code": null, "error_message": null,
            "custom_field_responses": [], "tax_id": null, "customer_business_name": null,
            "created_at": "2026-12-03T10:00:00Z", "updated_at": "2026-12-03T10:00:00Z"
        });
        serde_json::from_value(json).expect("a payment")
    }

    const NOW: OffsetDateTime = time::macros::datetime!(2026-12-03 11:00 UTC);

    #[test]
    fn only_a_payment_waiting_for_a_method_or_a_challenge_can_be_charged() {
        for status in [
            PaymentStatus::RequiresPaymentMethod,
            PaymentStatus::RequiresCustomerAction,
        ] {
            let mut p = payment(status);
            p.begin_processing(NOW).expect("chargeable");
            assert_eq!(p.status, PaymentStatus::Processing);
        }
        for status in [
            PaymentStatus::Processing,
            PaymentStatus::Succeeded,
            PaymentStatus::Failed,
            PaymentStatus::Cancelled,
        ] {
            assert!(payment(status).begin_processing(NOW).is_err(), "{status:?}");
        }
    }

    #[test]
    fn each_outcome_raises_its_event_and_forgets_the_challenge() {
        let mut p = payment(PaymentStatus::Processing);
        p.challenge = Some("chl".into());
        let e = p.succeed("ref_1".into(), NOW);
        assert_eq!(e.kind, EventType::PaymentSucceeded);
        assert_eq!(
            (p.status, p.challenge.as_deref()),
            (PaymentStatus::Succeeded, None)
        );
        let mut p = payment(PaymentStatus::Processing);
        let e = p.fail(DeclineReason::CardDeclined, NOW);
        assert_eq!(e.kind, EventType::PaymentFailed);
        assert_eq!(p.error_code, Some(DeclineReason::CardDeclined));
        let e = payment(PaymentStatus::RequiresPaymentMethod)
            .cancel(NOW)
            .expect("cancellable");
        assert_eq!(e.kind, EventType::PaymentCancelled);
        assert!(payment(PaymentStatus::Succeeded).cancel(NOW).is_err());
    }
}
