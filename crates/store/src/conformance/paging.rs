//! Conformance: the order of lists (newest first unless asked, ties by id)
//! and their pages, with every row in exactly one of them.

use kassa_core::catalog::{Product, ProductFilter};
use kassa_core::customer::Customer;
use time::Duration;

use super::{base_time, customer, one_time, page, product, tenant};
use crate::{Changes, Filter, Records, Store, filters};

pub async fn lists_are_newest_first_and_paged_without_overlap<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Many", base_time()).await;
    let mut expected = Vec::new();
    for i in 0..25 {
        // Pairs share a timestamp so the id tie-break is exercised.
        let at = base_time() + Duration::seconds(i / 2);
        let p = product(&t, &format!("P{i}"), one_time(100 + i), at);
        store.insert(&t.test, &p).await.expect("insert");
        expected.push(p);
    }
    expected.sort_by(|a, b| (b.created_at, &b.id).cmp(&(a.created_at, &a.id)));

    let all_active = filters::products(&ProductFilter::default());
    let mut seen = Vec::new();
    for number in 0..4 {
        let got = store
            .list::<Product>(&t.test, &all_active, Some(page(number, 10)))
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
    let first = store.first::<Product>(&t.test, &all_active).await.unwrap();
    assert_eq!(first.as_ref(), expected.first(), "first is the newest");
}

pub async fn lists_run_oldest_first_on_request_and_whole_without_a_page<S: Store + ?Sized>(
    store: &S,
) {
    let t = tenant(store, "Whole", base_time()).await;
    // More than the largest page, in one change.
    let mut all: Vec<Customer> = (0..130)
        .map(|i| {
            let at = base_time() + Duration::seconds(i / 3);
            customer(&t, &format!("c{i}@example.com"), &format!("C{i}"), at)
        })
        .collect();
    let change = all.iter().fold(Changes::new(), |c, x| c.insert(x));
    store.commit(&t.test, change).await.expect("insert all");
    all.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    let ids = |list: &[Customer]| list.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
    let oldest_first = ids(&all);
    let newest_first: Vec<_> = oldest_first.iter().rev().cloned().collect();

    let listed = store.list::<Customer>(&t.test, &Filter::new(), None).await;
    assert_eq!(
        ids(&listed.unwrap()),
        newest_first,
        "all of them, newest first"
    );
    let oldest = Filter::new().oldest_first();
    let listed = store.list::<Customer>(&t.test, &oldest, None).await;
    assert_eq!(
        ids(&listed.unwrap()),
        oldest_first,
        "all of them, oldest first"
    );

    let mut paged = Vec::new();
    for number in 0..3 {
        let got = store
            .list::<Customer>(&t.test, &oldest, Some(page(number, 50)))
            .await
            .unwrap();
        assert_eq!(got.len(), [50, 50, 30][number as usize], "page {number}");
        paged.extend(got);
    }
    assert_eq!(
        ids(&paged),
        oldest_first,
        "oldest-first pages tile the list"
    );
    let beyond = store
        .list::<Customer>(&t.test, &oldest, Some(page(9, 50)))
        .await
        .unwrap();
    assert!(beyond.is_empty(), "a page past the end is empty");
    let first = store.first::<Customer>(&t.test, &oldest).await.unwrap();
    assert_eq!(first.as_ref(), all.first(), "first follows the order asked");
    let none = store
        .first::<Customer>(&t.test, &Filter::new().eq("name", "nobody"))
        .await
        .unwrap();
    assert_eq!(none, None);
}
