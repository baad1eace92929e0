//! kassa-api-dodo
