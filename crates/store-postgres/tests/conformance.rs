//! The shared store conformance suite on PostgreSQL, each test in a fresh
//! schema of the database named by `KASSA_TEST_DATABASE_URL` (when it is
//! unset a test is skipped and counted, or fails under `CI=true`; `.ci/run`
//! sets it to the local server).

mod common;

use common::fresh_store;

kassa_store::conformance_tests!(fresh_store);
