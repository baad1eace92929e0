//! A change a use case makes, as one value: the rows it writes, the guards
//! that must hold, the domain events it raises. The store commits it
//! atomically ([`RecordStore::commit`](crate::RecordStore::commit)) or
//! not at all, and says which guard failed.
//!
//! Bodies are serialised while the change is built, on the caller's task,
//! so a backend's single writer only runs SQL.

use kassa_core::id::WebhookEndpointId;
use kassa_core::webhook::Event;

use crate::filter::Filter;
use crate::jobs::{JobEnd, NewJob};
use crate::record::Record;
use crate::table::{Table, Val, micros};

/// One row as written: everything a backend needs, already serialised.
#[derive(Clone, PartialEq, Debug)]
pub struct RowWrite {
    pub table: Table,
    pub id: String,
    /// Microseconds since the epoch.
    pub created_at: i64,
    pub columns: Vec<(&'static str, Val)>,
    pub body: String,
}

impl RowWrite {
    pub fn of<R: Record>(record: &R) -> Result<RowWrite, serde_json::Error> {
        Ok(RowWrite {
            table: R::TABLE,
            id: record.id().to_owned(),
            created_at: micros(record.created_at()),
            columns: record.columns(),
            body: serde_json::to_string(record)?,
        })
    }
}

/// What must hold for the change to commit, checked inside its transaction.
#[derive(Clone, PartialEq, Debug)]
pub enum Guard {
    /// Fewer than `limit` rows of the table in the scope match `filter`.
    Fewer {
        table: Table,
        filter: Filter,
        limit: u64,
    },
    /// The row exists in the scope and is still at `version`.
    Unchanged {
        table: Table,
        id: String,
        version: u64,
    },
}

/// One step of a change, applied in order.
#[derive(Clone, PartialEq, Debug)]
pub enum Op {
    /// A new row; its id must be free.
    Insert(RowWrite),
    /// Replaces the row in the scope (and bumps its version); with
    /// `version`, only if the row is still at it.
    Update {
        row: RowWrite,
        version: Option<u64>,
    },
    /// Removes the row in the scope, with its [dependents](Table::dependents).
    Delete {
        table: Table,
        id: String,
    },
    /// Counts one use of the row: the `count` column and the body field of
    /// the same name go up by one, if `count` is under `limit` (or `limit`
    /// is null). The version is bumped like any write, so an update read
    /// before the use (which would put the old count back) is refused.
    Use {
        table: Table,
        id: String,
        count: &'static str,
        limit: &'static str,
    },
    /// Gives one counted use back (a claim that did not end in a
    /// purchase): `count` and its body field go down by one, never below
    /// zero. Bumps the version.
    Release {
        table: Table,
        id: String,
        count: &'static str,
    },
    Check(Guard),
}

/// A change: built with the methods below, committed by the store.
#[derive(Clone, Debug, Default)]
pub struct Changes {
    pub ops: Vec<Op>,
    /// Domain events, written to the outbox with one delivery per endpoint
    /// that wants each.
    pub events: Vec<Event>,
    /// Sends the events to this endpoint alone, whatever it filters (a
    /// test trigger).
    pub events_only_to: Option<WebhookEndpointId>,
    /// Jobs the change causes, written in its transaction.
    pub jobs: Vec<NewJob>,
    /// Pending jobs it makes moot, by (kind, key): cancelled with it.
    pub cancel_jobs: Vec<(&'static str, String)>,
    /// The leased job whose run this change is the effect of, and how the
    /// run ends: the change commits only while the worker's lease holds
    /// ([`Conflict::LeaseLost`](crate::Conflict::LeaseLost) otherwise), so
    /// a job's effect happens once.
    pub finishes: Option<JobFinish>,
    /// A body that could not be serialised; the commit fails with it.
    pub(crate) broken: Option<String>,
}

/// A leased job's end, committed with its effect.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct JobFinish {
    pub worker: String,
    pub job: String,
    pub end: JobEnd,
    /// Wall time (bookkeeping).
    pub at: time::OffsetDateTime,
}

impl Changes {
    pub fn new() -> Changes {
        Changes::default()
    }

    pub fn insert<R: Record>(mut self, record: &R) -> Changes {
        match RowWrite::of(record) {
            Ok(row) => self.ops.push(Op::Insert(row)),
            Err(e) => self.break_on(R::TABLE, e),
        }
        self
    }

    /// Replaces the stored row with `record`.
    pub fn update<R: Record>(mut self, record: &R) -> Changes {
        match RowWrite::of(record) {
            Ok(row) => self.ops.push(Op::Update { row, version: None }),
            Err(e) => self.break_on(R::TABLE, e),
        }
        self
    }

    /// Replaces the stored row with `record` if it is still at `version`
    /// (the one it was read at): a concurrent change makes this a conflict.
    pub fn update_from<R: Record>(mut self, record: &R, version: u64) -> Changes {
        match RowWrite::of(record) {
            Ok(row) => self.ops.push(Op::Update {
                row,
                version: Some(version),
            }),
            Err(e) => self.break_on(R::TABLE, e),
        }
        self
    }

    pub fn delete<R: Record>(mut self, id: &str) -> Changes {
        self.ops.push(Op::Delete {
            table: R::TABLE,
            id: id.to_owned(),
        });
        self
    }

    /// Counts one use of `id`'s counter (see [`Op::Use`]).
    pub fn use_one<R: Record>(
        mut self,
        id: &str,
        count: &'static str,
        limit: &'static str,
    ) -> Changes {
        self.ops.push(Op::Use {
            table: R::TABLE,
            id: id.to_owned(),
            count,
            limit,
        });
        self
    }

    /// Gives back a use counted by [`Changes::use_one`] (see [`Op::Release`]).
    pub fn release_one<R: Record>(mut self, id: &str, count: &'static str) -> Changes {
        self.ops.push(Op::Release {
            table: R::TABLE,
            id: id.to_owned(),
            count,
        });
        self
    }

    pub fn guard(mut self, guard: Guard) -> Changes {
        self.ops.push(Op::Check(guard));
        self
    }

    /// Schedules a job with the change (a key already scheduled keeps the
    /// first job).
    pub fn schedule(mut self, job: NewJob) -> Changes {
        self.jobs.push(job);
        self
    }

    /// Cancels the pending job of `kind` under `key`, if any.
    pub fn cancel_job(mut self, kind: &'static str, key: impl Into<String>) -> Changes {
        self.cancel_jobs.push((kind, key.into()));
        self
    }

    /// Makes this change the effect of `worker`'s run of `job`, ending so.
    pub fn finishing(mut self, finish: JobFinish) -> Changes {
        self.finishes = Some(finish);
        self
    }

    pub fn emit(mut self, event: Event) -> Changes {
        self.events.push(event);
        self
    }

    pub fn emit_all(mut self, events: impl IntoIterator<Item = Event>) -> Changes {
        self.events.extend(events);
        self
    }

    /// Sends this change's events to `endpoint` only.
    pub fn only_to(mut self, endpoint: WebhookEndpointId) -> Changes {
        self.events_only_to = Some(endpoint);
        self
    }

    /// Appends another change's steps and events after this one's.
    pub fn then(mut self, other: Changes) -> Changes {
        self.ops.extend(other.ops);
        self.events.extend(other.events);
        self.jobs.extend(other.jobs);
        self.cancel_jobs.extend(other.cancel_jobs);
        self.finishes = self.finishes.or(other.finishes);
        self.broken = self.broken.or(other.broken);
        self
    }

    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
            && self.events.is_empty()
            && self.jobs.is_empty()
            && self.cancel_jobs.is_empty()
            && self.finishes.is_none()
    }

    /// Why the change cannot be committed, if a body failed to serialise.
    pub fn broken(&self) -> Option<&str> {
        self.broken.as_deref()
    }

    /// Whether it is a single insert with nothing else: a backend may skip
    /// the machinery a multi-step change needs.
    pub fn lone_insert(&self) -> Option<&RowWrite> {
        let alone = self.events.is_empty()
            && self.jobs.is_empty()
            && self.cancel_jobs.is_empty()
            && self.finishes.is_none();
        match (self.ops.as_slice(), alone) {
            ([Op::Insert(row)], true) => Some(row),
            _ => None,
        }
    }

    fn break_on(&mut self, table: Table, e: serde_json::Error) {
        self.broken
            .get_or_insert_with(|| format!("a {} row did not serialise: {e}", table.name()));
    }
}
