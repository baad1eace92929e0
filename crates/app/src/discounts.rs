//! Discount codes: create, read (by id or code), update, delete, list.

use kassa_core::discount::{Discount, DiscountDraft, DiscountFilter, DiscountPatch};
use kassa_core::id::{DiscountId, ProductId};
use kassa_core::page::Page;
use kassa_core::tenancy::Scope;
use kassa_store::{Conflict, Records, StoreError, filters};

use crate::{App, AppError};

impl App {
    pub async fn create_discount(
        &self,
        scope: &Scope,
        draft: DiscountDraft,
    ) -> Result<Discount, AppError> {
        self.check_products(scope, &draft.restricted_to).await?;
        let discount = Discount::create(
            DiscountId::generate(),
            scope.business.clone(),
            draft,
            self.now_in(scope).await?,
        )?;
        self.store
            .insert(scope, &discount)
            .await
            .map_err(|e| code_taken(e, &discount.code))?;
        Ok(discount)
    }

    pub async fn discount(&self, scope: &Scope, id: &DiscountId) -> Result<Discount, AppError> {
        self.store
            .get::<Discount>(scope, id.as_str())
            .await?
            .filter(|d| d.deleted_at.is_none())
            .ok_or_else(|| AppError::not_found("discount", id))
    }

    pub async fn discount_by_code(&self, scope: &Scope, code: &str) -> Result<Discount, AppError> {
        self.store
            .first::<Discount>(scope, &filters::discount_code(&code.trim().to_uppercase()))
            .await?
            .ok_or_else(|| AppError::not_found("discount code", code))
    }

    pub async fn update_discount(
        &self,
        scope: &Scope,
        id: &DiscountId,
        patch: DiscountPatch,
    ) -> Result<Discount, AppError> {
        if let Some(products) = &patch.restricted_to {
            self.check_products(scope, products).await?;
        }
        let mut code = String::new();
        self.modify(scope, id.as_str(), "discount", |discount: &mut Discount| {
            if discount.deleted_at.is_some() {
                return Err(AppError::not_found("discount", &discount.id));
            }
            discount.apply(patch.clone())?;
            code.clone_from(&discount.code);
            Ok(())
        })
        .await
        .map_err(|e| match e {
            AppError::Store(e) => code_taken(e, &code),
            other => other,
        })
    }

    pub async fn delete_discount(&self, scope: &Scope, id: &DiscountId) -> Result<(), AppError> {
        let now = self.now_in(scope).await?;
        self.modify(scope, id.as_str(), "discount", |discount: &mut Discount| {
            if discount.deleted_at.is_some() {
                return Err(AppError::not_found("discount", &discount.id));
            }
            discount.deleted_at = Some(now);
            Ok(())
        })
        .await?;
        Ok(())
    }

    pub async fn list_discounts(
        &self,
        scope: &Scope,
        filter: &DiscountFilter,
        page: Page,
    ) -> Result<Vec<Discount>, AppError> {
        Ok(self
            .store
            .list(scope, &filters::discounts(filter), Some(page))
            .await?)
    }

    async fn check_products(&self, scope: &Scope, ids: &[ProductId]) -> Result<(), AppError> {
        for id in ids {
            if self.store.get_product(scope, id).await?.is_none() {
                return Err(AppError::not_found("product", id));
            }
        }
        Ok(())
    }
}

fn code_taken(e: StoreError, code: &str) -> AppError {
    match e {
        StoreError::Conflict(Conflict::Taken { .. }) => {
            AppError::DiscountCodeTaken(code.to_owned())
        }
        other => AppError::Store(other),
    }
}
