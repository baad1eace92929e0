//! Paying a checkout session from the hosted page: the customer's details
//! are checked, the cart is priced again, the processor charges, and a
//! success is committed as one purchase (payment, discount uses, session).

use kassa_core::checkout::{CheckoutSession, CustomerRef, Quote, SessionStatus};
use kassa_core::id::{BrandId, CheckoutSessionId, CustomerId, PaymentId};
use kassa_core::money::{Currency, Money};
use kassa_core::page::Page;
use kassa_core::payment::{Payment, PaymentStatus, SavedMethod};
use kassa_core::tenancy::Scope;
use kassa_core::webhook::{Event, EventType};
use kassa_processor::{ChargeOutcome, ChargeRequest, PaymentMethod};
use kassa_store::{Purchase, StoreError};

use crate::{App, AppError};

mod challenge;
mod form;

use form::{Chosen, Details, check_form, payment_method, summary};
pub use form::{PayForm, SAVED_PREFIX};

/// How a pay attempt ended.
pub enum PayOutcome {
    /// Where to send the browser: the merchant's `return_url` with the
    /// result in its query, or `None` for Kassa's own success page.
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
}

impl App {
    /// Loads a session by id alone (its URL is the capability).
    pub async fn session_view(&self, id: &CheckoutSessionId) -> Result<SessionView, AppError> {
        let (scope, session) = self
            .store
            .find_session(id)
            .await?
            .ok_or_else(|| AppError::not_found("checkout session", id))?;
        let now = self.now();
        let quote = self.price_session(&scope, &session, now).await;
        let business_name = self
            .store
            .list_businesses()
            .await?
            .into_iter()
            .find(|b| b.id == scope.business)
            .map(|b| b.name)
            .unwrap_or_default();
        let saved_methods = self.offered_methods(&scope, &session).await?;
        let currencies = self.offered_currencies(&scope, &session).await?;
        Ok(SessionView {
            status: session.status(now),
            scope,
            session,
            business_name,
            quote,
            saved_methods,
            currencies,
        })
    }

    /// Adds a code typed on the page to the session, if it is redeemable.
    pub async fn apply_discount_code(
        &self,
        id: &CheckoutSessionId,
        code: &str,
    ) -> Result<(), AppError> {
        let view = self.open_session(id).await?;
        if !view.session.flags.allow_discount_code {
            return Err(AppError::unusable(
                "discount_code",
                "codes cannot be entered here",
            ));
        }
        let code = code.trim().to_ascii_uppercase();
        if code.is_empty() || view.session.discount_codes.contains(&code) {
            return Ok(());
        }
        let mut session = view.session;
        session.discount_codes.push(code);
        self.price_session(&view.scope, &session, self.now())
            .await?;
        self.store.update_session(&view.scope, &session).await?;
        Ok(())
    }

    /// Charges the session with what the customer entered.
    pub async fn pay_session(
        &self,
        id: &CheckoutSessionId,
        form: PayForm,
    ) -> Result<PayOutcome, AppError> {
        let view = self.open_session(id).await?;
        let (scope, mut session) = (view.scope, view.session);
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
        let quote = self.price_session(&scope, &session, self.now()).await?;
        let (method, saved) = match payment_method(&form, self.today()) {
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
        let customer = self.resolve_customer(&scope, &session, &details).await?;
        let brand = self.primary_brand_id(&scope).await?;
        let mut payment = self.new_payment(&session, &quote, customer, brand, &details, &method);
        if let Some(saved) = &saved {
            payment.card = Some(saved.card.clone());
            payment.payment_method_type = Some(saved.method_type.clone());
            payment.saved_method = Some(saved.id.clone());
        }
        // A session opened by `POST /payments` (or one whose challenge was
        // abandoned) has a payment still waiting: this attempt continues it,
        // so the merchant's payment id stays the one it knows. A failed
        // payment stays failed; a retry after it is a payment of its own.
        let mut stored = false;
        if let Some(earlier) = &session.payment
            && let Some(existing) = self.store.get_payment(&scope, earlier).await?
            && matches!(
                existing.status,
                PaymentStatus::RequiresPaymentMethod | PaymentStatus::RequiresCustomerAction
            )
        {
            payment.id = existing.id;
            payment.created_at = existing.created_at;
            stored = true;
        }
        let request = ChargeRequest {
            reference: payment.id.to_string(),
            amount: Money::new(quote.today.total, quote.currency),
            method,
            off_session: false,
            force_3ds: session.force_3ds.unwrap_or(false),
        };
        let outcome = self
            .processor
            .charge(&request)
            .await
            .map_err(|e| AppError::unusable("payment", e.to_string()))?;
        // A card typed now is kept for the customer's next purchase; one
        // that must pass a challenge first is kept once it has.
        let to_save = match (&outcome, &request.method) {
            (ChargeOutcome::Succeeded { .. }, PaymentMethod::Card(_)) => self
                .processor
                .reusable(&request.method)
                .and_then(|token| self.saved_method(&payment, token)),
            (ChargeOutcome::RequiresAction { .. }, PaymentMethod::Card(_)) => {
                payment.challenged_card_token = self.processor.reusable(&request.method);
                None
            }
            _ => None,
        };
        self.settle(&scope, session, &mut payment, outcome, stored, to_save)
            .await
    }

    pub async fn payment(&self, scope: &Scope, id: &PaymentId) -> Result<Payment, AppError> {
        self.store
            .get_payment(scope, id)
            .await?
            .ok_or_else(|| AppError::not_found("payment", id))
    }

    pub async fn list_payments(
        &self,
        scope: &Scope,
        filter: &kassa_core::payment::PaymentFilter,
        page: Page,
    ) -> Result<Vec<Payment>, AppError> {
        Ok(self.store.list_payments(scope, filter, page).await?)
    }

    pub(crate) async fn open_session(
        &self,
        id: &CheckoutSessionId,
    ) -> Result<SessionView, AppError> {
        let view = self.session_view(id).await?;
        match view.status {
            SessionStatus::Open => Ok(view),
            SessionStatus::Expired => Err(AppError::unusable("session", "has expired")),
            SessionStatus::Completed => Err(AppError::unusable("session", "is already paid")),
        }
    }

    /// Records the outcome: a success commits the whole purchase, with the
    /// card it saves (if any) linked to the payment.
    pub(crate) async fn settle(
        &self,
        scope: &Scope,
        mut session: CheckoutSession,
        payment: &mut Payment,
        outcome: ChargeOutcome,
        stored: bool,
        saved_method: Option<SavedMethod>,
    ) -> Result<PayOutcome, AppError> {
        let now = self.now();
        payment.updated_at = now;
        match outcome {
            ChargeOutcome::Succeeded {
                processor_reference,
            } => {
                payment.status = PaymentStatus::Succeeded;
                payment.processor_reference = Some(processor_reference);
                if let Some(new) = &saved_method {
                    payment.saved_method = Some(new.id.clone());
                }
                session.payment = Some(payment.id.clone());
                session.completed_at = Some(now);
                let purchase = Purchase {
                    payment: payment.clone(),
                    new_customer: None,
                    session: session.clone(),
                    saved_method,
                    discounts: payment.discounts.clone(),
                    events: vec![Event::payment(
                        EventType::PaymentSucceeded,
                        &payment.id,
                        now,
                    )],
                };
                match self.store.complete_purchase(scope, &purchase).await {
                    Ok(()) => {}
                    Err(StoreError::Conflict {
                        what: "discount usage",
                    }) => {
                        return self
                            .decline(scope, payment, stored, "DISCOUNT_CODE_USAGE_LIMIT_EXCEEDED",
                                "A discount code in your order has just been used up. Remove it and try again.")
                            .await;
                    }
                    Err(StoreError::Conflict {
                        what: "checkout session",
                    }) => {
                        return Err(AppError::unusable("session", "is already paid"));
                    }
                    Err(e) => return Err(e.into()),
                }
                self.wake_deliveries();
                let redirect = session
                    .return_url
                    .as_deref()
                    .map(|url| return_url_with(url, payment, session.customer_email.as_deref()));
                Ok(PayOutcome::Succeeded {
                    payment: payment.clone(),
                    redirect,
                })
            }
            ChargeOutcome::Declined { reason } => {
                self.decline(scope, payment, stored, reason.code(), reason.message())
                    .await
            }
            ChargeOutcome::RequiresAction { challenge } => {
                payment.status = PaymentStatus::RequiresCustomerAction;
                payment.challenge = Some(challenge);
                self.store_payment(scope, payment, stored, &[]).await?;
                session.payment = Some(payment.id.clone());
                self.store.update_session(scope, &session).await?;
                Ok(PayOutcome::Challenge {
                    payment: payment.clone(),
                })
            }
        }
    }

    async fn decline(
        &self,
        scope: &Scope,
        payment: &mut Payment,
        stored: bool,
        code: &str,
        message: &str,
    ) -> Result<PayOutcome, AppError> {
        payment.status = PaymentStatus::Failed;
        payment.error_code = Some(code.to_owned());
        payment.error_message = Some(message.to_owned());
        let failed = Event::payment(EventType::PaymentFailed, &payment.id, payment.updated_at);
        self.store_payment(scope, payment, stored, &[failed])
            .await?;
        self.wake_deliveries();
        Ok(PayOutcome::Declined {
            payment: payment.clone(),
            message: message.to_owned(),
        })
    }

    async fn store_payment(
        &self,
        scope: &Scope,
        payment: &Payment,
        stored: bool,
        events: &[Event],
    ) -> Result<(), AppError> {
        if stored {
            self.store.update_payment(scope, payment, events).await?;
        } else {
            self.store.insert_payment(scope, payment, events).await?;
        }
        Ok(())
    }

    /// The session's customer: the one it names, one with the same email
    /// (unless `always_create_new_customer`), or a new one.
    async fn resolve_customer(
        &self,
        scope: &Scope,
        session: &CheckoutSession,
        details: &Details,
    ) -> Result<CustomerId, AppError> {
        if let Some(CustomerRef::Existing(id)) = &session.customer {
            return Ok(id.clone());
        }
        let (email, name, phone) = (
            details.email.clone(),
            Some(details.name.clone()),
            details.phone.clone(),
        );
        let (customer, new) = if session.flags.always_create_new_customer {
            (self.unsaved_customer(scope, email, name, phone)?, true)
        } else {
            self.customer_for_email(scope, email, name, phone).await?
        };
        if new {
            self.store.insert_customer(scope, &customer).await?;
        }
        Ok(customer.id)
    }

    fn new_payment(
        &self,
        session: &CheckoutSession,
        quote: &Quote,
        customer: CustomerId,
        brand: BrandId,
        details: &Details,
        method: &PaymentMethod,
    ) -> Payment {
        let (method_type, card) = match method {
            PaymentMethod::Card(card) => ("credit", Some(summary(card))),
            PaymentMethod::Upi { .. } => ("upi_collect", None),
            // The caller fills in the saved card's summary.
            PaymentMethod::Saved { .. } => ("credit", None),
        };
        let mut payment =
            self.pending_payment(session, quote, customer, brand, details.billing.clone());
        payment.payment_method_type = Some(method_type.to_owned());
        payment.card = card;
        payment.custom_field_responses = details.custom.clone();
        payment.customer_business_name = details.business_name.clone();
        payment
    }

    fn today(&self) -> (i32, u32) {
        let now = self.now();
        (now.year(), now.month() as u32)
    }
}

/// `return_url` with Dodo's query parameters appended.
fn return_url_with(url: &str, payment: &Payment, email: Option<&str>) -> String {
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
