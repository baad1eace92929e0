//! The storage layer's errors: a change refused by the state of the store
//! (typed, so a use case matches on what failed, never on a string), or a
//! backend failure.

use crate::table::Table;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A named operation found nothing to act on in this scope (a delivery
    /// to resend, a key to finish).
    #[error("not found")]
    NotFound,
    /// The change was refused; nothing of it was written.
    #[error(transparent)]
    Conflict(#[from] Conflict),
    /// The backend failed (I/O, driver, corrupt row). Never shown to clients.
    #[error("storage backend failed: {0}")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl StoreError {
    pub fn backend(e: impl std::error::Error + Send + Sync + 'static) -> StoreError {
        StoreError::Backend(Box::new(e))
    }

    /// The conflict, if the change was refused by one.
    pub fn conflict(&self) -> Option<&Conflict> {
        match self {
            StoreError::Conflict(c) => Some(c),
            _ => None,
        }
    }
}

/// Why a change could not commit: the first step or guard that failed.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum Conflict {
    /// An insert's id is taken.
    #[error("{} {id} already exists", table.name())]
    Exists { table: Table, id: String },
    /// A write broke the table's own uniqueness rule (a live discount's
    /// code, an endpoint's idempotency key).
    #[error("a {} row with that unique value already exists", table.name())]
    Taken { table: Table },
    /// An update, delete or use named a row that is not in the scope.
    #[error("{} {id} does not exist", table.name())]
    Missing { table: Table, id: String },
    /// The row changed since it was read (a version guard).
    #[error("{} {id} changed meanwhile", table.name())]
    Changed { table: Table, id: String },
    /// A use was counted on a row with none left.
    #[error("{} {id} has no use left", table.name())]
    UsedUp { table: Table, id: String },
    /// The job this change finishes is no longer leased to its worker
    /// (the lease lapsed and another worker took it).
    #[error("the lease on job {job} was lost")]
    LeaseLost { job: String },
    /// A [`Guard::Fewer`](crate::Guard::Fewer) found as many rows as its limit.
    #[error("too many {} rows", table.name())]
    TooMany { table: Table },
}

pub type StoreResult<T> = Result<T, StoreError>;
