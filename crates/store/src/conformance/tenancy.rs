//! Conformance: businesses, API keys, scoping between businesses and modes.

use kassa_core::catalog::ProductFilter;
use kassa_core::id::{ApiKeyId, ProductId};
use kassa_core::tenancy::{ApiKey, Mode};
use time::Duration;

use super::{base_time, monthly, one_time, page, product, tenant};
use crate::{Store, StoreError};

pub async fn businesses_are_listed_oldest_first<S: Store + ?Sized>(store: &S) {
    let t0 = base_time();
    let later = tenant(store, "Later", t0 + Duration::hours(1)).await;
    let earlier = tenant(store, "Earlier", t0).await;
    let listed = store.list_businesses().await.expect("list businesses");
    let ids: Vec<_> = listed.iter().map(|b| b.id.clone()).collect();
    assert_eq!(
        ids,
        vec![earlier.business.id.clone(), later.business.id.clone()]
    );
    assert_eq!(
        listed[0], earlier.business,
        "a business round-trips unchanged"
    );
}

pub async fn api_keys_are_found_by_hash_only<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Keys", base_time()).await;
    let key = ApiKey {
        id: ApiKeyId::generate(),
        business: t.business.id.clone(),
        mode: Mode::Live,
        secret_hash: "ab".repeat(32),
        display_prefix: "sk_live_abcd".to_owned(),
        created_at: base_time(),
    };
    store.insert_api_key(&key).await.expect("insert key");
    let found = store
        .find_api_key(&key.secret_hash)
        .await
        .expect("find key");
    assert_eq!(found, Some(key.clone()));
    assert_eq!(found.unwrap().scope(), t.live);
    let missing = store
        .find_api_key(&"cd".repeat(32))
        .await
        .expect("find key");
    assert_eq!(missing, None, "an unknown hash finds no key");
}

pub async fn updating_a_missing_object_is_not_found<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Missing", base_time()).await;
    let ghost = product(&t, "Ghost", one_time(100), base_time());
    let err = store.update_product(&t.test, &ghost).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound), "got {err:?}");
    let missing = store
        .get_product(&t.test, &ProductId::generate())
        .await
        .expect("get product");
    assert_eq!(missing, None);
}

pub async fn objects_are_invisible_outside_their_business_and_mode<S: Store + ?Sized>(store: &S) {
    let a = tenant(store, "A", base_time()).await;
    let b = tenant(store, "B", base_time()).await;
    let p = product(&a, "Only A test", monthly(500), base_time());
    store.insert_product(&a.test, &p).await.expect("insert");

    for scope in [&b.test, &a.live, &b.live] {
        let got = store.get_product(scope, &p.id).await.expect("get");
        assert_eq!(got, None, "{scope:?} must not see A's test product");
        let listed = store
            .list_products(scope, &ProductFilter::default(), page(0, 100))
            .await
            .expect("list");
        assert!(listed.is_empty(), "{scope:?} lists nothing of A's");
        let err = store.update_product(scope, &p).await.unwrap_err();
        assert!(
            matches!(err, StoreError::NotFound),
            "update from {scope:?}: {err:?}"
        );
    }
    let still = store.get_product(&a.test, &p.id).await.expect("get");
    assert_eq!(still, Some(p), "failed foreign updates changed nothing");
}

pub async fn brands_list_primary_first_and_archiving_moves_products<S: Store + ?Sized>(store: &S) {
    use kassa_core::catalog::{Brand, BrandDraft};
    use kassa_core::id::BrandId;

    let t = tenant(store, "Brands", base_time()).await;
    let primary = store.primary_brand(&t.test).await.expect("primary");
    assert_eq!(primary, Some(t.test_brand.clone()));

    let side = Brand::create(
        BrandId::generate(),
        t.business.id.clone(),
        BrandDraft {
            name: Some("Side project".to_owned()),
            ..BrandDraft::default()
        },
        false,
        base_time() + Duration::seconds(1),
    )
    .expect("valid brand");
    store
        .insert_brand(&t.test, &side)
        .await
        .expect("insert brand");
    let mut p = product(&t, "On side brand", one_time(100), base_time());
    p.brand = side.id.clone();
    store.insert_product(&t.test, &p).await.expect("insert");
    // Read it once first, so a backend that keeps reads must let go of it.
    let before = store.get_product(&t.test, &p.id).await.unwrap().unwrap();
    assert_eq!(before.brand, side.id);

    let listed = store.list_brands(&t.test, false).await.expect("list");
    assert_eq!(
        listed,
        vec![t.test_brand.clone(), side.clone()],
        "oldest first"
    );

    let at = base_time() + Duration::minutes(3);
    let moved = store
        .archive_brand(&t.test, &side.id, Some(&t.test_brand.id), at)
        .await
        .expect("archive");
    assert_eq!(moved, 1, "the side brand's one product moved");
    let moved_product = store.get_product(&t.test, &p.id).await.unwrap().unwrap();
    assert_eq!(moved_product.brand, t.test_brand.id);

    let active = store.list_brands(&t.test, false).await.expect("list");
    assert_eq!(active, vec![t.test_brand.clone()]);
    let all = store.list_brands(&t.test, true).await.expect("list");
    assert_eq!(all.len(), 2);
    let archived = store.get_brand(&t.test, &side.id).await.unwrap().unwrap();
    assert_eq!(archived.archived_at, Some(at));
    let live = store.list_brands(&t.live, true).await.expect("list");
    assert_eq!(live.len(), 1, "live mode has its own primary brand only");
}
