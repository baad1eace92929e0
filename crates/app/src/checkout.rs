//! Checkout sessions: open one, price one (preview), read one back.
//!
//! Everything the catalog decides is checked here, before anything is
//! written: products exist and are active, the customer exists, every code
//! is redeemable for this cart. A refused request writes nothing.

use kassa_core::catalog::{Addon, Product};
use kassa_core::checkout::{
    CheckoutSession, CustomerRef, Quote, QuoteItem, SessionDraft, TaxContext, quote,
};
use kassa_core::country::Country;
use kassa_core::customer::CustomerDraft;
use kassa_core::discount::Discount;
use kassa_core::field::{self, FieldPath};
use kassa_core::id::{CheckoutSessionId, PaymentId, ProductId};
use kassa_core::payment::Payment;
use kassa_core::tenancy::Scope;
use kassa_store::{Changes, Records, filters};
use time::OffsetDateTime;

use crate::error::DiscountProblem;
use crate::{App, AppError};

/// Where tax is computed when the request names no billing country.
const DEFAULT_COUNTRY: &str = "US";

/// A stored session with its price.
pub struct PricedSession {
    pub session: CheckoutSession,
    pub quote: Quote,
    pub checkout_url: String,
    /// The pending payment a confirmed session (`confirm: true`) opens.
    pub payment: Option<PaymentId>,
}

impl App {
    /// Opens a session after checking it against the catalog.
    pub async fn create_checkout(
        &self,
        scope: &Scope,
        draft: SessionDraft,
    ) -> Result<PricedSession, AppError> {
        if draft.confirm {
            // The session's own rules speak first: what `confirm` requires.
            let known = self.known_customer(scope, &draft.customer).await?;
            CheckoutSession::create(
                CheckoutSessionId::generate(),
                scope.business.clone(),
                draft.clone(),
                known.as_ref(),
                self.now_in(scope).await?,
            )?;
            // Boxed: the purchase path's future is large (about 14 KB), and
            // inlined it made every plain checkout's future that size too,
            // copied on each move through the router.
            let opened = Box::pin(self.open_with_payment(scope, draft, false)).await?;
            return Ok(PricedSession {
                payment: Some(opened.payment.id),
                session: opened.session,
                quote: opened.quote,
                checkout_url: opened.link,
            });
        }
        let known_customer = self.known_customer(scope, &draft.customer).await?;
        let now = self.now_in(scope).await?;
        let session = CheckoutSession::create(
            CheckoutSessionId::generate(),
            scope.business.clone(),
            draft,
            known_customer.as_ref(),
            now,
        )?;
        refuse_saved_method(&session)?;
        let quote = self.price_session(scope, &session, now).await?;
        let changes = Changes::new().insert(&session);
        let checkout_url = if session.short_link {
            self.commit_with_session_link(scope, &session.id, changes)
                .await?
        } else {
            self.commit(scope, changes).await?;
            self.checkout_url(&session.id)
        };
        Ok(PricedSession {
            session,
            quote,
            checkout_url,
            payment: None,
        })
    }

    /// Prices a session request without storing anything.
    pub async fn preview_checkout(
        &self,
        scope: &Scope,
        draft: SessionDraft,
    ) -> Result<(CheckoutSession, Quote), AppError> {
        let known_customer = self.known_customer(scope, &draft.customer).await?;
        let now = self.now_in(scope).await?;
        let session = CheckoutSession::create(
            CheckoutSessionId::generate(),
            scope.business.clone(),
            draft,
            known_customer.as_ref(),
            now,
        )?;
        refuse_saved_method(&session)?;
        let quote = self.price_session(scope, &session, now).await?;
        Ok((session, quote))
    }

    pub async fn checkout(
        &self,
        scope: &Scope,
        id: &CheckoutSessionId,
    ) -> Result<CheckoutSession, AppError> {
        self.store
            .get::<CheckoutSession>(scope, id.as_str())
            .await?
            .ok_or_else(|| AppError::not_found("checkout session", id))
    }

    /// The session with its latest payment attempt, if it has one.
    pub async fn checkout_status(
        &self,
        scope: &Scope,
        id: &CheckoutSessionId,
    ) -> Result<(CheckoutSession, Option<Payment>), AppError> {
        let session = self.checkout(scope, id).await?;
        let payment = match &session.payment {
            Some(p) => self.store.get::<Payment>(scope, p.as_str()).await?,
            None => None,
        };
        Ok((session, payment))
    }

    /// Ends an open session now (Kassa's test-mode extra, like Stripe's
    /// expire): the page shows it as expired and nothing can be paid.
    pub async fn expire_checkout(
        &self,
        scope: &Scope,
        id: &CheckoutSessionId,
    ) -> Result<CheckoutSession, AppError> {
        let now = self.now_in(scope).await?;
        self.modify(
            scope,
            id.as_str(),
            "checkout session",
            |session: &mut CheckoutSession| {
                if session.status(now) == kassa_core::checkout::SessionStatus::Open {
                    session.expires_at = now;
                }
                Ok(())
            },
        )
        .await
    }

    /// The session's price now: products as they are, codes as they are.
    pub async fn price_session(
        &self,
        scope: &Scope,
        session: &CheckoutSession,
        now: OffsetDateTime,
    ) -> Result<Quote, AppError> {
        let mut products = self.cart_products(scope, session).await?;
        let mut addons = self.cart_addons(scope, session).await?;
        let mut amounts: Vec<_> = session.cart.iter().map(|i| i.amount).collect();
        let country = match &session.billing {
            Some(b) => b.country,
            None => Country::parse(DEFAULT_COUNTRY)?,
        };
        let tax = TaxContext {
            table: &self.tax,
            country,
            region: session.billing.as_ref().and_then(|b| b.state.as_deref()),
            tax_id: session.tax_id.as_deref(),
        };
        // Adaptive pricing: with the operator's rates loaded, a requested
        // billing currency re-expresses every price before anything is
        // computed; without rates, Dodo discards the request, and so do we.
        // The cart as listed is priced too (without discounts), for each
        // line's original price in its product's currency.
        let mut unconverted = None;
        if let (Some(fx), Some(target)) = (&self.fx, session.billing_currency) {
            let items = quote_items(session, &products, &amounts, &addons);
            unconverted = Some(quote(&items, &[], &tax, session.trial_period_days)?);
            let field = "billing_currency";
            for (product, amount) in products.iter_mut().zip(amounts.iter_mut()) {
                let from = product.price.currency();
                product.price = fx.convert_price(field, &product.price, target)?;
                *amount = amount
                    .map(|a| fx.convert(field, a, from, target))
                    .transpose()?;
            }
            for (addon, _) in addons.iter_mut().flatten() {
                addon.price = fx.convert(field, addon.price, addon.currency, target)?;
                addon.currency = target;
            }
        }
        let ids: Vec<ProductId> = products.iter().map(|p| p.id.clone()).collect();
        let discounts = self
            .redeemable_codes(scope, &session.discount_codes, &ids, now)
            .await?;
        let items = quote_items(session, &products, &amounts, &addons);
        let refs: Vec<&Discount> = discounts.iter().collect();
        let priced = quote(&items, &refs, &tax, session.trial_period_days)?;
        Ok(match &unconverted {
            Some(before) => priced.with_originals_from(before),
            None => priced,
        })
    }

    pub fn checkout_url(&self, id: &CheckoutSessionId) -> String {
        format!("{}/session/{}", self.public_url(), id)
    }

    async fn known_customer(
        &self,
        scope: &Scope,
        customer: &Option<CustomerRef>,
    ) -> Result<Option<CustomerDraft>, AppError> {
        let Some(CustomerRef::Existing(id)) = customer else {
            return Ok(None);
        };
        Ok(Some(self.customer(scope, id).await?.details()))
    }

    pub(crate) async fn cart_products(
        &self,
        scope: &Scope,
        session: &CheckoutSession,
    ) -> Result<Vec<Product>, AppError> {
        let mut products = Vec::with_capacity(session.cart.len());
        for (i, item) in session.cart.iter().enumerate() {
            let field = FieldPath::cart_line(i).field(field::PRODUCT);
            let product = self
                .store
                .get_product(scope, &item.product)
                .await?
                .ok_or_else(|| AppError::not_found("product", &item.product))?;
            if product.archived {
                return Err(AppError::ProductArchived {
                    field,
                    id: product.id.to_string(),
                });
            }
            for (j, addon) in item.addons.iter().enumerate() {
                let addon_field = FieldPath::cart_line(i)
                    .field(field::ADDONS)
                    .at(j)
                    .field(field::ADDON);
                if !product.price.is_recurring() {
                    return Err(AppError::unusable(
                        addon_field.clone(),
                        "addons go with subscription products only",
                    ));
                }
                if !product.addons.contains(&addon.addon) {
                    return Err(AppError::unusable(
                        addon_field,
                        format!(
                            "addon {} is not offered with product {}",
                            addon.addon, product.id
                        ),
                    ));
                }
            }
            products.push(product);
        }
        Ok(products)
    }

    /// Each cart line's addons with their quantities (checked against the
    /// product by [`cart_products`](Self::cart_products)); archived ones
    /// are refused.
    async fn cart_addons(
        &self,
        scope: &Scope,
        session: &CheckoutSession,
    ) -> Result<Vec<Vec<(Addon, u32)>>, AppError> {
        let mut out = Vec::with_capacity(session.cart.len());
        for (i, item) in session.cart.iter().enumerate() {
            let mut line = Vec::with_capacity(item.addons.len());
            for (j, a) in item.addons.iter().enumerate() {
                let addon = self.addon(scope, &a.addon).await?;
                if addon.archived {
                    return Err(AppError::unusable(
                        FieldPath::cart_line(i)
                            .field(field::ADDONS)
                            .at(j)
                            .field(field::ADDON),
                        format!("addon {} is archived", addon.id),
                    ));
                }
                line.push((addon, a.quantity));
            }
            out.push(line);
        }
        Ok(out)
    }

    /// The cart's codes, in order, each checked redeemable for this cart.
    async fn redeemable_codes(
        &self,
        scope: &Scope,
        codes: &[String],
        cart: &[ProductId],
        now: OffsetDateTime,
    ) -> Result<Vec<Discount>, AppError> {
        let mut found = Vec::with_capacity(codes.len());
        for (i, code) in codes.iter().enumerate() {
            let problem = |problem| AppError::DiscountUnusable {
                field: FieldPath::named("discount_codes").at(i),
                code: code.clone(),
                problem,
            };
            let d = self
                .store
                .first::<Discount>(scope, &filters::discount_code(code))
                .await?
                .ok_or_else(|| problem(DiscountProblem::Unknown))?;
            if d.starts_at.is_some_and(|s| now < s) {
                return Err(problem(DiscountProblem::NotStarted));
            }
            if d.expires_at.is_some_and(|e| now >= e) {
                return Err(problem(DiscountProblem::Expired));
            }
            if d.usage_limit.is_some_and(|l| d.times_used >= l) {
                return Err(problem(DiscountProblem::UsedUp));
            }
            if !d.restricted_to.is_empty() && !cart.iter().any(|p| d.restricted_to.contains(p)) {
                return Err(problem(DiscountProblem::NotForCart));
            }
            if found.iter().any(|f: &Discount| f.id == d.id) {
                return Err(AppError::unusable(
                    format!("discount_codes[{i}]"),
                    format!("code {code} appears twice"),
                ));
            }
            found.push(d);
        }
        Ok(found)
    }
}

/// Kassa keeps no saved payment methods yet, so none can be named.
fn refuse_saved_method(session: &CheckoutSession) -> Result<(), AppError> {
    match &session.payment_method_id {
        Some(id) => Err(AppError::not_found("payment method", id)),
        None => Ok(()),
    }
}

/// The session's cart as the pricing engine takes it: each product with its
/// quantity, chosen amount and addons.
fn quote_items<'a>(
    session: &CheckoutSession,
    products: &'a [Product],
    amounts: &[Option<kassa_core::money::Amount>],
    addons: &'a [Vec<(Addon, u32)>],
) -> Vec<QuoteItem<'a>> {
    products
        .iter()
        .zip(&session.cart)
        .zip(amounts)
        .zip(addons)
        .map(|(((product, item), amount), addons)| QuoteItem {
            product,
            quantity: item.quantity,
            amount: *amount,
            addons: addons.iter().map(|(a, q)| (a, *q)).collect(),
        })
        .collect()
}
