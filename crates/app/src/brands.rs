//! Brands: create, read, update, list, archive (moving products away).

use kassa_core::catalog::{Brand, BrandDraft, BrandPatch, Product};
use kassa_core::id::BrandId;
use kassa_core::tenancy::Scope;
use kassa_store::{Changes, Filter, Records};

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
        Ok(self.primary_brand(scope).await?.id)
    }

    pub(crate) async fn primary_brand(&self, scope: &Scope) -> Result<Brand, AppError> {
        let primary = Filter::new().eq("is_primary", true);
        self.store
            .first::<Brand>(scope, &primary)
            .await?
            .ok_or_else(|| AppError::not_found("brand", "primary"))
    }

    pub async fn create_brand(&self, scope: &Scope, draft: BrandDraft) -> Result<Brand, AppError> {
        let brand = Brand::create(
            BrandId::generate(),
            scope.business.clone(),
            draft,
            false,
            self.now_in(scope).await?,
        )?;
        self.store.insert(scope, &brand).await?;
        Ok(brand)
    }

    pub async fn brand(&self, scope: &Scope, id: &BrandId) -> Result<Brand, AppError> {
        self.store
            .get::<Brand>(scope, id.as_str())
            .await?
            .ok_or_else(|| AppError::not_found("brand", id))
    }

    pub async fn update_brand(
        &self,
        scope: &Scope,
        id: &BrandId,
        patch: BrandPatch,
    ) -> Result<Brand, AppError> {
        self.modify(scope, id.as_str(), "brand", |brand: &mut Brand| {
            Ok(brand.apply(patch.clone())?)
        })
        .await
    }

    pub async fn list_brands(
        &self,
        scope: &Scope,
        include_archived: bool,
    ) -> Result<Vec<Brand>, AppError> {
        // Oldest first, which puts the primary brand (made with the
        // business) first.
        let mut filter = Filter::new().oldest_first();
        if !include_archived {
            filter = filter.eq("archived", false);
        }
        Ok(self.store.list(scope, &filter, None).await?)
    }

    /// Archives a brand. Its products move to `move_to`, or to the primary
    /// brand when none is named, so no product is left on an archived brand.
    pub async fn archive_brand(
        &self,
        scope: &Scope,
        id: &BrandId,
        move_to: Option<BrandId>,
    ) -> Result<BrandArchived, AppError> {
        let (mut brand, version) = self
            .store
            .get_versioned::<Brand>(scope, id.as_str())
            .await?
            .ok_or_else(|| AppError::not_found("brand", id))?;
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
                let found = self.brand(scope, &target).await?;
                if found.archived_at.is_some() || found.id == brand.id {
                    return Err(AppError::state_conflict(
                        "move_products_to",
                        "must be another, active brand",
                    ));
                }
                found.id
            }
            None => self.primary_brand_id(scope).await?,
        };
        // The brand and every product it has, in one commit guarded by the
        // versions read: a concurrent edit of any of them refuses it whole.
        let now = self.now_in(scope).await?;
        brand.archived_at = Some(now);
        let products: Vec<(Product, u64)> = self
            .store
            .list_versioned(scope, &Filter::new().eq("brand_id", id.as_str()), None)
            .await?;
        let mut changes = Changes::new().update_from(&brand, version);
        for (mut product, version) in products.iter().cloned() {
            product.brand = target.clone();
            changes = changes.update_from(&product, version);
        }
        self.commit(scope, changes).await?;
        let products_moved = products.len() as u64;
        Ok(BrandArchived {
            brand,
            moved_to: Some(target),
            products_moved,
        })
    }
}
