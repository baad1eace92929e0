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
use kassa_store::{Changes, Records, filters};

use crate::purchase::attempt::Attempt;
use crate::{App, AppError, PayOutcome};

impl App {
    pub async fn list_saved_methods(
        &self,
        scope: &Scope,
        customer: &CustomerId,
    ) -> Result<Vec<SavedMethod>, AppError> {
        self.customer(scope, customer).await?;
        self.methods_of(scope, customer).await
    }

    pub async fn delete_saved_method(
        &self,
        scope: &Scope,
        customer: &CustomerId,
        id: &PaymentMethodId,
    ) -> Result<(), AppError> {
        self.owned_method(scope, customer, id).await?;
        let changes = Changes::new().delete::<SavedMethod>(id.as_str());
        Ok(self.commit(scope, changes).await?)
    }

    /// The method if it is this customer's; `NotFound` otherwise.
    pub(crate) async fn owned_method(
        &self,
        scope: &Scope,
        customer: &CustomerId,
        id: &PaymentMethodId,
    ) -> Result<SavedMethod, AppError> {
        self.store
            .get::<SavedMethod>(scope, id.as_str())
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
                self.methods_of(scope, customer).await
            }
            _ => Ok(Vec::new()),
        }
    }

    /// The customer's methods, newest first.
    async fn methods_of(
        &self,
        scope: &Scope,
        customer: &CustomerId,
    ) -> Result<Vec<SavedMethod>, AppError> {
        Ok(self
            .store
            .list(scope, &filters::methods_of(customer), None)
            .await?)
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
    /// saved method, the customer not present (`payment_method_id`): the
    /// same claim, charge and settle as the hosted page's.
    pub(crate) async fn charge_saved(
        &self,
        opened: Opened,
        method: SavedMethod,
    ) -> Result<PayOutcome, AppError> {
        let Opened {
            scope,
            session,
            session_version,
            payment: stored,
            payment_version,
        } = opened;
        let mut payment = stored.clone();
        payment.card = Some(method.card.clone());
        payment.payment_method_type = Some(method.method_type.clone());
        payment.saved_method = Some(method.id.clone());
        let attempt = Attempt {
            scope,
            session,
            session_version,
            payment,
            continues: Some((stored, payment_version)),
            new_customer: None,
        };
        let claimed = match self.claim(attempt).await? {
            Ok(claimed) => claimed,
            Err(errors) => return Ok(PayOutcome::Invalid(errors)),
        };
        let request = ChargeRequest {
            reference: claimed.payment.id.to_string(),
            amount: Money::new(claimed.payment.total_amount, claimed.payment.currency),
            method: PaymentMethod::Saved {
                token: method.token,
            },
            off_session: true,
            force_3ds: false,
        };
        let outcome = self.charge(&claimed, &request).await?;
        self.settle(claimed, outcome, None).await
    }
}

/// A session and its pending payment as just committed, with their versions.
pub(crate) struct Opened {
    pub scope: Scope,
    pub session: CheckoutSession,
    pub session_version: u64,
    pub payment: Payment,
    pub payment_version: u64,
}
