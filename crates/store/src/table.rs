//! The tables records live in, the columns each keeps beside its JSON body
//! for filters and guards, and the values those columns hold.
//!
//! Every record table has the same shape: `id`, `business_id`, `mode`,
//! `created_at` (microseconds), `version` (bumped by every update), `body`
//! (the record's serde form) and the index columns listed here. A backend
//! builds its SQL from these names only, so a column a filter names must be
//! in the list: [`Table::has_column`] is checked before any SQL is built.

use time::OffsetDateTime;

/// Every record table.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Table {
    Brands,
    Products,
    Addons,
    Customers,
    Discounts,
    CheckoutSessions,
    Payments,
    ShortLinks,
    PaymentMethods,
    WebhookEndpoints,
}

impl Table {
    pub const ALL: &'static [Table] = &[
        Table::Brands,
        Table::Products,
        Table::Addons,
        Table::Customers,
        Table::Discounts,
        Table::CheckoutSessions,
        Table::Payments,
        Table::ShortLinks,
        Table::PaymentMethods,
        Table::WebhookEndpoints,
    ];

    /// The SQL name, the same in every backend.
    pub fn name(self) -> &'static str {
        match self {
            Table::Brands => "brands",
            Table::Products => "products",
            Table::Addons => "addons",
            Table::Customers => "customers",
            Table::Discounts => "discounts",
            Table::CheckoutSessions => "checkout_sessions",
            Table::Payments => "payments",
            Table::ShortLinks => "short_links",
            Table::PaymentMethods => "payment_methods",
            Table::WebhookEndpoints => "webhook_endpoints",
        }
    }

    /// The index columns beside `body`, each with the kind of value it holds.
    pub fn columns(self) -> &'static [(&'static str, Kind)] {
        use Kind::*;
        match self {
            Table::Brands => &[("is_primary", Bool), ("archived", Bool)],
            Table::Products => &[
                ("brand_id", Text),
                ("is_recurring", Bool),
                ("archived", Bool),
            ],
            Table::Addons => &[("archived", Bool)],
            Table::Customers => &[("email_lower", Text), ("name", Text)],
            Table::Discounts => &[
                ("code", Text),
                ("discount_type", Text),
                ("deleted", Bool),
                ("starts_at", Int),
                ("expires_at", Int),
                ("usage_limit", Int),
                ("times_used", Int),
                ("restricted_to", Set),
            ],
            Table::CheckoutSessions => &[],
            Table::Payments => &[
                ("status", Text),
                ("customer_id", Text),
                ("brand_id", Text),
                ("currency", Text),
                ("products", Set),
                ("discounts", Set),
            ],
            Table::ShortLinks => &[("product_id", Text)],
            Table::PaymentMethods => &[("customer_id", Text)],
            Table::WebhookEndpoints => &[
                ("disabled", Bool),
                ("filter_types", Set),
                ("idempotency_key", Text),
            ],
        }
    }

    /// Whether a filter may name `column` (an index column, or one every
    /// table has).
    pub fn has_column(self, column: &str) -> bool {
        matches!(column, "id" | "created_at")
            || self.columns().iter().any(|(name, _)| *name == column)
    }

    /// The kind of an index column, if it is one.
    pub fn kind(self, column: &str) -> Option<Kind> {
        match column {
            "id" => Some(Kind::Text),
            "created_at" => Some(Kind::Int),
            _ => self
                .columns()
                .iter()
                .find(|(name, _)| *name == column)
                .map(|(_, kind)| *kind),
        }
    }

    /// Rows of other tables that belong to a row of this one, as (table,
    /// column naming the row's id): a delete removes them in the same
    /// transaction.
    pub fn dependents(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Table::WebhookEndpoints => &[("webhook_attempts", "endpoint_id"), ("jobs", "subject")],
            _ => &[],
        }
    }
}

/// What an index column holds. A `Set` is a set of short strings without
/// spaces (ids, event names): a `TEXT[]` in PostgreSQL, and in SQLite one
/// text of the members each followed and preceded by a space (`" a b "`,
/// `""` when empty), so membership is a substring test.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Bool,
    Int,
    Text,
    Set,
}

/// A value of an index column (or of a filter's comparison).
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Val {
    Null,
    Bool(bool),
    Int(i64),
    Text(String),
    Set(Vec<String>),
}

impl Val {
    /// An instant as its column holds it: microseconds since the epoch.
    pub fn time(t: OffsetDateTime) -> Val {
        Val::Int(micros(t))
    }

    pub fn opt_time(t: Option<OffsetDateTime>) -> Val {
        t.map_or(Val::Null, Val::time)
    }

    pub fn set<I, S>(members: I) -> Val
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Val::Set(members.into_iter().map(Into::into).collect())
    }

    /// The SQLite text of a set (see [`Kind::Set`]).
    pub fn set_text(members: &[String]) -> String {
        if members.is_empty() {
            return String::new();
        }
        let mut text = String::from(" ");
        for m in members {
            text.push_str(m);
            text.push(' ');
        }
        text
    }
}

impl From<bool> for Val {
    fn from(v: bool) -> Val {
        Val::Bool(v)
    }
}

impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::Int(v)
    }
}

impl From<u32> for Val {
    fn from(v: u32) -> Val {
        Val::Int(i64::from(v))
    }
}

impl From<&str> for Val {
    fn from(v: &str) -> Val {
        Val::Text(v.to_owned())
    }
}

impl From<String> for Val {
    fn from(v: String) -> Val {
        Val::Text(v)
    }
}

impl<T: Into<Val>> From<Option<T>> for Val {
    fn from(v: Option<T>) -> Val {
        v.map_or(Val::Null, Into::into)
    }
}

/// Microseconds since the Unix epoch: how every backend stores an instant.
pub fn micros(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000) as i64
}

/// The instant a [`micros`] column holds.
pub fn from_micros(v: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(v as i128 * 1_000).ok()
}
