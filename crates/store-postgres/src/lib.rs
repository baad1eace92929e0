//! kassa-store-postgres
