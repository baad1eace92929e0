//! Conformance: counted uses (a discount's `times_used` against its
//! `usage_limit`) — up to the limit and no further, given back, and never
//! lost to a write read before them.

use kassa_core::discount::{Discount, DiscountType};

use super::{base_time, conflict, discount, limited_code, tenant};
use crate::{Changes, Conflict, Filter, Guard, Records, Store, Table, Val};

fn use_of(d: &Discount) -> Changes {
    Changes::new().use_one::<Discount>(d.id.as_str(), "times_used", "usage_limit")
}

fn release_of(d: &Discount) -> Changes {
    Changes::new().release_one::<Discount>(d.id.as_str(), "times_used")
}

pub async fn counted_uses_stop_at_the_limit_and_the_body_follows_the_count<S: Store + ?Sized>(
    store: &S,
) {
    let t = tenant(store, "Counter", base_time()).await;
    let d = limited_code(&t, "THRICE", 3);
    store.insert(&t.test, &d).await.unwrap();
    let (_, v0) = store
        .get_versioned::<Discount>(&t.test, d.id.as_str())
        .await
        .unwrap()
        .unwrap();
    for n in 1..=3u32 {
        store
            .commit(&t.test, use_of(&d))
            .await
            .expect("a use is left");
        let (got, v) = store
            .get_versioned::<Discount>(&t.test, d.id.as_str())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(got.times_used, n, "the body counts use {n}");
        assert_eq!(v, v0 + u64::from(n));
        let by_column = Filter::new().eq("times_used", n);
        let listed = store
            .list::<Discount>(&t.test, &by_column, None)
            .await
            .unwrap();
        assert_eq!(listed.len(), 1, "the column counts use {n} too");
    }
    let used_up = Conflict::UsedUp {
        table: Table::Discounts,
        id: d.id.to_string(),
    };
    assert_eq!(conflict(store.commit(&t.test, use_of(&d)).await), used_up);
    let (got, v) = store
        .get_versioned::<Discount>(&t.test, d.id.as_str())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (got.times_used, v),
        (3, v0 + 3),
        "a refused use counts nothing"
    );

    let twice = limited_code(&t, "TWICE", 2);
    store.insert(&t.test, &twice).await.unwrap();
    let refused_later = use_of(&twice).guard(Guard::Fewer {
        table: Table::Discounts,
        filter: Filter::new(),
        limit: 0,
    });
    conflict(store.commit(&t.test, refused_later).await);
    let (read, version) = store
        .get_versioned::<Discount>(&t.test, twice.id.as_str())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.times_used, 0, "a use in a refused change is undone");

    store.commit(&t.test, use_of(&twice)).await.unwrap();
    let mut edited = read.clone();
    edited.name = Some("read before the use".into());
    let lost_use = Changes::new().update_from(&edited, version);
    assert_eq!(
        conflict(store.commit(&t.test, lost_use).await),
        Conflict::Changed {
            table: Table::Discounts,
            id: twice.id.to_string(),
        },
        "an update read before a use would put the old count back"
    );
    let both = use_of(&twice).then(use_of(&twice));
    assert_eq!(
        conflict(store.commit(&t.test, both).await),
        Conflict::UsedUp {
            table: Table::Discounts,
            id: twice.id.to_string(),
        },
        "two uses in one change count against one limit"
    );
    let got = store
        .get::<Discount>(&t.test, twice.id.as_str())
        .await
        .unwrap();
    assert_eq!(got.map(|d| d.times_used), Some(1));
}

pub async fn a_null_limit_never_runs_out<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Unlimited", base_time()).await;
    let d = discount(&t, "FOREVER", DiscountType::Flat, 0);
    assert_eq!(d.usage_limit, None);
    store.insert(&t.test, &d).await.unwrap();
    let uses = (0..24).map(|_| store.commit(&t.test, use_of(&d)));
    for result in futures::future::join_all(uses).await {
        result.expect("an unlimited code always has a use left");
    }
    let got = store
        .get::<Discount>(&t.test, d.id.as_str())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got.times_used, 24, "concurrent uses are each counted once");
    assert_eq!(got.usage_limit, None, "the limit stays null");
    let by_column = Filter::new()
        .eq("times_used", 24i64)
        .eq("usage_limit", Val::Null);
    let listed = store
        .list::<Discount>(&t.test, &by_column, None)
        .await
        .unwrap();
    assert!(listed.is_empty(), "equality with null never matches");
    let by_column = Filter::new()
        .eq("times_used", 24i64)
        .and(crate::Cond::Null("usage_limit"));
    let listed = store
        .list::<Discount>(&t.test, &by_column, None)
        .await
        .unwrap();
    assert_eq!(listed, vec![got]);
}

pub async fn a_released_use_is_given_back_but_never_below_zero<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Release", base_time()).await;
    let d = limited_code(&t, "ONEUSE", 1);
    store.insert(&t.test, &d).await.unwrap();
    let (scope, id) = (&t.test, d.id.as_str());
    let times_used = || async move {
        let got = store.get::<Discount>(scope, id).await.unwrap();
        got.expect("stored").times_used
    };
    store.commit(&t.test, use_of(&d)).await.unwrap();
    conflict(store.commit(&t.test, use_of(&d)).await);
    store
        .commit(&t.test, release_of(&d))
        .await
        .expect("release");
    assert_eq!(times_used().await, 0, "the use is given back");
    store
        .commit(&t.test, use_of(&d))
        .await
        .expect("a given-back use can be used again");
    assert_eq!(times_used().await, 1);

    store.commit(&t.test, release_of(&d)).await.unwrap();
    let version = || async move {
        let got = store.get_versioned::<Discount>(scope, id).await.unwrap();
        got.expect("stored").1
    };
    let before = version().await;
    store
        .commit(&t.test, release_of(&d))
        .await
        .expect("releasing at zero is no error");
    assert_eq!(times_used().await, 0, "never below zero");
    assert_eq!(
        version().await,
        before + 1,
        "a release is a write like any other"
    );
    let at_zero = Filter::new().eq("times_used", 0i64);
    let listed = store
        .list::<Discount>(&t.test, &at_zero, None)
        .await
        .unwrap();
    assert_eq!(listed.len(), 1, "the column stays at zero too");

    let ghost = limited_code(&t, "GHOST", 1);
    assert_eq!(
        conflict(store.commit(&t.test, release_of(&ghost)).await),
        Conflict::Missing {
            table: Table::Discounts,
            id: ghost.id.to_string(),
        }
    );
}
