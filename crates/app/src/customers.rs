//! Customers: create, read, update, list.

use kassa_core::customer::{Customer, CustomerDraft, CustomerFilter, CustomerPatch};
use kassa_core::id::CustomerId;
use kassa_core::page::Page;
use kassa_core::tenancy::Scope;

use crate::{App, AppError};

impl App {
    pub async fn create_customer(
        &self,
        scope: &Scope,
        draft: CustomerDraft,
    ) -> Result<Customer, AppError> {
        let customer = Customer::create(
            CustomerId::generate(),
            scope.business.clone(),
            draft,
            self.now(),
        )?;
        self.store.insert_customer(scope, &customer).await?;
        Ok(customer)
    }

    pub async fn customer(&self, scope: &Scope, id: &CustomerId) -> Result<Customer, AppError> {
        self.store
            .get_customer(scope, id)
            .await?
            .ok_or_else(|| AppError::not_found("customer", id))
    }

    pub async fn update_customer(
        &self,
        scope: &Scope,
        id: &CustomerId,
        patch: CustomerPatch,
    ) -> Result<Customer, AppError> {
        let mut customer = self.customer(scope, id).await?;
        customer.apply(patch)?;
        self.store.update_customer(scope, &customer).await?;
        Ok(customer)
    }

    pub async fn list_customers(
        &self,
        scope: &Scope,
        filter: &CustomerFilter,
        page: Page,
    ) -> Result<Vec<Customer>, AppError> {
        Ok(self.store.list_customers(scope, filter, page).await?)
    }
}
