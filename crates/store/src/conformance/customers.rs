//! Conformance: customers and their list filters.

use kassa_core::customer::{Customer, CustomerDraft, CustomerFilter};
use kassa_core::id::CustomerId;
use kassa_core::metadata::Metadata;
use time::Duration;

use super::{base_time, page, tenant};
use crate::Store;

pub async fn customers_filter_by_email_name_and_creation_time<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "People", base_time()).await;
    let make = |email: &str, name: &str, minutes: i64| {
        let draft = CustomerDraft {
            email: email.to_owned(),
            name: name.to_owned(),
            phone_number: None,
            metadata: Metadata::default(),
        };
        let at = base_time() + Duration::minutes(minutes);
        Customer::create(CustomerId::generate(), t.business.id.clone(), draft, at).unwrap()
    };
    let ada = make("Ada@Example.com", "Ada Lovelace", 0);
    let alan = make("alan@example.com", "Alan 100% Turing", 10);
    let grace = make("grace@example.com", "Grace Hopper", 20);
    for c in [&ada, &alan, &grace] {
        store.insert_customer(&t.test, c).await.expect("insert");
    }
    let scope = &t.test;
    let emails = |filter: CustomerFilter| async move {
        let listed = store
            .list_customers(scope, &filter, page(0, 100))
            .await
            .expect("list");
        listed.into_iter().map(|c| c.email).collect::<Vec<_>>()
    };

    assert_eq!(
        emails(CustomerFilter::default()).await,
        vec!["grace@example.com", "alan@example.com", "Ada@Example.com"],
        "newest first"
    );
    let by_email = CustomerFilter {
        email: Some("ada@example.COM".to_owned()),
        ..CustomerFilter::default()
    };
    assert_eq!(emails(by_email).await, vec!["Ada@Example.com"]);
    let partial_email = CustomerFilter {
        email: Some("example.com".to_owned()),
        ..CustomerFilter::default()
    };
    assert!(
        emails(partial_email).await.is_empty(),
        "email matches whole"
    );
    let by_name = CustomerFilter {
        name: Some("HOPP".to_owned()),
        ..CustomerFilter::default()
    };
    assert_eq!(emails(by_name).await, vec!["grace@example.com"]);
    let literal_percent = CustomerFilter {
        name: Some("100%".to_owned()),
        ..CustomerFilter::default()
    };
    assert_eq!(emails(literal_percent).await, vec!["alan@example.com"]);
    let wildcard_is_literal = CustomerFilter {
        name: Some("%".to_owned()),
        ..CustomerFilter::default()
    };
    assert_eq!(emails(wildcard_is_literal).await, vec!["alan@example.com"]);
    let window = CustomerFilter {
        created_at_gte: Some(alan.created_at),
        created_at_lte: Some(alan.created_at),
        ..CustomerFilter::default()
    };
    assert_eq!(
        emails(window).await,
        vec!["alan@example.com"],
        "bounds inclusive"
    );

    let mut renamed = ada.clone();
    renamed.email = "ada@lovelace.org".to_owned();
    store
        .update_customer(&t.test, &renamed)
        .await
        .expect("update");
    let by_new_email = CustomerFilter {
        email: Some("ADA@lovelace.org".to_owned()),
        ..CustomerFilter::default()
    };
    assert_eq!(emails(by_new_email).await, vec!["ada@lovelace.org"]);
    assert_eq!(
        store.get_customer(&t.test, &ada.id).await.unwrap(),
        Some(renamed)
    );
}
