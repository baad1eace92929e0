//! One-time payments opened by the merchant's backend (`POST /payments`):
//! the customer and a pending payment exist at once, and a checkout session
//! (the payment link) takes the money later.
//!
//! Everything is checked before anything is written, and the customer, the
//! payment and the session are committed together.

use kassa_core::checkout::{BillingAddress, CheckoutSession, CustomerRef, Quote, SessionDraft};
use kassa_core::customer::{Customer, CustomerDraft, CustomerFilter};
use kassa_core::id::{BrandId, CheckoutSessionId, CustomerId, PaymentId};
use kassa_core::page::Page;
use kassa_core::payment::{Payment, PaymentLine, PaymentStatus, SavedMethod};
use kassa_core::tenancy::Scope;
use kassa_store::OpenedPayment;

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
        let now = self.now();
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
                    format!("product_cart[{i}].product_id"),
                    format!(
                        "{} is a subscription product; POST /payments sells one-time products",
                        product.id
                    ),
                ));
            }
        }
        let quote = self.price_session(scope, &session, now).await?;
        let brand = self.primary_brand_id(scope).await?;
        let payment = self.pending_payment(&session, &quote, customer.id.clone(), brand, billing);
        session.payment = Some(payment.id.clone());
        let opened = OpenedPayment {
            payment,
            new_customer: new_customer.then(|| customer.clone()),
            session,
        };
        self.store.open_payment(scope, &opened).await?;
        let link = if opened.session.short_link {
            self.session_short_url(scope, &opened.session.id).await?
        } else {
            self.checkout_url(&opened.session.id)
        };
        let (mut payment, mut session) = (opened.payment, opened.session);
        // `payment_method_id`: the merchant charges the saved card now.
        if let Some(method) = saved.clone() {
            payment = match self
                .charge_saved(scope, session.clone(), payment, method)
                .await?
            {
                PayOutcome::Succeeded { payment, .. }
                | PayOutcome::Declined { payment, .. }
                | PayOutcome::Challenge { payment } => payment,
                PayOutcome::Invalid(errors) => {
                    return Err(AppError::unusable(
                        "payment_method_id",
                        format!("{errors:?}"),
                    ));
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

    /// The customer with this email, or a new one (not yet stored: the
    /// caller commits it with what it opens). `true` when new.
    pub(crate) async fn customer_for_email(
        &self,
        scope: &Scope,
        email: String,
        name: Option<String>,
        phone_number: Option<String>,
    ) -> Result<(Customer, bool), AppError> {
        let email = kassa_core::text::email("customer.email", &email)?;
        let filter = CustomerFilter {
            email: Some(email.clone()),
            ..CustomerFilter::default()
        };
        let page = Page::new(Some(0), Some(1))?;
        if let Some(found) = self.store.list_customers(scope, &filter, page).await?.pop() {
            return Ok((found, false));
        }
        Ok((
            self.unsaved_customer(scope, email, name, phone_number)?,
            true,
        ))
    }

    /// A new customer, checked but not stored.
    pub(crate) fn unsaved_customer(
        &self,
        scope: &Scope,
        email: String,
        name: Option<String>,
        phone_number: Option<String>,
    ) -> Result<Customer, AppError> {
        let draft = CustomerDraft {
            name: name.unwrap_or_else(|| email.clone()),
            email,
            phone_number,
            metadata: Default::default(),
        };
        Ok(Customer::create(
            CustomerId::generate(),
            scope.business.clone(),
            draft,
            self.now(),
        )?)
    }

    /// A payment for `quote` that nobody has paid yet: no method, no card.
    pub(crate) fn pending_payment(
        &self,
        session: &CheckoutSession,
        quote: &Quote,
        customer: CustomerId,
        brand: BrandId,
        billing: BillingAddress,
    ) -> Payment {
        let now = self.now();
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
            provider: self.processor.name().to_owned(),
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
}
