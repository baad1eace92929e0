//! Conformance: brands — the primary one, oldest-first lists, and an
//! archive that moves the brand's products in the same change.

use kassa_core::catalog::{Brand, BrandDraft, Product};
use kassa_core::id::BrandId;
use kassa_core::tenancy::Scope;
use time::{Duration, OffsetDateTime};

use super::{base_time, conflict, one_time, product, tenant};
use crate::{Changes, Conflict, Filter, Records, Store, StoreResult, Table};

/// Archives `brand` and moves its products to `to`, guarded by every
/// version read, as the app does it; `meanwhile` is written between the
/// reads and the commit.
async fn archive<S: Store + ?Sized>(
    store: &S,
    scope: &Scope,
    brand: &BrandId,
    to: &BrandId,
    at: OffsetDateTime,
    meanwhile: Option<&Product>,
) -> StoreResult<usize> {
    let (mut b, version) = store
        .get_versioned::<Brand>(scope, brand.as_str())
        .await?
        .expect("the brand exists");
    b.archived_at = Some(at);
    let on_brand = Filter::new().eq("brand_id", brand.as_str());
    let products = store
        .list_versioned::<Product>(scope, &on_brand, None)
        .await?;
    let mut change = Changes::new().update_from(&b, version);
    for (mut p, version) in products.iter().cloned() {
        p.brand = to.clone();
        change = change.update_from(&p, version);
    }
    if let Some(edit) = meanwhile {
        store
            .update(scope, edit)
            .await
            .expect("the concurrent edit");
    }
    store.commit(scope, change).await?;
    Ok(products.len())
}

pub async fn brands_list_primary_first_and_archiving_moves_products<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Brands", base_time()).await;
    let s = &t.test;
    let primary = Filter::new().eq("is_primary", true);
    let found = store.first::<Brand>(s, &primary).await.expect("primary");
    assert_eq!(found, Some(t.test_brand.clone()));

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
    store.insert(s, &side).await.expect("insert brand");
    let mut p = product(&t, "On side brand", one_time(100), base_time());
    p.brand = side.id.clone();
    let mut q = product(&t, "Also on side brand", one_time(200), base_time());
    q.brand = side.id.clone();
    let stays = product(&t, "On primary brand", one_time(300), base_time());
    for x in [&p, &q, &stays] {
        store.insert(s, x).await.expect("insert");
    }
    // Read it once first, so a backend that keeps reads must let go of it.
    let before = store.get_product(s, &p.id).await.unwrap().unwrap();
    assert_eq!(before.brand, side.id);

    let active = Filter::new().oldest_first().eq("archived", false);
    let listed = store.list::<Brand>(s, &active, None).await.expect("list");
    assert_eq!(
        listed,
        vec![t.test_brand.clone(), side.clone()],
        "oldest first"
    );

    // An edit of one product between the reads and the commit refuses the
    // whole archive: the brand stays, and so do the products.
    let at = base_time() + Duration::minutes(3);
    let mut edited = q.clone();
    edited.name = "Edited meanwhile".into();
    let racing = archive(store, s, &side.id, &t.test_brand.id, at, Some(&edited)).await;
    assert_eq!(
        conflict(racing),
        Conflict::Changed {
            table: Table::Products,
            id: q.id.to_string(),
        }
    );
    let still = store.get::<Brand>(s, side.id.as_str()).await.unwrap();
    assert_eq!(still.unwrap().archived_at, None, "not archived");
    let unmoved = store.get_product(s, &p.id).await.unwrap().unwrap();
    assert_eq!(unmoved.brand, side.id, "no product moved");

    let moved = archive(store, s, &side.id, &t.test_brand.id, at, None)
        .await
        .expect("archive");
    assert_eq!(moved, 2, "the side brand's two products moved");
    for id in [&p.id, &q.id, &stays.id] {
        let got = store.get_product(s, id).await.unwrap().unwrap();
        assert_eq!(got.brand, t.test_brand.id);
    }
    let edited_kept = store
        .get::<Product>(s, q.id.as_str())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        edited_kept.name, "Edited meanwhile",
        "the racing edit was kept"
    );

    let listed = store.list::<Brand>(s, &active, None).await.expect("list");
    assert_eq!(listed, vec![t.test_brand.clone()]);
    let all = store
        .list::<Brand>(s, &Filter::new().oldest_first(), None)
        .await;
    assert_eq!(all.unwrap().len(), 2);
    let archived = store
        .get::<Brand>(s, side.id.as_str())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(archived.archived_at, Some(at));
    let on_side = Filter::new().eq("brand_id", side.id.as_str());
    let left = store.list::<Product>(s, &on_side, None).await.unwrap();
    assert!(left.is_empty(), "no product is left on the archived brand");
    let live = store
        .list::<Brand>(&t.live, &Filter::new(), None)
        .await
        .expect("list");
    assert_eq!(live.len(), 1, "live mode has its own primary brand only");
    assert!(live[0].primary);
}
