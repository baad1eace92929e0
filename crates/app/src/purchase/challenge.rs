//! 3-D Secure: finishing a challenge the customer passed or failed on the
//! page, and saving the card that passed it.

use kassa_core::id::{CheckoutSessionId, PaymentId};
use kassa_processor::ChargeOutcome;

use super::PayOutcome;
use crate::{App, AppError};

impl App {
    /// Finishes a 3-D Secure challenge the customer passed or failed.
    pub async fn finish_challenge(
        &self,
        id: &CheckoutSessionId,
        payment_id: &PaymentId,
        passed: bool,
    ) -> Result<PayOutcome, AppError> {
        let view = self.open_session(id).await?;
        let mut payment = self
            .store
            .get_payment(&view.scope, payment_id)
            .await?
            .filter(|p| p.checkout_session.as_ref() == Some(id))
            .ok_or_else(|| AppError::not_found("payment", payment_id))?;
        let Some(challenge) = payment.challenge.clone() else {
            return Err(AppError::unusable("payment", "no challenge is pending"));
        };
        let outcome = self
            .processor
            .complete_challenge(&challenge, passed)
            .await
            .map_err(|e| AppError::unusable("payment", e.to_string()))?;
        payment.challenge = None;
        let token = payment.challenged_card_token.take();
        let to_save = match (&outcome, token) {
            (ChargeOutcome::Succeeded { .. }, Some(token)) => self.saved_method(&payment, token),
            _ => None,
        };
        self.settle(
            &view.scope,
            view.session,
            &mut payment,
            outcome,
            true,
            to_save,
        )
        .await
    }
}
