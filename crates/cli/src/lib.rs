//! kassa
