//! The lookups the purchase path makes by a column are index probes, not
//! walks of the scope. Without table statistics SQLite's planner picks an
//! index by its shape; it preferred the scope's list index (already in list
//! order) to the one on the looked-up column, so finding a customer by
//! email read every customer the business had. The plan is read for the
//! exact statement the store runs.

use kassa_core::customer::CustomerFilter;
use kassa_core::id::{BusinessId, CustomerId, ProductId};
use kassa_core::page::Page;
use kassa_core::payment::PaymentFilter;
use kassa_core::tenancy::{Mode, Scope};
use kassa_store::{Filter, Table, filters};
use kassa_store_sqlite::{MIGRATIONS, sql};
use rusqlite::{Connection, params_from_iter};

fn migrated() -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    for (_, migration) in MIGRATIONS {
        conn.execute_batch(migration).unwrap();
    }
    conn
}

/// The query plan of the first page of `filter` over `table`, one line
/// per step.
fn plan(conn: &Connection, table: Table, filter: &Filter) -> String {
    let scope = Scope {
        business: BusinessId::generate(),
        mode: Mode::Test,
    };
    let one = Page { number: 0, size: 1 };
    let (query, params) = sql::list(table, &scope, filter, Some(one)).unwrap();
    let mut stmt = conn
        .prepare(&format!("EXPLAIN QUERY PLAN {query}"))
        .unwrap();
    let steps = stmt
        .query_map(params_from_iter(params), |r| r.get::<_, String>(3))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    steps.join("\n")
}

fn assert_probes(plan: &str, index: &str, column: &str) {
    assert!(
        plan.contains(&format!(
            "USING INDEX {index} (business_id=? AND mode=? AND {column}=?)"
        )),
        "expected a probe of {index} on {column}:\n{plan}"
    );
    assert!(
        !plan.contains("TEMP B-TREE"),
        "expected no sort after the probe:\n{plan}"
    );
}

#[test]
fn a_customer_is_found_by_email_through_the_email_index() {
    let conn = migrated();
    let filter = filters::customers(&CustomerFilter {
        email: Some("ada@example.com".into()),
        ..CustomerFilter::default()
    });
    assert_probes(
        &plan(&conn, Table::Customers, &filter),
        "customers_email",
        "email_lower",
    );
}

#[test]
fn a_customers_payments_are_found_through_the_customer_index() {
    let conn = migrated();
    let filter = filters::payments(&PaymentFilter {
        customer: Some(CustomerId::generate()),
        ..PaymentFilter::default()
    });
    assert_probes(
        &plan(&conn, Table::Payments, &filter),
        "payments_customer",
        "customer_id",
    );
}

#[test]
fn a_customers_saved_methods_are_found_through_the_customer_index() {
    let conn = migrated();
    let filter = filters::methods_of(&CustomerId::generate());
    assert_probes(
        &plan(&conn, Table::PaymentMethods, &filter),
        "payment_methods_customer",
        "customer_id",
    );
}

#[test]
fn a_products_links_are_found_through_the_product_index() {
    let conn = migrated();
    let filter = filters::product_links(Some(&ProductId::generate()));
    assert_probes(
        &plan(&conn, Table::ShortLinks, &filter),
        "short_links_product",
        "product_id",
    );
}
