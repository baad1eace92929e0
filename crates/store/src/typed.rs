//! Typed sugar over [`RecordStore`]: records in and out instead of rows.

use async_trait::async_trait;
use kassa_core::page::Page;
use kassa_core::tenancy::Scope;
use serde::de::DeserializeOwned;

use crate::{Changes, Filter, Record, RecordStore, StoreError, StoreResult};

/// A body as its record. A body that does not parse is a backend failure:
/// the store holds only what a record serialised.
pub(crate) fn decode<T: DeserializeOwned>(body: &str) -> StoreResult<T> {
    serde_json::from_str(body).map_err(StoreError::backend)
}

#[async_trait]
pub trait Records: RecordStore {
    async fn get<R: Record>(&self, scope: &Scope, id: &str) -> StoreResult<Option<R>> {
        match self.get_row(R::TABLE, scope, id).await? {
            Some(row) => decode(&row.body).map(Some),
            None => Ok(None),
        }
    }

    /// The record with the version to guard an update by
    /// ([`Changes::update_from`]).
    async fn get_versioned<R: Record>(
        &self,
        scope: &Scope,
        id: &str,
    ) -> StoreResult<Option<(R, u64)>> {
        match self.get_row(R::TABLE, scope, id).await? {
            Some(row) => Ok(Some((decode(&row.body)?, row.version))),
            None => Ok(None),
        }
    }

    async fn find<R: Record>(&self, id: &str) -> StoreResult<Option<(Scope, R)>> {
        match self.find_row(R::TABLE, id).await? {
            Some((scope, row)) => Ok(Some((scope, decode(&row.body)?))),
            None => Ok(None),
        }
    }

    /// [`Records::find`] with the record's version.
    async fn find_versioned<R: Record>(&self, id: &str) -> StoreResult<Option<(Scope, R, u64)>> {
        match self.find_row(R::TABLE, id).await? {
            Some((scope, row)) => Ok(Some((scope, decode(&row.body)?, row.version))),
            None => Ok(None),
        }
    }

    async fn list<R: Record>(
        &self,
        scope: &Scope,
        filter: &Filter,
        page: Option<Page>,
    ) -> StoreResult<Vec<R>> {
        self.list_rows(R::TABLE, scope, filter, page)
            .await?
            .iter()
            .map(|row| decode(&row.body))
            .collect()
    }

    /// [`Records::list`] with each record's version.
    async fn list_versioned<R: Record>(
        &self,
        scope: &Scope,
        filter: &Filter,
        page: Option<Page>,
    ) -> StoreResult<Vec<(R, u64)>> {
        self.list_rows(R::TABLE, scope, filter, page)
            .await?
            .iter()
            .map(|row| Ok((decode(&row.body)?, row.version)))
            .collect()
    }

    /// The first record the filter finds (in its order), if any.
    async fn first<R: Record>(&self, scope: &Scope, filter: &Filter) -> StoreResult<Option<R>> {
        let one = Page { number: 0, size: 1 };
        Ok(self.list(scope, filter, Some(one)).await?.pop())
    }

    /// Commits a change that inserts `record` alone.
    async fn insert<R: Record>(&self, scope: &Scope, record: &R) -> StoreResult<()> {
        self.commit(scope, Changes::new().insert(record)).await
    }

    /// Commits a change that replaces `record` alone.
    async fn update<R: Record>(&self, scope: &Scope, record: &R) -> StoreResult<()> {
        self.commit(scope, Changes::new().update(record)).await
    }
}

impl<S: RecordStore + ?Sized> Records for S {}
