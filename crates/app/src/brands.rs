//! Brands: create, read, update, list, archive (moving products away).

use kassa_core::catalog::{Brand, BrandDraft, BrandPatch};
use kassa_core::id::BrandId;
use kassa_core::tenancy::Scope;

use crate::{App, AppError};

/// What archiving a brand did.
pub struct BrandArchived {
    pub brand: Brand,
    pub moved_to: Option<BrandId>,
    pub products_moved: u64,
}

impl App {
    /// The id of the scope's primary brand (every scope has one).
    pub async fn primary_brand_id(&self, scope: &Scope) -> Result<BrandId, AppError> {
        Ok(self
            .store
            .primary_brand(scope)
            .await?
            .ok_or_else(|| AppError::not_found("brand", "primary"))?
            .id)
    }

    pub async fn create_brand(&self, scope: &Scope, draft: BrandDraft) -> Result<Brand, AppError> {
        let brand = Brand::create(
            BrandId::generate(),
            scope.business.clone(),
            draft,
            false,
            self.now(),
        )?;
        self.store.insert_brand(scope, &brand).await?;
        Ok(brand)
    }

    pub async fn brand(&self, scope: &Scope, id: &BrandId) -> Result<Brand, AppError> {
        self.store
            .get_brand(scope, id)
            .await?
            .ok_or_else(|| AppError::not_found("brand", id))
    }

    pub async fn update_brand(
        &self,
        scope: &Scope,
        id: &BrandId,
        patch: BrandPatch,
    ) -> Result<Brand, AppError> {
        let mut brand = self.brand(scope, id).await?;
        brand.apply(patch)?;
        self.store.update_brand(scope, &brand).await?;
        Ok(brand)
    }

    pub async fn list_brands(
        &self,
        scope: &Scope,
        include_archived: bool,
    ) -> Result<Vec<Brand>, AppError> {
        Ok(self.store.list_brands(scope, include_archived).await?)
    }

    /// Archives a brand. Its products move to `move_to`, or to the primary
    /// brand when none is named, so no product is left on an archived brand.
    pub async fn archive_brand(
        &self,
        scope: &Scope,
        id: &BrandId,
        move_to: Option<BrandId>,
    ) -> Result<BrandArchived, AppError> {
        let brand = self.brand(scope, id).await?;
        if brand.primary {
            return Err(AppError::state_conflict(
                "brand_id",
                "the primary brand cannot be archived",
            ));
        }
        if brand.archived_at.is_some() {
            return Err(AppError::state_conflict(
                "brand_id",
                "the brand is already archived",
            ));
        }
        let target = match move_to {
            Some(target) => {
                let found = self
                    .store
                    .get_brand(scope, &target)
                    .await?
                    .ok_or_else(|| AppError::not_found("brand", &target))?;
                if found.archived_at.is_some() || found.id == brand.id {
                    return Err(AppError::state_conflict(
                        "move_products_to",
                        "must be another, active brand",
                    ));
                }
                found.id
            }
            None => {
                self.store
                    .primary_brand(scope)
                    .await?
                    .ok_or_else(|| AppError::not_found("brand", "primary"))?
                    .id
            }
        };
        let at = self.now();
        let products_moved = self
            .store
            .archive_brand(scope, id, Some(&target), at)
            .await?;
        let brand = self.brand(scope, id).await?;
        Ok(BrandArchived {
            brand,
            moved_to: Some(target),
            products_moved,
        })
    }
}
