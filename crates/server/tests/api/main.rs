//! API tests: the real server on port 0 over a fresh store, spoken to over
//! real HTTP. One binary, one module per concern.

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
mod reconcile;
mod saved_methods;
mod tenancy;
mod test_clock;
mod unknown_fields;
mod webhooks;
