//! Conformance: `get_product`, the read a backend may serve from memory,
//! says what `get` says after every kind of write — and after a write
//! whose caller stopped waiting for it.

use futures::FutureExt;
use kassa_core::catalog::{Brand, BrandDraft, Product};
use kassa_core::id::{BrandId, ProductId};
use kassa_core::tenancy::Scope;

use super::{base_time, conflict, customer, monthly, one_time, product, tenant};
use crate::{Changes, Conflict, Records, Store, Table};

/// `get_product` and `get` agree; returns what they read.
async fn agreed<S: Store + ?Sized>(
    store: &S,
    scope: &Scope,
    id: &ProductId,
    when: &str,
) -> Option<Product> {
    let fast = store.get_product(scope, id).await.unwrap();
    let plain = store.get::<Product>(scope, id.as_str()).await.unwrap();
    assert_eq!(fast, plain, "get_product agrees with get {when}");
    fast
}

pub async fn get_product_agrees_with_get_after_every_kind_of_write<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Cached", base_time()).await;
    let other = tenant(store, "Other", base_time()).await;
    let s = &t.test;
    let mut p = product(&t, "Original", one_time(100), base_time());
    store.insert(s, &p).await.unwrap();
    assert_eq!(
        agreed(store, s, &p.id, "after the insert").await,
        Some(p.clone())
    );

    p.name = "Updated".into();
    store.update(s, &p).await.unwrap();
    assert_eq!(
        agreed(store, s, &p.id, "after an update").await,
        Some(p.clone())
    );

    let (_, version) = store
        .get_versioned::<Product>(s, p.id.as_str())
        .await
        .unwrap()
        .unwrap();
    let side = Brand::create(
        BrandId::generate(),
        t.business.id.clone(),
        BrandDraft {
            name: Some("Side".into()),
            ..BrandDraft::default()
        },
        false,
        base_time(),
    )
    .unwrap();
    p.brand = side.id.clone();
    p.price = monthly(900);
    let buyer = customer(&t, "c@example.com", "C", base_time());
    let change = Changes::new()
        .insert(&side)
        .update_from(&p, version)
        .insert(&buyer);
    store.commit(s, change).await.unwrap();
    assert_eq!(
        agreed(store, s, &p.id, "after a guarded update among other writes").await,
        Some(p.clone())
    );

    let mut stale = p.clone();
    stale.name = "Never".into();
    let refused = Changes::new().update_from(&stale, version);
    assert_eq!(
        conflict(store.commit(s, refused).await),
        Conflict::Changed {
            table: Table::Products,
            id: p.id.to_string(),
        }
    );
    assert_eq!(
        agreed(store, s, &p.id, "after a refused update").await,
        Some(p.clone())
    );

    for scope in [&t.live, &other.test, &other.live] {
        assert_eq!(agreed(store, scope, &p.id, "in another scope").await, None);
    }

    store
        .commit(s, Changes::new().delete::<Product>(p.id.as_str()))
        .await
        .unwrap();
    assert_eq!(agreed(store, s, &p.id, "after a delete").await, None);

    let mut again = product(&t, "Same id, new product", one_time(300), base_time());
    again.id = p.id.clone();
    store.insert(s, &again).await.unwrap();
    assert_eq!(
        agreed(store, s, &p.id, "after a new insert").await,
        Some(again)
    );
}

pub async fn an_update_whose_caller_stopped_waiting_still_reaches_get_product<S: Store + ?Sized>(
    store: &S,
) {
    let t = tenant(store, "Abandoned", base_time()).await;
    let s = &t.test;
    let mut p = product(&t, "Before", one_time(100), base_time());
    store.insert(s, &p).await.unwrap();
    assert_eq!(store.get_product(s, &p.id).await.unwrap(), Some(p.clone()));

    // A request dropped mid-write (a client that hung up) polls the
    // commit once and never again.
    p.name = "After".into();
    let _ = store.update(s, &p).now_or_never();
    for _ in 0..300 {
        let stored = store.get::<Product>(s, p.id.as_str()).await.unwrap();
        if stored.is_some_and(|stored| stored.name == p.name) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    // Whether or not the backend went on with it, both reads agree, and
    // keep agreeing.
    agreed(store, s, &p.id, "after an abandoned update").await;
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    agreed(store, s, &p.id, "a while after an abandoned update").await;
}
