//! 3-D Secure: finishing a challenge the customer passed or failed on the
//! page, and saving the card that passed it. The payment is claimed again
//! (`processing`, guarded by its version) before the processor completes
//! the charge, so a challenge answered twice charges once.

use kassa_core::id::{CheckoutSessionId, PaymentId};
use kassa_core::payment::Payment;
use kassa_processor::ChargeOutcome;
use kassa_store::{Changes, Conflict, Records, StoreError};

use super::attempt::Claimed;
use super::{Loaded, PayOutcome};
use crate::{App, AppError, jobs};

impl App {
    /// Finishes a 3-D Secure challenge the customer passed or failed.
    pub async fn finish_challenge(
        &self,
        id: &CheckoutSessionId,
        payment_id: &PaymentId,
        passed: bool,
    ) -> Result<PayOutcome, AppError> {
        let Loaded {
            scope,
            session,
            version,
        } = self.open_session(id).await?;
        let (mut payment, payment_version) = self
            .store
            .get_versioned::<Payment>(&scope, payment_id.as_str())
            .await?
            .filter(|(p, _)| p.checkout_session.as_ref() == Some(id))
            .ok_or_else(|| AppError::not_found("payment", payment_id))?;
        let Some(challenge) = payment.challenge.clone() else {
            return Err(AppError::unusable("payment", "no challenge is pending"));
        };
        let now = self.now_in(&scope).await?;
        payment.begin_processing(now)?;
        let reconcile = jobs::reconcile_job(&payment, payment_version + 1, now);
        let changes = Changes::new()
            .update_from(&payment, payment_version)
            .schedule(reconcile);
        match self.commit(&scope, changes).await {
            Ok(()) => {}
            Err(StoreError::Conflict(Conflict::Changed { .. })) => {
                return Err(AppError::unusable(
                    "payment",
                    "the challenge was already answered",
                ));
            }
            Err(e) => return Err(e.into()),
        }
        let claimed = Claimed {
            scope,
            session,
            session_version: version,
            payment,
            payment_version: payment_version + 1,
        };
        let outcome = self
            .processor
            .complete_challenge(&challenge, passed)
            .await
            .map_err(|e| AppError::ProcessorUnavailable(e.to_string()))?;
        let mut claimed = claimed;
        let token = claimed.payment.challenged_card_token.take();
        let to_save = match (&outcome, token) {
            (ChargeOutcome::Succeeded { .. }, Some(token)) => {
                self.saved_method(&claimed.payment, token)
            }
            _ => None,
        };
        self.settle(claimed, outcome, to_save).await
    }
}
