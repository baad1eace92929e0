//! API tests: the real server on port 0 over a fresh store, spoken to over
//! real HTTP. One binary, one module per concern.
//!
//! A test listed in its module's `kassa_testkit::on_each_backend!` runs
//! twice, `…::on_sqlite` and `…::on_postgres` (a fresh schema of the
//! database `KASSA_TEST_DATABASE_URL` names; without it the PostgreSQL
//! half is skipped and counted, or fails under `CI=true`). Only what no
//! store takes part in runs on SQLite alone: the edge's own behaviour
//! (CORS, unknown fields) and a start refused for a table that does not
//! parse.

mod auth;
mod bad_input;
mod catalog;
mod checkout;
mod cors;
mod deliveries;
mod links;
mod payments;
mod platform;
mod pricing_tables;
mod probe;
mod reconcile;
mod saved_methods;
mod tenancy;
mod test_clock;
mod unknown_fields;
mod webhooks;
