//! Pins the stored body format: core's serde derives are what every
//! backend writes into `body`, so a renamed field or a respelled enum would
//! silently change (or stop reading) rows already stored.
//!
//! Each file under `tests/golden/<table>/` is a body as Kassa stored it.
//! Every one must still read as its record and write back byte for byte;
//! a change that fails here needs a migration of the stored rows, not a
//! new golden file.

use std::path::{Path, PathBuf};

use kassa_core::catalog::{Addon, Brand, Product};
use kassa_core::checkout::CheckoutSession;
use kassa_core::customer::Customer;
use kassa_core::discount::Discount;
use kassa_core::link::ShortLink;
use kassa_core::payment::{Payment, SavedMethod};
use kassa_core::webhook::WebhookEndpoint;
use kassa_store::{Record, Table};

fn bodies(table: Table) -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(table.name());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no golden bodies in {}", dir.display());
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("a golden body");
            (p, text.trim_end().to_owned())
        })
        .collect()
}

fn round_trips<R: Record>() {
    for (path, body) in bodies(R::TABLE) {
        let record: R = serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("{} no longer reads: {e}", path.display()));
        let written = serde_json::to_string(&record).expect("a record serialises");
        assert_eq!(
            written,
            body,
            "{} is no longer written as it was stored",
            path.display()
        );
    }
}

#[test]
fn stored_brands_read_and_write_back_unchanged() {
    round_trips::<Brand>();
}

#[test]
fn stored_products_read_and_write_back_unchanged() {
    round_trips::<Product>();
}

#[test]
fn stored_addons_read_and_write_back_unchanged() {
    round_trips::<Addon>();
}

#[test]
fn stored_customers_read_and_write_back_unchanged() {
    round_trips::<Customer>();
}

#[test]
fn stored_discounts_read_and_write_back_unchanged() {
    round_trips::<Discount>();
}

#[test]
fn stored_checkout_sessions_read_and_write_back_unchanged() {
    round_trips::<CheckoutSession>();
}

#[test]
fn stored_payments_read_and_write_back_unchanged() {
    round_trips::<Payment>();
}

#[test]
fn stored_short_links_read_and_write_back_unchanged() {
    round_trips::<ShortLink>();
}

#[test]
fn stored_payment_methods_read_and_write_back_unchanged() {
    round_trips::<SavedMethod>();
}

#[test]
fn stored_webhook_endpoints_read_and_write_back_unchanged() {
    round_trips::<WebhookEndpoint>();
}

#[test]
fn every_record_table_has_golden_bodies() {
    for table in Table::ALL {
        assert!(!bodies(*table).is_empty());
    }
}
