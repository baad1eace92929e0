//! Paying a checkout session from the hosted page: the customer's details
//! are checked, the cart is priced, and the attempt runs as claim, charge,
//! settle ([`attempt`]).

use kassa_core::checkout::{CheckoutSession, CustomerRef, Quote, SessionStatus};
use kassa_core::customer::Customer;
use kassa_core::id::{CheckoutSessionId, CustomerId, PaymentId};
use kassa_core::money::{Currency, Money};
use kassa_core::page::Page;
use kassa_core::payment::{Payment, PaymentStatus, SavedMethod};
use kassa_core::tenancy::{Mode, Scope};
use kassa_processor::{ChargeOutcome, ChargeRequest, PaymentMethod};
use kassa_store::{Records, filters};

use crate::{App, AppError};

pub(crate) mod attempt;
mod challenge;
mod form;

use attempt::Attempt;
use form::{Chosen, Details, check_form, payment_method, summary};
pub use form::{PayForm, SAVED_PREFIX};

/// How a pay attempt ended.
pub enum PayOutcome {
    /// Where to send the browser: the merchant's `return_url` with the
    /// result in its query when the session redirects at once, or `None`
    /// for Kassa's own success page (which links to the `return_url`).
    Succeeded {
        payment: Payment,
        redirect: Option<String>,
    },
    /// The processor refused; the page shows `message` and lets them retry.
    Declined { payment: Payment, message: String },
    /// The customer must pass a 3-D Secure challenge.
    Challenge { payment: Payment },
    /// The form is incomplete or wrong: (field, message) pairs, nothing written.
    Invalid(Vec<(String, String)>),
}

/// A session as its hosted page sees it.
pub struct SessionView {
    pub scope: Scope,
    pub session: CheckoutSession,
    pub status: SessionStatus,
    pub business_name: String,
    /// `Err` when the cart can no longer be priced (a product archived since).
    pub quote: Result<Quote, AppError>,
    /// The returning customer's saved cards, when the session shows them.
    pub saved_methods: Vec<SavedMethod>,
    /// Adaptive pricing: the currencies the customer may switch to, the
    /// current one included; empty when there is nothing to choose.
    pub currencies: Vec<Currency>,
    /// The session's latest payment attempt, if any.
    pub payment: Option<Payment>,
    /// Whether it can be paid at all: `false` in live mode without a
    /// processor that takes live money (the page says so instead).
    pub payable: bool,
}

impl SessionView {
    /// Where the customer returns to after paying: the merchant's
    /// `return_url` with the latest payment's result in its query.
    pub fn return_url(&self) -> Option<String> {
        let url = self.session.return_url.as_deref()?;
        let payment = self.payment.as_ref()?;
        Some(return_url_with(
            url,
            payment,
            self.session.customer_email.as_deref(),
        ))
    }
}

/// A session found by its id alone, with the version its changes guard.
pub(crate) struct Loaded {
    pub scope: Scope,
    pub session: CheckoutSession,
    pub version: u64,
}

impl App {
    /// Loads a session by id alone (its URL is the capability).
    pub async fn session_view(&self, id: &CheckoutSessionId) -> Result<SessionView, AppError> {
        let Loaded { scope, session, .. } = self.load_session(id).await?;
        let now = self.now_in(&scope).await?;
        let quote = self.price_session(&scope, &session, now).await;
        let business_name = self.business_name(&scope.business).await?;
        let saved_methods = self.offered_methods(&scope, &session).await?;
        let currencies = self.offered_currencies(&scope, &session).await?;
        let payment = match &session.payment {
            Some(id) => self.store.get::<Payment>(&scope, id.as_str()).await?,
            None => None,
        };
        Ok(SessionView {
            payment,
            payable: self.may_charge(&scope).is_ok(),
            status: session.status(now),
            scope,
            session,
            business_name,
            quote,
            saved_methods,
            currencies,
        })
    }

    pub(crate) async fn load_session(&self, id: &CheckoutSessionId) -> Result<Loaded, AppError> {
        let (scope, session, version) = self
            .store
            .find_versioned::<CheckoutSession>(id.as_str())
            .await?
            .ok_or_else(|| AppError::not_found("checkout session", id))?;
        Ok(Loaded {
            scope,
            session,
            version,
        })
    }

    /// A session that can still be paid.
    pub(crate) async fn open_session(&self, id: &CheckoutSessionId) -> Result<Loaded, AppError> {
        let loaded = self.load_session(id).await?;
        match loaded.session.status(self.now_in(&loaded.scope).await?) {
            SessionStatus::Open => Ok(loaded),
            SessionStatus::Expired => Err(AppError::unusable("session", "has expired")),
            SessionStatus::Completed => Err(AppError::unusable("session", "is already paid")),
        }
    }

    /// Adds a code typed on the page to the session, if it is redeemable.
    pub async fn apply_discount_code(
        &self,
        id: &CheckoutSessionId,
        code: &str,
    ) -> Result<(), AppError> {
        let Loaded { scope, session, .. } = self.open_session(id).await?;
        if !session.flags.allow_discount_code {
            return Err(AppError::unusable(
                "discount_code",
                "codes cannot be entered here",
            ));
        }
        let code = code.trim().to_ascii_uppercase();
        if code.is_empty() || session.discount_codes.contains(&code) {
            return Ok(());
        }
        let mut priced = session.clone();
        priced.discount_codes.push(code.clone());
        self.price_session(&scope, &priced, self.now_in(&scope).await?)
            .await?;
        self.modify(
            &scope,
            id.as_str(),
            "checkout session",
            |s: &mut CheckoutSession| {
                if !s.discount_codes.contains(&code) {
                    s.discount_codes.push(code.clone());
                }
                Ok(())
            },
        )
        .await?;
        Ok(())
    }

    /// Charges the session with what the customer entered.
    pub async fn pay_session(
        &self,
        id: &CheckoutSessionId,
        form: PayForm,
    ) -> Result<PayOutcome, AppError> {
        let Loaded {
            scope,
            mut session,
            version,
        } = self.open_session(id).await?;
        self.may_charge(&scope)?;
        let details = match check_form(&session, &form) {
            Ok(details) => details,
            Err(errors) => return Ok(PayOutcome::Invalid(errors)),
        };
        session.billing = Some(details.billing.clone());
        session.customer_email = Some(details.email.clone());
        session.customer_name = Some(details.name.clone());
        if let Some(tax_id) = &form.tax_id {
            session.tax_id = Some(tax_id.trim().to_owned()).filter(|t| !t.is_empty());
        }
        let quote = self
            .price_session(&scope, &session, self.now_in(&scope).await?)
            .await?;
        let (method, saved) = match payment_method(&form, self.today(&scope).await?) {
            Ok(Chosen::Fresh(method)) => (method, None),
            Ok(Chosen::Saved(id)) => match self.offered_method(&scope, &session, &id).await? {
                Some(saved) => (
                    PaymentMethod::Saved {
                        token: saved.token.clone(),
                    },
                    Some(saved),
                ),
                None => {
                    let why = "That saved card is not available.";
                    return Ok(PayOutcome::Invalid(vec![(
                        "payment_method".into(),
                        why.into(),
                    )]));
                }
            },
            Err(errors) => return Ok(PayOutcome::Invalid(errors)),
        };
        let (customer, new_customer) = self.resolve_customer(&scope, &session, &details).await?;
        let brand = self.primary_brand_id(&scope).await?;
        let mut payment = Payment::pending(
            &session,
            &quote,
            customer,
            brand,
            details.billing.clone(),
            self.processor.name(),
            self.now_in(&scope).await?,
        );
        describe_method(&mut payment, &details, &method, saved.as_ref());
        // A session opened by `POST /payments` (or one whose challenge was
        // abandoned) has a payment still waiting: this attempt continues it,
        // so the merchant's payment id stays the one it knows. A failed
        // payment stays failed; a retry after it is a payment of its own.
        let mut continues = None;
        if let Some(earlier) = &session.payment
            && let Some((existing, v)) = self
                .store
                .get_versioned::<Payment>(&scope, earlier.as_str())
                .await?
        {
            match existing.status {
                PaymentStatus::RequiresPaymentMethod | PaymentStatus::RequiresCustomerAction => {
                    payment.id = existing.id.clone();
                    payment.created_at = existing.created_at;
                    continues = Some((existing, v));
                }
                PaymentStatus::Processing => {
                    let claimed = attempt::Claimed {
                        scope,
                        session,
                        session_version: version,
                        payment: existing,
                        payment_version: v,
                    };
                    return match self.reconcile(claimed).await? {
                        Some(outcome) => Ok(outcome),
                        None => Err(AppError::unusable("session", "is already being paid")),
                    };
                }
                _ => {}
            }
        }
        let attempt = Attempt {
            scope,
            session,
            session_version: version,
            payment,
            continues,
            new_customer,
        };
        let claimed = match self.claim(attempt).await? {
            Ok(claimed) => claimed,
            Err(errors) => return Ok(PayOutcome::Invalid(errors)),
        };
        let request = ChargeRequest {
            reference: claimed.payment.id.to_string(),
            amount: Money::new(quote.today.total, quote.currency),
            method,
            off_session: false,
            force_3ds: claimed.session.force_3ds.unwrap_or(false),
        };
        let outcome = self.charge(&claimed, &request).await?;
        // A card typed now is kept for the customer's next purchase; one
        // that must pass a challenge first is kept once it has.
        let mut claimed = claimed;
        let to_save = match (&outcome, &request.method) {
            (ChargeOutcome::Succeeded { .. }, PaymentMethod::Card(_)) => self
                .processor
                .reusable(&request.method)
                .and_then(|token| self.saved_method(&claimed.payment, token)),
            (ChargeOutcome::RequiresAction { .. }, PaymentMethod::Card(_)) => {
                claimed.payment.challenged_card_token = self.processor.reusable(&request.method);
                None
            }
            _ => None,
        };
        self.settle(claimed, outcome, to_save).await
    }

    /// Refuses a charge in live mode unless the processor takes live
    /// money: test cards never pay a live-mode session.
    pub(crate) fn may_charge(&self, scope: &Scope) -> Result<(), AppError> {
        match scope.mode {
            Mode::Live if !self.processor.takes_live_payments() => Err(AppError::MerchantNotLive),
            _ => Ok(()),
        }
    }

    /// Asks the processor to charge a claimed payment. A processor that
    /// cannot answer is an outage (retryable), never the customer's fault;
    /// the claim stays for reconciliation.
    pub(crate) async fn charge(
        &self,
        claimed: &attempt::Claimed,
        request: &ChargeRequest,
    ) -> Result<ChargeOutcome, AppError> {
        self.processor.charge(request).await.map_err(|e| {
            tracing::error!(
                business = %claimed.scope.business,
                session = %claimed.session.id,
                payment = %claimed.payment.id,
                error = %e,
                "the processor did not answer a charge"
            );
            AppError::ProcessorUnavailable(e.to_string())
        })
    }

    pub async fn payment(&self, scope: &Scope, id: &PaymentId) -> Result<Payment, AppError> {
        self.store
            .get::<Payment>(scope, id.as_str())
            .await?
            .ok_or_else(|| AppError::not_found("payment", id))
    }

    pub async fn list_payments(
        &self,
        scope: &Scope,
        filter: &kassa_core::payment::PaymentFilter,
        page: Page,
    ) -> Result<Vec<Payment>, AppError> {
        Ok(self
            .store
            .list(scope, &filters::payments(filter), Some(page))
            .await?)
    }

    /// The session's customer: the one it names, one with the same email
    /// (unless `always_create_new_customer`), or a new one, not yet stored
    /// (the claim commits it).
    async fn resolve_customer(
        &self,
        scope: &Scope,
        session: &CheckoutSession,
        details: &Details,
    ) -> Result<(CustomerId, Option<Customer>), AppError> {
        if let Some(CustomerRef::Existing(id)) = &session.customer {
            return Ok((id.clone(), None));
        }
        let (email, name, phone) = (
            details.email.clone(),
            Some(details.name.clone()),
            details.phone.clone(),
        );
        let (customer, new) = if session.flags.always_create_new_customer {
            (
                self.unsaved_customer(scope, email, name, phone).await?,
                true,
            )
        } else {
            self.customer_for_email(scope, email, name, phone).await?
        };
        Ok((customer.id.clone(), new.then_some(customer)))
    }

    async fn today(&self, scope: &Scope) -> Result<(i32, u32), AppError> {
        let now = self.now_in(scope).await?;
        Ok((now.year(), now.month() as u32))
    }
}

/// What the customer pays with and what they typed besides, on the payment.
fn describe_method(
    payment: &mut Payment,
    details: &Details,
    method: &PaymentMethod,
    saved: Option<&SavedMethod>,
) {
    let (method_type, card) = match method {
        PaymentMethod::Card(card) => ("credit".to_owned(), Some(summary(card))),
        PaymentMethod::Upi { .. } => ("upi_collect".to_owned(), None),
        PaymentMethod::Saved { .. } => match saved {
            Some(s) => (s.method_type.clone(), Some(s.card.clone())),
            None => ("credit".to_owned(), None),
        },
    };
    payment.payment_method_type = Some(method_type);
    payment.card = card;
    payment.saved_method = saved.map(|s| s.id.clone());
    payment.custom_field_responses = details.custom.clone();
    payment.customer_business_name = details.business_name.clone();
}

/// `return_url` with the result in its query, as the hosted page returns
/// (`payment_id`, `status`, `email`): the one place it is built.
pub(crate) fn return_url_with(url: &str, payment: &Payment, email: Option<&str>) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            {
                let mut q = u.query_pairs_mut();
                q.append_pair("payment_id", payment.id.as_str());
                q.append_pair("status", payment.status.as_str());
                if let Some(email) = email {
                    q.append_pair("email", email);
                }
            }
            u.to_string()
        }
        Err(_) => url.to_owned(),
    }
}
