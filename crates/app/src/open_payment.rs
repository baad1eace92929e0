//! One-time payments opened by the merchant's backend (`POST /payments`):
//! the customer and a pending payment exist at once, and a checkout session
//! (the payment link) takes the money later.
//!
//! Everything is checked before anything is written, and the customer, the
//! payment and the session are committed together.

use kassa_core::checkout::{CheckoutSession, CustomerRef, Quote, SessionDraft};
use kassa_core::customer::Customer;
use kassa_core::field::{self, FieldPath};
use kassa_core::id::CheckoutSessionId;
use kassa_core::payment::{Payment, SavedMethod};
use kassa_core::tenancy::Scope;
use kassa_store::Changes;

use crate::saved_methods::Opened;
use crate::{App, AppError, PayOutcome};

/// A payment opened by the API, with what its response shows.
pub struct OpenPayment {
    pub payment: Payment,
    pub customer: Customer,
    pub session: CheckoutSession,
    pub quote: Quote,
    /// The hosted page that takes the payment.
    pub link: String,
    /// The saved method `payment_method_id` named, to charge at once.
    pub saved: Option<SavedMethod>,
}

impl App {
    /// Opens a pending one-time payment for `draft`'s cart and customer.
    /// `draft.customer` and `draft.billing` must be present (the dialect
    /// requires them); subscription products are refused.
    pub async fn create_payment(
        &self,
        scope: &Scope,
        draft: SessionDraft,
    ) -> Result<OpenPayment, AppError> {
        self.open_with_payment(scope, draft, true).await
    }

    /// A session with its pending payment, customer included, committed
    /// together: what `POST /payments` and a confirmed checkout open.
    pub(crate) async fn open_with_payment(
        &self,
        scope: &Scope,
        mut draft: SessionDraft,
        one_time_only: bool,
    ) -> Result<OpenPayment, AppError> {
        self.may_charge(scope)?;
        let billing = draft
            .billing
            .clone()
            .ok_or_else(|| AppError::unusable("billing", "is required"))?;
        let (customer, new_customer) = match draft.customer.take() {
            Some(CustomerRef::Existing(id)) => (self.customer(scope, &id).await?, false),
            Some(CustomerRef::New {
                email,
                name,
                phone_number,
            }) => {
                self.customer_for_email(scope, email, name, phone_number)
                    .await?
            }
            None => return Err(AppError::unusable("customer", "is required")),
        };
        draft.customer = Some(CustomerRef::Existing(customer.id.clone()));
        let known = customer.details();
        let now = self.now_in(scope).await?;
        let mut session = CheckoutSession::create(
            CheckoutSessionId::generate(),
            scope.business.clone(),
            draft,
            Some(&known),
            now,
        )?;
        let saved = match &session.payment_method_id {
            Some(raw) => {
                let id = kassa_core::id::PaymentMethodId::parse(raw)
                    .map_err(|_| AppError::not_found("payment method", raw))?;
                if new_customer {
                    return Err(AppError::unusable(
                        "payment_method_id",
                        "needs an existing customer (customer.customer_id)",
                    ));
                }
                Some(self.owned_method(scope, &customer.id, &id).await?)
            }
            None => None,
        };
        for (i, product) in self
            .cart_products(scope, &session)
            .await?
            .iter()
            .enumerate()
        {
            if one_time_only && product.price.is_recurring() {
                return Err(AppError::unusable(
                    FieldPath::cart_line(i).field(field::PRODUCT),
                    format!(
                        "{} is a subscription product; POST /payments sells one-time products",
                        product.id
                    ),
                ));
            }
        }
        let quote = self.price_session(scope, &session, now).await?;
        let brand = self.primary_brand_id(scope).await?;
        let payment = Payment::pending(
            &session,
            &quote,
            customer.id.clone(),
            brand,
            billing,
            self.processor.name(),
            now,
        );
        session.payment = Some(payment.id.clone());
        let mut changes = Changes::new();
        if new_customer {
            changes = changes.insert(&customer);
        }
        let changes = changes
            .insert(&payment)
            .insert(&session)
            .schedule(crate::jobs::expiry_job(&session, now));
        let link = if session.short_link {
            self.commit_with_session_link(scope, &session.id, changes)
                .await?
        } else {
            self.commit(scope, changes).await?;
            self.checkout_url(&session.id)
        };
        let (mut payment, mut session) = (payment, session);
        // `payment_method_id`: the merchant charges the saved card now.
        if let Some(method) = saved.clone() {
            let opened = Opened {
                scope: scope.clone(),
                session: session.clone(),
                session_version: 0,
                payment,
                payment_version: 0,
            };
            payment = match self.charge_saved(opened, method).await? {
                PayOutcome::Succeeded { payment, .. }
                | PayOutcome::Declined { payment, .. }
                | PayOutcome::Challenge { payment } => payment,
                PayOutcome::Invalid(errors) => {
                    let why = errors.into_iter().map(|(_, m)| m).collect::<Vec<_>>();
                    return Err(AppError::unusable("payment_method_id", why.join(" ")));
                }
            };
            session = self.checkout(scope, &session.id).await?;
        }
        Ok(OpenPayment {
            payment,
            customer,
            session,
            quote,
            link,
            saved,
        })
    }
}
