//! The behaviour every backend must show. Backends run it with
//! [`conformance_tests!`](crate::conformance_tests).
//!
//! (Being written: see the SQLite backend's task.)
