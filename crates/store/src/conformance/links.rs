//! Conformance: short links — one slug namespace, found by slug alone.

use kassa_core::id::ProductId;
use kassa_core::link::{ShortLink, Slug};
use time::Duration;

use super::{base_time, page, tenant};
use crate::{Store, StoreError};

pub async fn short_link_slugs_are_unique_across_businesses_and_found_alone<S: Store + ?Sized>(
    store: &S,
) {
    let a = tenant(store, "Links A", base_time()).await;
    let b = tenant(store, "Links B", base_time()).await;
    let product = ProductId::generate();
    let slug = Slug::parse("slug", &format!("sale-{}", Slug::mint().as_str())).unwrap();
    let link = ShortLink {
        slug: slug.clone(),
        business: a.business.id.clone(),
        product: Some(product.clone()),
        target: format!("/buy/{product}?quantity=2"),
        created_at: base_time(),
    };
    store
        .insert_short_link(&a.test, &link)
        .await
        .expect("insert");
    let (scope, found) = store.find_short_link(&slug).await.unwrap().expect("found");
    assert_eq!((scope, found), (a.test.clone(), link.clone()));

    let theirs = ShortLink {
        business: b.business.id.clone(),
        ..link.clone()
    };
    let err = store.insert_short_link(&b.test, &theirs).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict { what: "short link" }),
        "{err:?}"
    );

    let session_link = ShortLink {
        slug: Slug::mint(),
        product: None,
        target: "/session/cks_000000000000000000000".into(),
        created_at: base_time() + Duration::seconds(1),
        ..link.clone()
    };
    store
        .insert_short_link(&a.test, &session_link)
        .await
        .unwrap();
    let all = store
        .list_short_links(&a.test, None, page(0, 10))
        .await
        .unwrap();
    assert_eq!(all, vec![link.clone()], "product links only");
    let for_product = store
        .list_short_links(&a.test, Some(&product), page(0, 10))
        .await
        .unwrap();
    assert_eq!(for_product, vec![link]);
    assert!(
        store
            .list_short_links(&a.live, None, page(0, 10))
            .await
            .unwrap()
            .is_empty()
    );
    let unknown = Slug::mint();
    assert_eq!(store.find_short_link(&unknown).await.unwrap(), None);
}
