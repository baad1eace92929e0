//! Customers: create, read, update, list.

use kassa_core::customer::{Customer, CustomerDraft, CustomerFilter, CustomerPatch};
use kassa_core::id::CustomerId;
use kassa_core::page::Page;
use kassa_core::tenancy::Scope;
use kassa_store::{Records, filters};

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
            self.now_in(scope).await?,
        )?;
        self.store.insert(scope, &customer).await?;
        Ok(customer)
    }

    pub async fn customer(&self, scope: &Scope, id: &CustomerId) -> Result<Customer, AppError> {
        self.store
            .get::<Customer>(scope, id.as_str())
            .await?
            .ok_or_else(|| AppError::not_found("customer", id))
    }

    pub async fn update_customer(
        &self,
        scope: &Scope,
        id: &CustomerId,
        patch: CustomerPatch,
    ) -> Result<Customer, AppError> {
        self.modify(scope, id.as_str(), "customer", |customer: &mut Customer| {
            Ok(customer.apply(patch.clone())?)
        })
        .await
    }

    pub async fn list_customers(
        &self,
        scope: &Scope,
        filter: &CustomerFilter,
        page: Page,
    ) -> Result<Vec<Customer>, AppError> {
        Ok(self
            .store
            .list(scope, &filters::customers(filter), Some(page))
            .await?)
    }

    /// The customers with these ids, read in one query (a page of payments
    /// names its customers).
    pub async fn customers_by_id(
        &self,
        scope: &Scope,
        ids: &[CustomerId],
    ) -> Result<std::collections::HashMap<CustomerId, Customer>, AppError> {
        let mut wanted: Vec<&str> = ids.iter().map(|id| id.as_str()).collect();
        wanted.sort_unstable();
        wanted.dedup();
        if wanted.is_empty() {
            return Ok(Default::default());
        }
        let filter = kassa_store::Filter::new().and(kassa_store::Cond::Any(
            wanted
                .into_iter()
                .map(|id| kassa_store::Cond::Eq("id", id.into()))
                .collect(),
        ));
        let found: Vec<Customer> = self.store.list(scope, &filter, None).await?;
        Ok(found.into_iter().map(|c| (c.id.clone(), c)).collect())
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
        if let Some(found) = self
            .store
            .first(scope, &filters::customers(&filter))
            .await?
        {
            return Ok((found, false));
        }
        Ok((
            self.unsaved_customer(scope, email, name, phone_number)
                .await?,
            true,
        ))
    }

    /// A new customer, checked but not stored.
    pub(crate) async fn unsaved_customer(
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
            self.now_in(scope).await?,
        )?)
    }
}
