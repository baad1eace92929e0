//! Conformance: short links — one slug namespace, found by slug alone.

use kassa_core::id::ProductId;
use kassa_core::link::{ShortLink, Slug};
use time::Duration;

use super::{base_time, conflict, page, tenant};
use crate::{Conflict, Records, Store, Table, filters};

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
    store.insert(&a.test, &link).await.expect("insert");
    let found = store.find::<ShortLink>(slug.as_str()).await.unwrap();
    assert_eq!(found, Some((a.test.clone(), link.clone())));

    let theirs = ShortLink {
        business: b.business.id.clone(),
        ..link.clone()
    };
    assert_eq!(
        conflict(store.insert(&b.test, &theirs).await),
        Conflict::Exists {
            table: Table::ShortLinks,
            id: slug.as_str().to_owned(),
        },
        "a slug taken by one business is taken for all"
    );
    let found = store.find::<ShortLink>(slug.as_str()).await.unwrap();
    assert_eq!(
        found,
        Some((a.test.clone(), link.clone())),
        "and stays theirs"
    );

    let session_link = ShortLink {
        slug: Slug::mint(),
        product: None,
        target: "/session/cks_000000000000000000000".into(),
        created_at: base_time() + Duration::seconds(1),
        ..link.clone()
    };
    store.insert(&a.test, &session_link).await.unwrap();
    let other_product = ShortLink {
        slug: Slug::mint(),
        product: Some(ProductId::generate()),
        created_at: base_time() + Duration::seconds(2),
        ..link.clone()
    };
    store.insert(&a.test, &other_product).await.unwrap();
    let all = store
        .list::<ShortLink>(&a.test, &filters::product_links(None), Some(page(0, 10)))
        .await
        .unwrap();
    assert_eq!(all, vec![other_product, link.clone()], "product links only");
    let for_product = store
        .list::<ShortLink>(&a.test, &filters::product_links(Some(&product)), None)
        .await
        .unwrap();
    assert_eq!(for_product, vec![link]);
    let live = store
        .list::<ShortLink>(&a.live, &filters::product_links(None), None)
        .await
        .unwrap();
    assert!(live.is_empty());
    let unknown = Slug::mint();
    assert_eq!(
        store.find::<ShortLink>(unknown.as_str()).await.unwrap(),
        None
    );
}
