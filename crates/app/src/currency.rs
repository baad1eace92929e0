//! Adaptive pricing on the page: which currencies a session may switch to,
//! and switching. The conversion itself is the operator's rates table
//! applied when the session is priced.

use kassa_core::checkout::CheckoutSession;
use kassa_core::id::CheckoutSessionId;
use kassa_core::money::Currency;
use kassa_core::tenancy::Scope;

use kassa_store::Changes;

use crate::purchase::Loaded;
use crate::{App, AppError};

impl App {
    /// Switches the page's currency (adaptive pricing), if it is offered.
    pub async fn set_session_currency(
        &self,
        id: &CheckoutSessionId,
        code: &str,
    ) -> Result<(), AppError> {
        let Loaded {
            scope,
            mut session,
            version,
        } = self.open_session(id).await?;
        let offered = self.offered_currencies(&scope, &session).await?;
        let chosen = Currency::parse(code.trim())
            .filter(|c| offered.contains(c))
            .ok_or_else(|| {
                AppError::unusable("currency", format!("`{code}` is not offered here"))
            })?;
        session.billing_currency = Some(chosen);
        self.price_session(&scope, &session, self.now_in(&scope).await?)
            .await?;
        self.commit(&scope, Changes::new().update_from(&session, version))
            .await?;
        Ok(())
    }

    /// What the page may offer: with exchange rates loaded and
    /// `allow_currency_selection`, every currency the cart's prices convert
    /// to; nothing when only one would be listed.
    pub(crate) async fn offered_currencies(
        &self,
        scope: &Scope,
        session: &CheckoutSession,
    ) -> Result<Vec<Currency>, AppError> {
        let (Some(fx), Some(first)) = (&self.fx, session.cart.first()) else {
            return Ok(Vec::new());
        };
        if !session.flags.allow_currency_selection {
            return Ok(Vec::new());
        }
        let Some(product) = self.store.get_product(scope, &first.product).await? else {
            return Ok(Vec::new());
        };
        let offered = fx.reachable_from(product.price.currency());
        Ok(if offered.len() > 1 {
            offered
        } else {
            Vec::new()
        })
    }
}
