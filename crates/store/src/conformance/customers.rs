//! Conformance: customers and their list filters.

use kassa_core::customer::{Customer, CustomerFilter};
use time::Duration;

use super::{base_time, customer, page, tenant};
use crate::{Records, Store, filters};

pub async fn customers_filter_by_email_name_and_creation_time<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "People", base_time()).await;
    let at = |minutes| base_time() + Duration::minutes(minutes);
    let ada = customer(&t, "Ada@Example.com", "Ada Lovelace", at(0));
    let alan = customer(&t, "alan@example.com", "Alan 100% Turing", at(10));
    let grace = customer(&t, "grace@example.com", "Grace Hopper", at(20));
    for c in [&ada, &alan, &grace] {
        store.insert(&t.test, c).await.expect("insert");
    }
    let scope = &t.test;
    let emails = |filter: CustomerFilter| async move {
        let listed = store
            .list::<Customer>(scope, &filters::customers(&filter), Some(page(0, 100)))
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
        email: Some(" ada@example.COM ".to_owned()),
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
    let open_ended = CustomerFilter {
        created_at_gte: Some(alan.created_at),
        ..CustomerFilter::default()
    };
    assert_eq!(
        emails(open_ended).await,
        vec!["grace@example.com", "alan@example.com"]
    );

    let mut renamed = ada.clone();
    renamed.email = "ada@lovelace.org".to_owned();
    store.update(&t.test, &renamed).await.expect("update");
    let by_new_email = CustomerFilter {
        email: Some("ADA@lovelace.org".to_owned()),
        ..CustomerFilter::default()
    };
    assert_eq!(emails(by_new_email).await, vec!["ada@lovelace.org"]);
    let by_old_email = CustomerFilter {
        email: Some("ada@example.com".to_owned()),
        ..CustomerFilter::default()
    };
    assert!(
        emails(by_old_email).await.is_empty(),
        "the column followed the update"
    );
    let got = store
        .get::<Customer>(&t.test, ada.id.as_str())
        .await
        .unwrap();
    assert_eq!(got, Some(renamed));
}
