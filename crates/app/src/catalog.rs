//! Products and addons: create, read, update, list, archive.

use kassa_core::catalog::{
    Addon, AddonDraft, AddonPatch, Product, ProductDraft, ProductFilter, ProductPatch,
};
use kassa_core::id::{AddonId, BrandId, ProductId};
use kassa_core::page::Page;
use kassa_core::tenancy::Scope;
use kassa_store::{Records, filters};

use crate::{App, AppError};

impl App {
    pub async fn create_product(
        &self,
        scope: &Scope,
        draft: ProductDraft,
    ) -> Result<Product, AppError> {
        let brand = self.usable_brand(scope, draft.brand.as_ref()).await?;
        self.check_addons(scope, &draft.addons).await?;
        let product = Product::create(
            ProductId::generate(),
            scope.business.clone(),
            brand,
            draft,
            self.now_in(scope).await?,
        )?;
        self.store.insert(scope, &product).await?;
        Ok(product)
    }

    pub async fn product(&self, scope: &Scope, id: &ProductId) -> Result<Product, AppError> {
        self.store
            .get_product(scope, id)
            .await?
            .ok_or_else(|| AppError::not_found("product", id))
    }

    pub async fn update_product(
        &self,
        scope: &Scope,
        id: &ProductId,
        patch: ProductPatch,
    ) -> Result<Product, AppError> {
        if let Some(brand) = &patch.brand {
            self.usable_brand(scope, Some(brand)).await?;
        }
        if let Some(addons) = &patch.addons {
            self.check_addons(scope, addons).await?;
        }
        let now = self.now_in(scope).await?;
        self.modify(scope, id.as_str(), "product", |product: &mut Product| {
            Ok(product.apply(patch.clone(), now)?)
        })
        .await
    }

    pub async fn list_products(
        &self,
        scope: &Scope,
        filter: &ProductFilter,
        page: Page,
    ) -> Result<Vec<Product>, AppError> {
        Ok(self
            .store
            .list(scope, &filters::products(filter), Some(page))
            .await?)
    }

    /// Archiving hides a product from lists and checkout; it is reversible.
    pub async fn set_product_archived(
        &self,
        scope: &Scope,
        id: &ProductId,
        archived: bool,
    ) -> Result<Product, AppError> {
        let now = self.now_in(scope).await?;
        self.modify(scope, id.as_str(), "product", |product: &mut Product| {
            if product.archived != archived {
                product.archived = archived;
                product.updated_at = now;
            }
            Ok(())
        })
        .await
    }

    /// The brand a product will carry: the named one (must exist and not be
    /// archived) or the business's primary brand.
    async fn usable_brand(&self, scope: &Scope, id: Option<&BrandId>) -> Result<BrandId, AppError> {
        let brand = match id {
            Some(id) => self.brand(scope, id).await?,
            None => self.primary_brand(scope).await?,
        };
        if brand.archived_at.is_some() {
            return Err(AppError::state_conflict(
                "brand_id",
                "the brand is archived",
            ));
        }
        Ok(brand.id)
    }

    async fn check_addons(&self, scope: &Scope, addons: &[AddonId]) -> Result<(), AppError> {
        for (i, id) in addons.iter().enumerate() {
            match self.store.get::<Addon>(scope, id.as_str()).await? {
                Some(addon) if !addon.archived => {}
                Some(_) => {
                    return Err(AppError::state_conflict(
                        format!("addons[{i}]"),
                        "the addon is archived",
                    ));
                }
                None => return Err(AppError::not_found("addon", id)),
            }
        }
        Ok(())
    }

    pub async fn create_addon(&self, scope: &Scope, draft: AddonDraft) -> Result<Addon, AppError> {
        let addon = Addon::create(
            AddonId::generate(),
            scope.business.clone(),
            draft,
            self.now_in(scope).await?,
        )?;
        self.store.insert(scope, &addon).await?;
        Ok(addon)
    }

    pub async fn addon(&self, scope: &Scope, id: &AddonId) -> Result<Addon, AppError> {
        self.store
            .get::<Addon>(scope, id.as_str())
            .await?
            .ok_or_else(|| AppError::not_found("addon", id))
    }

    pub async fn update_addon(
        &self,
        scope: &Scope,
        id: &AddonId,
        patch: AddonPatch,
    ) -> Result<Addon, AppError> {
        let now = self.now_in(scope).await?;
        self.modify(scope, id.as_str(), "addon", |addon: &mut Addon| {
            Ok(addon.apply(patch.clone(), now)?)
        })
        .await
    }

    pub async fn list_addons(&self, scope: &Scope, page: Page) -> Result<Vec<Addon>, AppError> {
        Ok(self
            .store
            .list(scope, &filters::active_addons(), Some(page))
            .await?)
    }

    pub async fn set_addon_archived(
        &self,
        scope: &Scope,
        id: &AddonId,
        archived: bool,
    ) -> Result<Addon, AppError> {
        let now = self.now_in(scope).await?;
        self.modify(scope, id.as_str(), "addon", |addon: &mut Addon| {
            if addon.archived != archived {
                addon.archived = archived;
                addon.updated_at = now;
            }
            Ok(())
        })
        .await
    }
}

impl App {
    /// A product by id alone, with its scope (static payment links).
    pub async fn product_anywhere(
        &self,
        id: &kassa_core::id::ProductId,
    ) -> Result<(Scope, kassa_core::catalog::Product), AppError> {
        self.store
            .find::<Product>(id.as_str())
            .await?
            .ok_or_else(|| AppError::not_found("product", id))
    }
}
