//! The generic statements over record tables, as SQLite text: built once
//! per table from [`Table::columns`], and filters turned into `WHERE`
//! clauses with `?` parameters.

use std::sync::OnceLock;

use kassa_core::page::Page;
use kassa_core::tenancy::Scope;
use kassa_store::{Cmp, Cond, Filter, Order, StoreError, StoreResult, Table, Val};
use rusqlite::types::Value;

/// The statements of one table, built on first use.
pub struct Statements {
    pub insert: String,
    pub update: String,
    pub update_at_version: String,
}

pub fn statements(table: Table) -> &'static Statements {
    static ALL: OnceLock<Vec<Statements>> = OnceLock::new();
    let all = ALL.get_or_init(|| Table::ALL.iter().map(|t| build(*t)).collect());
    let i = Table::ALL
        .iter()
        .position(|t| *t == table)
        .expect("every table is in Table::ALL");
    &all[i]
}

fn build(table: Table) -> Statements {
    let t = table.name();
    let cols: Vec<&str> = table.columns().iter().map(|(c, _)| *c).collect();
    let mut names = String::from("id, business_id, mode, created_at, version, body");
    let mut marks = String::from("?1, ?2, ?3, ?4, 0, ?5");
    let mut sets = String::from("version = version + 1, body = ?4");
    for (i, c) in cols.iter().enumerate() {
        names.push_str(&format!(", {c}"));
        marks.push_str(&format!(", ?{}", i + 6));
        sets.push_str(&format!(", {c} = ?{}", i + 5));
    }
    let update = format!("UPDATE {t} SET {sets} WHERE business_id = ?1 AND mode = ?2 AND id = ?3");
    let version_mark = cols.len() + 5;
    Statements {
        insert: format!("INSERT INTO {t} ({names}) VALUES ({marks})"),
        update_at_version: format!("{update} AND version = ?{version_mark}"),
        update,
    }
}

/// A value as SQLite binds it: booleans as 0/1, sets as their text.
pub fn value(v: &Val) -> Value {
    match v {
        Val::Null => Value::Null,
        Val::Bool(b) => Value::Integer(i64::from(*b)),
        Val::Int(i) => Value::Integer(*i),
        Val::Text(s) => Value::Text(s.clone()),
        Val::Set(members) => Value::Text(Val::set_text(members)),
    }
}

/// The `SELECT` of a list (`version, body` in the filter's order, one page
/// of it) and its parameters. Public for the test that checks each hot
/// lookup's query plan (`tests/query_plans.rs`).
pub fn list(
    table: Table,
    scope: &Scope,
    filter: &Filter,
    page: Option<Page>,
) -> StoreResult<(String, Vec<Value>)> {
    let mut params = vec![
        Value::Text(scope.business.to_string()),
        Value::Text(scope.mode.as_str().to_owned()),
    ];
    let conds = conditions(table, filter, &mut params)?;
    let mut query = format!(
        "SELECT version, body FROM {} WHERE business_id = ? AND mode = ?{conds} {}",
        table.name(),
        order(filter.order)
    );
    if let Some(page) = page {
        query.push_str(" LIMIT ? OFFSET ?");
        params.push(Value::Integer(i64::from(page.size)));
        params.push(Value::Integer(page.offset() as i64));
    }
    Ok((query, params))
}

/// `AND …` conditions for `filter` (appended after the scope condition),
/// pushing their parameters in order.
pub fn conditions(table: Table, filter: &Filter, params: &mut Vec<Value>) -> StoreResult<String> {
    if let Some(column) = filter.unknown_column(table) {
        return Err(StoreError::Backend(
            format!("a filter names {column}, which {} lacks", table.name()).into(),
        ));
    }
    let mut sql = String::new();
    for cond in &filter.conds {
        sql.push_str(" AND ");
        condition(cond, params, &mut sql);
    }
    Ok(sql)
}

fn condition(cond: &Cond, params: &mut Vec<Value>, sql: &mut String) {
    match cond {
        Cond::Eq(c, Val::Null) => sql.push_str(&format!("({c} IS NULL AND 0)")),
        Cond::Eq(c, v) => {
            params.push(value(v));
            sql.push_str(&format!("{c} = ?"));
        }
        Cond::Cmp(c, op, v) => {
            params.push(value(v));
            let op = match op {
                Cmp::Lt => "<",
                Cmp::Le => "<=",
                Cmp::Gt => ">",
                Cmp::Ge => ">=",
            };
            sql.push_str(&format!("{c} {op} ?"));
        }
        Cond::Null(c) => sql.push_str(&format!("{c} IS NULL")),
        Cond::Contains(c, text) => {
            // instr, not LIKE: `%` and `_` are plain characters. SQLite's
            // lower() folds ASCII only, as PostgreSQL's side does.
            params.push(Value::Text(text.clone()));
            sql.push_str(&format!("instr(lower({c}), lower(?)) > 0"));
        }
        Cond::Has(c, member) => {
            params.push(Value::Text(format!(" {member} ")));
            sql.push_str(&format!("instr({c}, ?) > 0"));
        }
        Cond::Empty(c) => sql.push_str(&format!("{c} = ''")),
        Cond::Under { count, limit } => {
            sql.push_str(&format!("({limit} IS NULL OR {count} < {limit})"))
        }
        Cond::Any(conds) => join(conds, " OR ", "0", params, sql),
        Cond::All(conds) => join(conds, " AND ", "1", params, sql),
        Cond::Not(inner) => {
            // Two-valued logic: a condition on a null column is false (SQL
            // says unknown), so its negation is true, not unknown.
            sql.push_str("NOT COALESCE((");
            condition(inner, params, sql);
            sql.push_str("), 0)");
        }
    }
}

fn join(conds: &[Cond], op: &str, empty: &str, params: &mut Vec<Value>, sql: &mut String) {
    if conds.is_empty() {
        sql.push_str(empty);
        return;
    }
    sql.push('(');
    for (i, cond) in conds.iter().enumerate() {
        if i > 0 {
            sql.push_str(op);
        }
        condition(cond, params, sql);
    }
    sql.push(')');
}

/// `ORDER BY` for a list.
pub fn order(order: Order) -> &'static str {
    match order {
        Order::NewestFirst => "ORDER BY created_at DESC, id DESC",
        Order::OldestFirst => "ORDER BY created_at ASC, id ASC",
    }
}
