//! Saved payment methods: kept when a returning customer's card succeeds,
//! offered on the page with `show_saved_payment_methods`, charged without
//! the customer by `payment_method_id` + `confirm`, listed and removed via
//! the customer's API.

use kassa_core::checkout::{CheckoutSession, CustomerRef};
use kassa_core::id::{CustomerId, PaymentMethodId};
use kassa_core::money::Money;
use kassa_core::payment::{Payment, SavedMethod};
use kassa_core::tenancy::Scope;
use kassa_processor::{ChargeRequest, PaymentMethod};

use crate::{App, AppError, PayOutcome};

impl App {
    pub async fn list_saved_methods(
        &self,
        scope: &Scope,
        customer: &CustomerId,
    ) -> Result<Vec<SavedMethod>, AppError> {
        self.customer(scope, customer).await?;
        Ok(self.store.list_saved_methods(scope, customer).await?)
    }

    pub async fn delete_saved_method(
        &self,
        scope: &Scope,
        customer: &CustomerId,
        id: &PaymentMethodId,
    ) -> Result<(), AppError> {
        self.owned_method(scope, customer, id).await?;
        Ok(self.store.delete_saved_method(scope, id).await?)
    }

    /// The method if it is this customer's; `NotFound` otherwise.
    pub(crate) async fn owned_method(
        &self,
        scope: &Scope,
        customer: &CustomerId,
        id: &PaymentMethodId,
    ) -> Result<SavedMethod, AppError> {
        self.store
            .get_saved_method(scope, id)
            .await?
            .filter(|m| &m.customer == customer)
            .ok_or_else(|| AppError::not_found("payment method", id))
    }

    /// What the page offers: the session's known customer's cards, when the
    /// session asked to show them.
    pub(crate) async fn offered_methods(
        &self,
        scope: &Scope,
        session: &CheckoutSession,
    ) -> Result<Vec<SavedMethod>, AppError> {
        match &session.customer {
            Some(CustomerRef::Existing(customer)) if session.show_saved_payment_methods => {
                Ok(self.store.list_saved_methods(scope, customer).await?)
            }
            _ => Ok(Vec::new()),
        }
    }

    /// One offered method, if `id` is among them.
    pub(crate) async fn offered_method(
        &self,
        scope: &Scope,
        session: &CheckoutSession,
        id: &PaymentMethodId,
    ) -> Result<Option<SavedMethod>, AppError> {
        Ok(self
            .offered_methods(scope, session)
            .await?
            .into_iter()
            .find(|m| &m.id == id))
    }

    /// A method to keep from `payment`'s card (not stored yet: the
    /// purchase commits it).
    pub(crate) fn saved_method(&self, payment: &Payment, token: String) -> Option<SavedMethod> {
        Some(SavedMethod {
            id: PaymentMethodId::generate(),
            business: payment.business.clone(),
            customer: payment.customer.clone(),
            method_type: payment.payment_method_type.clone()?,
            card: payment.card.clone()?,
            provider: self.processor.name().to_owned(),
            token,
            created_at: self.now(),
            last_used_at: None,
        })
    }

    /// Charges a confirmed session's pending payment with the customer's
    /// saved method, the customer not present (`payment_method_id`).
    pub(crate) async fn charge_saved(
        &self,
        scope: &Scope,
        session: CheckoutSession,
        mut payment: Payment,
        method: SavedMethod,
    ) -> Result<PayOutcome, AppError> {
        payment.card = Some(method.card.clone());
        payment.payment_method_type = Some(method.method_type.clone());
        payment.saved_method = Some(method.id.clone());
        let request = ChargeRequest {
            reference: payment.id.to_string(),
            amount: Money::new(payment.total_amount, payment.currency),
            method: PaymentMethod::Saved {
                token: method.token,
            },
            off_session: true,
            force_3ds: false,
        };
        let outcome = self
            .processor
            .charge(&request)
            .await
            .map_err(|e| AppError::unusable("payment_method_id", e.to_string()))?;
        self.settle(scope, session, &mut payment, outcome, true, None)
            .await
    }
}
