//! Conformance: products and addons — round trips, filters, concurrency.

use std::collections::HashSet;

use kassa_core::catalog::{Addon, AddonDraft, Product, ProductFilter, TaxCategory};
use kassa_core::id::{AddonId, BrandId, ProductId};
use kassa_core::money::{Amount, Currency};
use time::Duration;

use super::{base_time, monthly, one_time, product, tenant};
use crate::{Filter, Records, Store, filters};

pub async fn products_round_trip_and_updates_replace_them<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Shop", base_time()).await;
    let mut p = product(&t, "Ebook", one_time(1999), base_time());
    store.insert(&t.test, &p).await.expect("insert");
    let got = store.get::<Product>(&t.test, p.id.as_str()).await.unwrap();
    assert_eq!(got, Some(p.clone()));
    assert_eq!(
        store.get_product(&t.test, &p.id).await.unwrap(),
        Some(p.clone())
    );

    p.name = "Ebook, second edition".to_owned();
    p.price = monthly(250);
    p.archived = true;
    p.updated_at = base_time() + Duration::seconds(5);
    store.update(&t.test, &p).await.expect("update");
    let got = store.get::<Product>(&t.test, p.id.as_str()).await.unwrap();
    assert_eq!(got, Some(p.clone()), "the update replaced every field");
    let active = filters::products(&ProductFilter::default());
    let listed = store.list::<Product>(&t.test, &active, None).await.unwrap();
    assert!(listed.is_empty(), "and every column: it is archived now");
    let recurring = Filter::new().eq("is_recurring", true).eq("archived", true);
    let listed = store
        .list::<Product>(&t.test, &recurring, None)
        .await
        .unwrap();
    assert_eq!(listed, vec![p]);
}

pub async fn a_product_is_found_by_id_alone_with_its_scope<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Static", base_time()).await;
    let p = product(&t, "Linked", one_time(500), base_time());
    store.insert(&t.live, &p).await.expect("insert");
    let (scope, found) = store
        .find::<Product>(p.id.as_str())
        .await
        .unwrap()
        .expect("found");
    assert_eq!(
        scope, t.live,
        "the scope it was stored in, live mode included"
    );
    assert_eq!(found, p);
    let unknown = ProductId::generate();
    assert_eq!(store.find::<Product>(unknown.as_str()).await.unwrap(), None);
}

pub async fn product_lists_filter_by_archived_recurring_and_brand<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Filters", base_time()).await;
    let once = product(&t, "Once", one_time(100), base_time());
    let sub = product(&t, "Sub", monthly(100), base_time());
    let mut old = product(&t, "Old", one_time(100), base_time());
    old.archived = true;
    for p in [&once, &sub, &old] {
        store.insert(&t.test, p).await.expect("insert");
    }
    let scope = &t.test;
    let names = |filter: ProductFilter| async move {
        let listed = store
            .list::<Product>(scope, &filters::products(&filter), None)
            .await
            .expect("list");
        listed.into_iter().map(|p| p.name).collect::<HashSet<_>>()
    };
    let set = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<HashSet<_>>();

    assert_eq!(names(ProductFilter::default()).await, set(&["Once", "Sub"]));
    let archived = ProductFilter {
        archived: Some(true),
        ..ProductFilter::default()
    };
    assert_eq!(names(archived).await, set(&["Old"]));
    let not_archived = ProductFilter {
        archived: Some(false),
        ..ProductFilter::default()
    };
    assert_eq!(names(not_archived).await, set(&["Once", "Sub"]));
    let recurring = ProductFilter {
        recurring: Some(true),
        ..ProductFilter::default()
    };
    assert_eq!(names(recurring).await, set(&["Sub"]));
    let one_time_only = ProductFilter {
        recurring: Some(false),
        ..ProductFilter::default()
    };
    assert_eq!(names(one_time_only).await, set(&["Once"]));
    let own_brand = ProductFilter {
        brand: Some(t.test_brand.id.clone()),
        ..ProductFilter::default()
    };
    assert_eq!(names(own_brand).await, set(&["Once", "Sub"]));
    let other_brand = ProductFilter {
        brand: Some(BrandId::generate()),
        ..ProductFilter::default()
    };
    assert!(names(other_brand).await.is_empty());
}

pub async fn archived_addons_are_not_listed<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Addons", base_time()).await;
    let addon = |name: &str| {
        let draft = AddonDraft {
            name: name.to_owned(),
            description: None,
            price: Amount::new("price", 300).unwrap(),
            currency: Currency::JPY,
            tax_category: TaxCategory::DigitalProducts,
        };
        Addon::create(
            AddonId::generate(),
            t.business.id.clone(),
            draft,
            base_time(),
        )
        .unwrap()
    };
    let kept = addon("Stickers");
    let mut gone = addon("Poster");
    store.insert(&t.test, &kept).await.expect("insert");
    store.insert(&t.test, &gone).await.expect("insert");
    let got = store.get::<Addon>(&t.test, gone.id.as_str()).await.unwrap();
    assert_eq!(got, Some(gone.clone()));

    gone.archived = true;
    store.update(&t.test, &gone).await.expect("update");
    let listed = store
        .list::<Addon>(&t.test, &filters::active_addons(), None)
        .await
        .expect("list");
    assert_eq!(listed, vec![kept]);
    let still = store.get::<Addon>(&t.test, gone.id.as_str()).await.unwrap();
    assert_eq!(
        still,
        Some(gone),
        "an archived addon can still be retrieved"
    );
}

pub async fn concurrent_writes_all_land<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Busy", base_time()).await;
    let products: Vec<_> = (0..64)
        .map(|i| product(&t, &format!("C{i}"), one_time(i + 1), base_time()))
        .collect();
    let writes = products.iter().map(|p| store.insert(&t.test, p));
    for result in futures::future::join_all(writes).await {
        result.expect("concurrent insert");
    }
    let scope = &t.test;
    let updates = products.iter().map(|p| {
        let mut renamed = p.clone();
        renamed.name = format!("{} renamed", p.name);
        async move { store.update(scope, &renamed).await }
    });
    for result in futures::future::join_all(updates).await {
        result.expect("concurrent update");
    }
    let listed = store
        .list::<Product>(&t.test, &Filter::new(), None)
        .await
        .expect("list");
    assert_eq!(listed.len(), 64, "every concurrent write was committed");
    assert!(
        listed.iter().all(|p| p.name.ends_with(" renamed")),
        "and every concurrent update"
    );
}

pub async fn reads_racing_an_update_never_outlive_it<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Racing", base_time()).await;
    let mut p = product(&t, "Edition 0", one_time(100), base_time());
    store.insert(&t.test, &p).await.expect("insert");
    for round in 1..=20 {
        p.name = format!("Edition {round}");
        let reads = futures::future::join_all((0..8).map(|_| store.get_product(&t.test, &p.id)));
        let (updated, read) = futures::join!(store.update(&t.test, &p), reads);
        updated.expect("update");
        for r in read {
            let seen = r.expect("read").expect("found");
            assert!(seen.name == p.name || seen.name == format!("Edition {}", round - 1));
        }
        let after = store.get_product(&t.test, &p.id).await.unwrap().unwrap();
        assert_eq!(
            after.name, p.name,
            "round {round}: a read after the update sees it"
        );
    }
}
