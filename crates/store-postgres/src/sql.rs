//! The generic SQL over record tables, as PostgreSQL text: values bound
//! with the types their columns hold, filters turned into `WHERE`
//! conditions, and the order of lists. Every column name pushed into SQL
//! comes from [`Table::columns`] or was checked against it first.

use kassa_core::tenancy::Scope;
use kassa_store::{Cmp, Cond, Filter, Kind, Order, StoreResult, Table, Val};
use sqlx::{Postgres, QueryBuilder};

use crate::failure;

/// Binds `v`. PostgreSQL types every parameter, so a null is bound as the
/// kind of the column it goes to (`kind`; text when unknown): an untyped
/// null in a `boolean` or `text[]` column would not be accepted.
pub fn bind(q: &mut QueryBuilder<Postgres>, kind: Option<Kind>, v: &Val) {
    match v {
        Val::Null => match kind {
            Some(Kind::Bool) => q.push_bind(None::<bool>),
            Some(Kind::Int) => q.push_bind(None::<i64>),
            Some(Kind::Set) => q.push_bind(None::<Vec<String>>),
            Some(Kind::Text) | None => q.push_bind(None::<String>),
        },
        Val::Bool(b) => q.push_bind(*b),
        Val::Int(i) => q.push_bind(*i),
        Val::Text(s) => q.push_bind(s.as_str()),
        Val::Set(members) => q.push_bind(members.as_slice()),
    };
}

/// `business_id = $ AND mode = $`: the scope every scoped statement names.
pub fn scope(q: &mut QueryBuilder<Postgres>, scope: &Scope) {
    q.push("business_id = ")
        .push_bind(scope.business.as_str())
        .push(" AND mode = ")
        .push_bind(scope.mode.as_str());
}

/// `SELECT {what} FROM {table} WHERE <scope> AND id = $`, for callers to
/// extend (`FOR UPDATE`, more conditions).
pub fn by_id(what: &str, table: Table, s: &Scope, id: &str) -> QueryBuilder<Postgres> {
    let mut q = QueryBuilder::new(format!("SELECT {what} FROM {} WHERE ", table.name()));
    scope(&mut q, s);
    q.push(" AND id = ").push_bind(id.to_owned());
    q
}

/// Pushes ` AND …` for each of `filter`'s conditions. A filter naming a
/// column the table lacks is refused before any SQL is built.
pub fn conditions(
    q: &mut QueryBuilder<Postgres>,
    table: Table,
    filter: &Filter,
) -> StoreResult<()> {
    if let Some(column) = filter.unknown_column(table) {
        return Err(failure(format!(
            "a filter names {column}, which {} lacks",
            table.name()
        )));
    }
    for cond in &filter.conds {
        q.push(" AND ");
        condition(q, table, cond);
    }
    Ok(())
}

fn condition(q: &mut QueryBuilder<Postgres>, table: Table, cond: &Cond) {
    match cond {
        // Equality with null never holds, as in SQL; `Cond::Null` asks that.
        Cond::Eq(_, Val::Null) => {
            q.push("FALSE");
        }
        Cond::Eq(c, v) => {
            q.push(format!("{c} = "));
            bind(q, table.kind(c), v);
        }
        Cond::Cmp(c, op, v) => {
            let op = match op {
                Cmp::Lt => "<",
                Cmp::Le => "<=",
                Cmp::Gt => ">",
                Cmp::Ge => ">=",
            };
            q.push(format!("{c} {op} "));
            bind(q, table.kind(c), v);
        }
        Cond::Null(c) => {
            q.push(format!("{c} IS NULL"));
        }
        Cond::Contains(c, text) => {
            // strpos, not LIKE: `%` and `_` are plain characters. Under the
            // "C" collation lower() folds ASCII only, as SQLite's does.
            q.push(format!("strpos(lower({c} COLLATE \"C\"), lower(CAST("))
                .push_bind(text.as_str())
                .push(" AS text) COLLATE \"C\")) > 0");
        }
        Cond::Has(c, member) => {
            q.push("CAST(")
                .push_bind(member.as_str())
                .push(format!(" AS text) = ANY({c})"));
        }
        Cond::Empty(c) => {
            q.push(format!("cardinality({c}) = 0"));
        }
        Cond::Under { count, limit } => {
            q.push(format!("({limit} IS NULL OR {count} < {limit})"));
        }
        Cond::Any(conds) => join(q, table, conds, " OR ", "FALSE"),
        Cond::All(conds) => join(q, table, conds, " AND ", "TRUE"),
        // Two-valued: a condition on a null column is false, never
        // unknown, so its negation holds. `IS NOT TRUE` gives exactly that
        // (unknown inside counts as false) and leaves the conditions
        // outside a negation plain, so indexes still serve them.
        Cond::Not(inner) => {
            q.push("(");
            condition(q, table, inner);
            q.push(") IS NOT TRUE");
        }
    }
}

/// The conditions joined by `op`; `empty` when there are none (an empty
/// `Any` holds for no row, an empty `All` for every row).
fn join(q: &mut QueryBuilder<Postgres>, table: Table, conds: &[Cond], op: &str, empty: &str) {
    if conds.is_empty() {
        q.push(empty);
        return;
    }
    q.push("(");
    for (i, cond) in conds.iter().enumerate() {
        if i > 0 {
            q.push(op);
        }
        condition(q, table, cond);
    }
    q.push(")");
}

/// `ORDER BY` for a list; ids break ties between rows created together.
pub fn order(order: Order) -> &'static str {
    match order {
        Order::NewestFirst => " ORDER BY created_at DESC, id DESC",
        Order::OldestFirst => " ORDER BY created_at ASC, id ASC",
    }
}

/// The value a row gives an index column (null when it gives none, which
/// a `NOT NULL` column then refuses).
pub fn column_value<'a>(columns: &'a [(&'static str, Val)], name: &str) -> &'a Val {
    columns
        .iter()
        .find(|(c, _)| *c == name)
        .map_or(&Val::Null, |(_, v)| v)
}
