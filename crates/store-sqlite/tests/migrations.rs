//! Migrations applied to rows as an earlier Kassa stored them. The old
//! rows are written with the words of their time, which is why this lives
//! here and not in `src` (where the dialect boundary test forbids them).

use kassa_store_sqlite::MIGRATIONS;
use rusqlite::Connection;

/// Rows stored before 0010 named event types and decline reasons in
/// Dodo's words; after it they carry the domain's keys.
#[test]
fn names_stored_before_0010_become_the_domains_keys() {
    let conn = Connection::open_in_memory().unwrap();
    for (_, sql) in &MIGRATIONS[..9] {
        conn.execute_batch(sql).unwrap();
    }
    conn.execute_batch(
        r#"INSERT INTO businesses (id, created_at, body) VALUES ('bus_1', 0, '{}');
           INSERT INTO events (id, business_id, mode, type, object, occurred_at)
               VALUES ('evt_1', 'bus_1', 'test', 'subscription.on_hold', '{}', 0);
           INSERT INTO webhook_endpoints (id, business_id, mode, disabled, filter_types, body)
               VALUES ('whk_1', 'bus_1', 'test', 0, ' payment.failed payment.succeeded ',
                       '{"id":"whk_1","filter_types":["payment.succeeded","payment.failed"],"url":"http://a.b"}');
           INSERT INTO payments (id, business_id, mode, status, customer_id, brand_id, currency, created_at, body)
               VALUES ('pay_1', 'bus_1', 'test', 'failed', 'cus_1', 'bra_1', 'EUR', 0,
                       '{"id":"pay_1","error_code":"INSUFFICIENT_FUNDS","error_message":"x"}'),
                      ('pay_2', 'bus_1', 'test', 'succeeded', 'cus_1', 'bra_1', 'EUR', 0,
                       '{"id":"pay_2","error_code":null}');"#,
    )
    .unwrap();
    conn.execute_batch(MIGRATIONS[9].1).unwrap();
    let one = |sql: &str| -> String { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(one("SELECT type FROM events"), "subscription_on_hold");
    assert_eq!(
        one("SELECT filter_types FROM webhook_endpoints"),
        " payment_failed payment_succeeded "
    );
    assert_eq!(
        one("SELECT body FROM webhook_endpoints"),
        r#"{"id":"whk_1","filter_types":["payment_succeeded","payment_failed"],"url":"http://a.b"}"#
    );
    assert_eq!(
        one("SELECT body FROM payments WHERE id = 'pay_1'"),
        r#"{"id":"pay_1","error_code":"insufficient_funds","error_message":"x"}"#
    );
    assert_eq!(
        one("SELECT body FROM payments WHERE id = 'pay_2'"),
        r#"{"id":"pay_2","error_code":null}"#
    );
}
