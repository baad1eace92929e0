//! kassa-server
