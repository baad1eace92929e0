//! The jobs the app defines, scheduled by the commits that cause them and
//! run by the queue's workers on every node (`kassa_jobs`):
//!
//! - **expire_session**, due when a session that has a payment expires: a
//!   payment still waiting for the customer is cancelled (its discount
//!   uses given back) and `payment.cancelled` is emitted, as Dodo does.
//! - **reconcile_payment**, due shortly after a claim: if the payment is
//!   still `processing` (its outcome was never committed), it is settled
//!   from the processor's own record of the charge by its reference.
//!
//! A run's effect is committed together with the end of its job
//! ([`Changes::finishing`]), so a run whose lease lapsed changes nothing.

use async_trait::async_trait;
use kassa_core::checkout::CheckoutSession;
use kassa_core::discount::Discount;
use kassa_core::payment::{Payment, PaymentStatus};
use kassa_core::tenancy::Scope;
use kassa_jobs::JobRunner;
use kassa_store::{Changes, Conflict, JobEnd, JobFinish, LeasedJob, NewJob, Records, StoreError};
use time::{Duration, OffsetDateTime};

use crate::purchase::attempt::Claimed;
use crate::{App, AppError};

pub const EXPIRE_SESSION: &str = "expire_session";
pub const RECONCILE_PAYMENT: &str = "reconcile_payment";

/// How long after its claim an unsettled payment is reconciled.
const RECONCILE_AFTER: Duration = Duration::seconds(30);
/// How often reconciliation asks a processor that knows no charge.
const RECONCILE_TRIES: u32 = 10;
/// When a job that could not run now is tried again.
const LATER: Duration = Duration::minutes(1);

/// The expiry job of a session that has a payment.
pub(crate) fn expiry_job(session: &CheckoutSession, now: OffsetDateTime) -> NewJob {
    NewJob {
        kind: EXPIRE_SESSION,
        key: session.id.to_string(),
        run_at: session.expires_at,
        subject: Some(session.id.to_string()),
        event: None,
        payload: "{}".to_owned(),
        created_at: now,
    }
}

/// The key of a claim's reconciliation: one per claim of the payment.
pub(crate) fn reconcile_key(payment: &Payment, version: u64) -> String {
    format!("{}:{version}", payment.id)
}

pub(crate) fn reconcile_job(payment: &Payment, version: u64, now: OffsetDateTime) -> NewJob {
    NewJob {
        kind: RECONCILE_PAYMENT,
        key: reconcile_key(payment, version),
        run_at: now + RECONCILE_AFTER,
        subject: Some(payment.id.to_string()),
        event: None,
        payload: "{}".to_owned(),
        created_at: now,
    }
}

#[async_trait]
impl JobRunner for App {
    fn kinds(&self) -> &'static [&'static str] {
        &[EXPIRE_SESSION, RECONCILE_PAYMENT]
    }

    async fn run(&self, worker: &str, job: &LeasedJob) -> JobEnd {
        let result = match job.kind.as_str() {
            EXPIRE_SESSION => self.expire_session(worker, job).await,
            RECONCILE_PAYMENT => self.reconcile_payment(job).await,
            other => Ok(JobEnd::Failed(format!(
                "no runner for jobs of kind {other}"
            ))),
        };
        match result {
            Ok(end) => end,
            Err(e) => {
                tracing::warn!(job = %job.id, kind = %job.kind, error = %e, "a job failed; it runs again later");
                let at = self.now_in(&job.scope).await.unwrap_or_else(|_| self.now());
                JobEnd::RetryAt(at + LATER, e.to_string())
            }
        }
    }

    async fn now_in(&self, scope: &Scope) -> OffsetDateTime {
        App::now_in(self, scope)
            .await
            .unwrap_or_else(|_| self.now())
    }
}

impl App {
    async fn expire_session(&self, worker: &str, job: &LeasedJob) -> Result<JobEnd, AppError> {
        let scope = &job.scope;
        let now = self.now_in(scope).await?;
        let id = job.subject.as_deref().unwrap_or_default();
        let Some(session) = self.store.get::<CheckoutSession>(scope, id).await? else {
            return Ok(JobEnd::Failed(format!("session {id} is gone")));
        };
        if session.completed_at.is_some() {
            return Ok(JobEnd::Succeeded);
        }
        if session.expires_at > now {
            return Ok(JobEnd::RetryAt(
                session.expires_at,
                "not expired yet".into(),
            ));
        }
        let Some(pid) = &session.payment else {
            return Ok(JobEnd::Succeeded);
        };
        let Some((mut payment, version)) = self
            .store
            .get_versioned::<Payment>(scope, pid.as_str())
            .await?
        else {
            return Ok(JobEnd::Succeeded);
        };
        match payment.status {
            PaymentStatus::RequiresPaymentMethod | PaymentStatus::RequiresCustomerAction => {}
            // Its outcome is on the way: reconciliation settles it first.
            PaymentStatus::Processing => {
                return Ok(JobEnd::RetryAt(
                    now + LATER,
                    "the payment is processing".into(),
                ));
            }
            _ => return Ok(JobEnd::Succeeded),
        }
        let held = payment.status.holds_claims();
        let event = payment.cancel(now)?;
        let mut changes = Changes::new()
            .update_from(&payment, version)
            .emit(event)
            .finishing(JobFinish {
                worker: worker.to_owned(),
                job: job.id.clone(),
                end: JobEnd::Succeeded,
                at: self.now(),
            });
        if held {
            for d in &payment.discounts {
                changes = changes.release_one::<Discount>(d.as_str(), "times_used");
            }
        }
        match self.commit(scope, changes).await {
            Ok(()) | Err(StoreError::Conflict(Conflict::LeaseLost { .. })) => Ok(JobEnd::Succeeded),
            // The payment moved meanwhile: look again.
            Err(StoreError::Conflict(Conflict::Changed { .. })) => {
                Ok(JobEnd::RetryAt(now, "the payment changed meanwhile".into()))
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn reconcile_payment(&self, job: &LeasedJob) -> Result<JobEnd, AppError> {
        let scope = &job.scope;
        let now = self.now_in(scope).await?;
        let id = job.subject.as_deref().unwrap_or_default();
        let Some((payment, payment_version)) =
            self.store.get_versioned::<Payment>(scope, id).await?
        else {
            return Ok(JobEnd::Failed(format!("payment {id} is gone")));
        };
        if payment.status != PaymentStatus::Processing {
            return Ok(JobEnd::Succeeded);
        }
        let Some(sid) = payment.checkout_session.clone() else {
            return Ok(JobEnd::Failed(
                "a processing payment without a session".into(),
            ));
        };
        let Some((session, session_version)) = self
            .store
            .get_versioned::<CheckoutSession>(scope, sid.as_str())
            .await?
        else {
            return Ok(JobEnd::Failed(format!("session {sid} is gone")));
        };
        let claimed = Claimed {
            scope: scope.clone(),
            session,
            session_version,
            payment,
            payment_version,
        };
        match self.reconcile(claimed).await? {
            Some(_) => Ok(JobEnd::Succeeded),
            None if job.attempt >= RECONCILE_TRIES => {
                tracing::error!(business = %scope.business, payment = %id,
                    "the processor knows no finished charge for a processing payment; giving up");
                Ok(JobEnd::Failed(
                    "the processor knows no finished charge".into(),
                ))
            }
            None => Ok(JobEnd::RetryAt(
                now + LATER * job.attempt as i32,
                "the processor knows no finished charge yet".into(),
            )),
        }
    }
}
