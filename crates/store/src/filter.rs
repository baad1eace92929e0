//! Which rows of a table a list returns, or a guard counts: conditions on
//! the index columns ([`Table::columns`]), and an order.

use crate::table::{Table, Val};

/// Conditions that must all hold, and the order of the result.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Filter {
    pub conds: Vec<Cond>,
    pub order: Order,
}

/// Lists are newest first (`created_at`, then `id`, descending) unless
/// they ask otherwise.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Order {
    #[default]
    NewestFirst,
    OldestFirst,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Cmp {
    Lt,
    Le,
    Gt,
    Ge,
}

/// One condition on a row's columns.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Cond {
    /// The column equals the value (`Val::Null` never matches; use
    /// [`Cond::Null`]).
    Eq(&'static str, Val),
    /// The column compares so with the value.
    Cmp(&'static str, Cmp, Val),
    /// The column is null.
    Null(&'static str),
    /// The text column contains the text, ignoring ASCII case; `%` and `_`
    /// are plain characters.
    Contains(&'static str, String),
    /// The set column has the member.
    Has(&'static str, String),
    /// The set column is empty.
    Empty(&'static str),
    /// `count` is below `limit`, or `limit` is null (a use is left).
    Under {
        count: &'static str,
        limit: &'static str,
    },
    /// One of the conditions holds (none does when empty).
    Any(Vec<Cond>),
    /// Every condition holds (all do when empty).
    All(Vec<Cond>),
    /// The condition does not hold. Conditions are two-valued: one on a
    /// null column (other than [`Cond::Null`]) is false, so its negation is
    /// true, unlike SQL's unknown.
    Not(Box<Cond>),
}

impl Cond {
    /// Every column the condition names.
    pub fn columns(&self) -> Vec<&'static str> {
        match self {
            Cond::Eq(c, _)
            | Cond::Cmp(c, _, _)
            | Cond::Null(c)
            | Cond::Contains(c, _)
            | Cond::Has(c, _)
            | Cond::Empty(c) => vec![c],
            Cond::Under { count, limit } => vec![count, limit],
            Cond::Any(conds) | Cond::All(conds) => conds.iter().flat_map(Cond::columns).collect(),
            Cond::Not(cond) => cond.columns(),
        }
    }
}

impl Cond {
    /// [`Cond::Not`] of this condition, as a method so filters read in
    /// order (`cond.not()`) without importing `std::ops::Not`.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Cond {
        Cond::Not(Box::new(self))
    }
}

impl Filter {
    pub fn new() -> Filter {
        Filter::default()
    }

    pub fn oldest_first(mut self) -> Filter {
        self.order = Order::OldestFirst;
        self
    }

    pub fn and(mut self, cond: Cond) -> Filter {
        self.conds.push(cond);
        self
    }

    /// Adds `cond` when there is one (an optional query parameter).
    pub fn and_some(self, cond: Option<Cond>) -> Filter {
        match cond {
            Some(cond) => self.and(cond),
            None => self,
        }
    }

    pub fn eq(self, column: &'static str, value: impl Into<Val>) -> Filter {
        self.and(Cond::Eq(column, value.into()))
    }

    /// The first column not in `table`, if any: a backend refuses such a
    /// filter before it builds any SQL.
    pub fn unknown_column(&self, table: Table) -> Option<&'static str> {
        self.conds
            .iter()
            .flat_map(Cond::columns)
            .find(|c| !table.has_column(c))
    }
}
