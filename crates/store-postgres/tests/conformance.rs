//! The shared store conformance suite on PostgreSQL, each test in a fresh
//! schema of the database named by `KASSA_TEST_DATABASE_URL` (skipped when
//! unset; `.ci/run` sets it to the local server).

mod common;

use common::fresh_store;

kassa_store::conformance_tests!(fresh_store);
