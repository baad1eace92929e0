//! Conformance: products and addons — round trips, ordering, paging, filters.

use std::collections::HashSet;

use kassa_core::catalog::{Addon, AddonDraft, ProductFilter, TaxCategory};
use kassa_core::id::AddonId;
use kassa_core::money::{Amount, Currency};
use time::Duration;

use super::{base_time, monthly, one_time, page, product, tenant};
use crate::Store;

pub async fn products_round_trip_and_updates_replace_them<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Shop", base_time()).await;
    let mut p = product(&t, "Ebook", one_time(1999), base_time());
    store.insert_product(&t.test, &p).await.expect("insert");
    assert_eq!(
        store.get_product(&t.test, &p.id).await.unwrap(),
        Some(p.clone())
    );

    p.name = "Ebook, second edition".to_owned();
    p.price = monthly(250);
    p.archived = true;
    p.updated_at = base_time() + Duration::seconds(5);
    store.update_product(&t.test, &p).await.expect("update");
    assert_eq!(
        store.get_product(&t.test, &p.id).await.unwrap(),
        Some(p.clone()),
        "the update replaced every field"
    );
}

pub async fn a_product_is_found_by_id_alone_with_its_scope<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Static", base_time()).await;
    let p = product(&t, "Linked", one_time(500), base_time());
    store.insert_product(&t.live, &p).await.expect("insert");
    let (scope, found) = store.find_product(&p.id).await.unwrap().expect("found");
    assert_eq!(
        scope, t.live,
        "the scope it was stored in, live mode included"
    );
    assert_eq!(found, p);
    let unknown = kassa_core::id::ProductId::generate();
    assert_eq!(store.find_product(&unknown).await.unwrap(), None);
}

pub async fn lists_are_newest_first_and_paged_without_overlap<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Many", base_time()).await;
    let mut expected = Vec::new();
    for i in 0..25 {
        // Pairs share a timestamp so the id tie-break is exercised.
        let at = base_time() + Duration::seconds(i / 2);
        let p = product(&t, &format!("P{i}"), one_time(100 + i), at);
        store.insert_product(&t.test, &p).await.expect("insert");
        expected.push(p);
    }
    expected.sort_by(|a, b| (b.created_at, &b.id).cmp(&(a.created_at, &a.id)));

    let mut seen = Vec::new();
    for number in 0..4 {
        let got = store
            .list_products(&t.test, &ProductFilter::default(), page(number, 10))
            .await
            .expect("list");
        let want = match number {
            0 | 1 => 10,
            2 => 5,
            _ => 0,
        };
        assert_eq!(got.len(), want, "page {number} size");
        seen.extend(got);
    }
    let seen_ids: Vec<_> = seen.iter().map(|p| p.id.clone()).collect();
    let want_ids: Vec<_> = expected.iter().map(|p| p.id.clone()).collect();
    assert_eq!(
        seen_ids, want_ids,
        "newest first, then id descending, no overlap"
    );
}

pub async fn product_lists_filter_by_archived_recurring_and_brand<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Filters", base_time()).await;
    let once = product(&t, "Once", one_time(100), base_time());
    let sub = product(&t, "Sub", monthly(100), base_time());
    let mut old = product(&t, "Old", one_time(100), base_time());
    old.archived = true;
    for p in [&once, &sub, &old] {
        store.insert_product(&t.test, p).await.expect("insert");
    }
    let scope = &t.test;
    let names = |filter: ProductFilter| async move {
        let listed = store
            .list_products(scope, &filter, page(0, 100))
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
        brand: Some(kassa_core::id::BrandId::generate()),
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
    store.insert_addon(&t.test, &kept).await.expect("insert");
    store.insert_addon(&t.test, &gone).await.expect("insert");
    assert_eq!(
        store.get_addon(&t.test, &gone.id).await.unwrap(),
        Some(gone.clone())
    );

    gone.archived = true;
    store.update_addon(&t.test, &gone).await.expect("update");
    let listed = store.list_addons(&t.test, page(0, 10)).await.expect("list");
    assert_eq!(listed, vec![kept]);
    let still = store.get_addon(&t.test, &gone.id).await.unwrap();
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
    let writes = products.iter().map(|p| store.insert_product(&t.test, p));
    for result in futures::future::join_all(writes).await {
        result.expect("concurrent insert");
    }
    let listed = store
        .list_products(&t.test, &ProductFilter::default(), page(0, 100))
        .await
        .expect("list");
    assert_eq!(listed.len(), 64, "every concurrent write was committed");
}

pub async fn reads_racing_an_update_never_outlive_it<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Racing", base_time()).await;
    let mut p = product(&t, "Edition 0", one_time(100), base_time());
    store.insert_product(&t.test, &p).await.expect("insert");
    for round in 1..=20 {
        p.name = format!("Edition {round}");
        let reads = futures::future::join_all((0..8).map(|_| store.get_product(&t.test, &p.id)));
        let (updated, read) = futures::join!(store.update_product(&t.test, &p), reads);
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
