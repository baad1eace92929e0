//! One attempt to take a session's money, in the order that makes a lost
//! or a doubled charge impossible: claim, charge, settle.
//!
//! 1. **Claim**, one commit before the processor hears of it: the payment
//!    is durable as `processing` under the reference the processor keys
//!    its charge by (its id), with the customer it creates; the session
//!    names it, guarded by the version read, so a second post of the form
//!    loses the race instead of charging twice; each discount code counts
//!    its use (and a per-customer limit is checked), so a lost race for the
//!    last use of a code charges nothing.
//! 2. **Charge**: the processor is asked, with that reference.
//! 3. **Settle**, one commit: a success completes the session with the
//!    payment, the card it saves and `payment.succeeded`; a decline gives
//!    the uses back and records `payment.failed`; a challenge keeps the
//!    claim until the customer answers it.
//!
//! If the settle commit fails, the charge stands at the processor while a
//! durable `processing` payment names it: the failure is logged at ERROR
//! with every id, and the caller gets a storage error (a retryable 5xx).

use kassa_core::checkout::CheckoutSession;
use kassa_core::customer::Customer;
use kassa_core::discount::Discount;
use kassa_core::payment::{Payment, PaymentStatus, SavedMethod};
use kassa_core::tenancy::Scope;
use kassa_processor::ChargeOutcome;
use kassa_store::{Changes, Cond, Conflict, Filter, Guard, Records, StoreError, Table};

use super::{PayOutcome, return_url_with};
use crate::{App, AppError, jobs};

/// A payment as last committed, with the versions its next commit guards.
pub(crate) struct Claimed {
    pub scope: Scope,
    pub session: CheckoutSession,
    pub session_version: u64,
    pub payment: Payment,
    pub payment_version: u64,
}

/// What the claim needs: the payment to charge and how it is stored.
pub(crate) struct Attempt {
    pub scope: Scope,
    pub session: CheckoutSession,
    pub session_version: u64,
    pub payment: Payment,
    /// The stored payment this attempt continues and its version (the
    /// merchant's payment id stays the one it knows); `None` inserts it.
    pub continues: Option<(Payment, u64)>,
    /// The customer this purchase creates, committed with the claim (the
    /// payment names it, declined or not).
    pub new_customer: Option<Customer>,
}

/// Statuses whose payments count toward a per-customer code limit.
const COUNTED: [PaymentStatus; 3] = [
    PaymentStatus::Processing,
    PaymentStatus::RequiresCustomerAction,
    PaymentStatus::Succeeded,
];

impl App {
    /// Commits the claim. `Ok(Err(errors))` when a code was used up
    /// meanwhile: nothing was written and nothing will be charged.
    pub(crate) async fn claim(
        &self,
        attempt: Attempt,
    ) -> Result<Result<Claimed, Vec<(String, String)>>, AppError> {
        // Every charge is claimed first: the last place a live-mode charge
        // without a live processor is stopped, before anything is written.
        self.may_charge(&attempt.scope)?;
        let Attempt {
            scope,
            mut session,
            session_version,
            mut payment,
            continues,
            new_customer,
        } = attempt;
        let now = self.now_in(&scope).await?;
        payment.begin_processing(now)?;
        session.payment = Some(payment.id.clone());
        let mut changes = Changes::new();
        if let Some(customer) = &new_customer {
            changes = changes.insert(customer);
        }
        // A payment that waited on a challenge already counted its codes.
        if let Some((earlier, _)) = &continues
            && earlier.status.holds_claims()
        {
            for id in &earlier.discounts {
                changes = changes.release_one::<Discount>(id.as_str(), "times_used");
            }
        }
        for id in &payment.discounts {
            changes = changes.use_one::<Discount>(id.as_str(), "times_used", "usage_limit");
            if let Some(limit) = self.per_customer_limit(&scope, id).await? {
                let theirs = Filter::new()
                    .eq("customer_id", payment.customer.as_str())
                    .and(Cond::Has("discounts", id.to_string()))
                    .and(Cond::Any(
                        COUNTED
                            .iter()
                            .map(|s| Cond::Eq("status", s.as_str().into()))
                            .collect(),
                    ))
                    .and(Cond::Eq("id", payment.id.as_str().into()).not());
                changes = changes.guard(Guard::Fewer {
                    table: Table::Payments,
                    filter: theirs,
                    limit: u64::from(limit),
                });
            }
        }
        let payment_version = match &continues {
            Some((_, version)) => {
                changes = changes.update_from(&payment, *version);
                version + 1
            }
            None => {
                changes = changes.insert(&payment);
                0
            }
        };
        changes = changes
            .update_from(&session, session_version)
            .schedule(jobs::expiry_job(&session, now))
            .schedule(jobs::reconcile_job(&payment, payment_version, now));
        match self.commit(&scope, changes).await {
            Ok(()) => Ok(Ok(Claimed {
                scope,
                session,
                session_version: session_version + 1,
                payment,
                payment_version,
            })),
            Err(StoreError::Conflict(Conflict::UsedUp { .. } | Conflict::TooMany { .. })) => {
                Ok(Err(vec![(
                    "discount_code".to_owned(),
                    "A discount code in your order has just been used up. Remove it and try again."
                        .to_owned(),
                )]))
            }
            Err(StoreError::Conflict(Conflict::Changed {
                table: Table::CheckoutSessions | Table::Payments,
                ..
            })) => Err(AppError::unusable("session", "is already being paid")),
            Err(e) => Err(e.into()),
        }
    }

    async fn per_customer_limit(
        &self,
        scope: &Scope,
        id: &kassa_core::id::DiscountId,
    ) -> Result<Option<u32>, AppError> {
        Ok(self
            .store
            .get::<Discount>(scope, id.as_str())
            .await?
            .and_then(|d| d.per_customer_usage_limit))
    }

    /// Settles a `processing` payment from the processor's own record of
    /// the charge under its reference: what a retried form post and the
    /// reconciliation job do, so neither ever charges a second time.
    /// `Ok(None)` while the processor knows no finished charge for it.
    pub(crate) async fn reconcile(&self, claimed: Claimed) -> Result<Option<PayOutcome>, AppError> {
        let found = self
            .processor
            .find_charge(claimed.payment.id.as_str())
            .await
            .map_err(|e| AppError::ProcessorUnavailable(e.to_string()))?;
        match found {
            Some(outcome @ (ChargeOutcome::Succeeded { .. } | ChargeOutcome::Declined { .. })) => {
                tracing::info!(
                    business = %claimed.scope.business,
                    payment = %claimed.payment.id,
                    "reconciling a processing payment from the processor's record"
                );
                self.settle(claimed, outcome, None).await.map(Some)
            }
            _ => Ok(None),
        }
    }

    /// Commits the processor's answer for a claimed payment (see the module).
    pub(crate) async fn settle(
        &self,
        claimed: Claimed,
        outcome: ChargeOutcome,
        saved_method: Option<SavedMethod>,
    ) -> Result<PayOutcome, AppError> {
        let Claimed {
            scope,
            mut session,
            session_version,
            mut payment,
            payment_version,
        } = claimed;
        let now = self.now_in(&scope).await?;
        let reconciled = jobs::reconcile_key(&payment, payment_version);
        let (changes, outcome) = match outcome {
            ChargeOutcome::Succeeded {
                processor_reference,
            } => {
                if let Some(new) = &saved_method {
                    payment.saved_method = Some(new.id.clone());
                }
                let event = payment.succeed(processor_reference, now);
                session.completed_at = Some(now);
                let mut changes = Changes::new()
                    .update_from(&payment, payment_version)
                    .update_from(&session, session_version)
                    .emit(event);
                if let Some(method) = &saved_method {
                    changes = changes.insert(method);
                }
                let redirect = session
                    .return_url
                    .as_deref()
                    .filter(|_| session.flags.redirect_immediately)
                    .map(|url| return_url_with(url, &payment, session.customer_email.as_deref()));
                let outcome = PayOutcome::Succeeded {
                    payment: payment.clone(),
                    redirect,
                };
                (changes, outcome)
            }
            ChargeOutcome::Declined { reason } => {
                let event = payment.fail(reason, now);
                let mut changes = Changes::new()
                    .update_from(&payment, payment_version)
                    .emit(event);
                for id in &payment.discounts {
                    changes = changes.release_one::<Discount>(id.as_str(), "times_used");
                }
                let outcome = PayOutcome::Declined {
                    payment: payment.clone(),
                    message: reason.message().to_owned(),
                };
                (changes, outcome)
            }
            ChargeOutcome::RequiresAction { challenge } => {
                payment.require_action(challenge, now);
                let changes = Changes::new().update_from(&payment, payment_version);
                let outcome = PayOutcome::Challenge {
                    payment: payment.clone(),
                };
                (changes, outcome)
            }
        };
        let changes = changes.cancel_job(jobs::RECONCILE_PAYMENT, reconciled);
        if let Err(e) = self.commit(&scope, changes).await {
            tracing::error!(
                business = %scope.business,
                mode = scope.mode.as_str(),
                session = %session.id,
                payment = %payment.id,
                error = %e,
                "the processor answered but its outcome could not be committed; \
                 the payment stays processing until it is reconciled"
            );
            return Err(AppError::Store(e));
        }
        Ok(outcome)
    }
}
