//! Conformance: discount codes — unique among the scope's live codes, freed
//! by a (soft) delete, and the list filters.

use kassa_core::discount::{Discount, DiscountFilter, DiscountType};
use kassa_core::id::ProductId;
use time::Duration;

use super::{base_time, conflict, discount, tenant};
use crate::{Changes, Conflict, Records, Store, Table, filters};

pub async fn discount_codes_are_unique_per_scope_until_deleted<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Codes", base_time()).await;
    let s = &t.test;
    let first = discount(&t, "SUMMER", DiscountType::Percentage, 0);
    store.insert(s, &first).await.expect("insert");
    let found = store
        .first::<Discount>(s, &filters::discount_code("SUMMER"))
        .await;
    assert_eq!(found.unwrap(), Some(first.clone()));

    let taken = Conflict::Taken {
        table: Table::Discounts,
    };
    let twin = discount(&t, "SUMMER", DiscountType::Flat, 1);
    assert_eq!(conflict(store.insert(s, &twin).await), taken);
    assert_eq!(
        store.get::<Discount>(s, twin.id.as_str()).await.unwrap(),
        None
    );
    store
        .insert(&t.live, &twin)
        .await
        .expect("the same code is free in the other mode");

    let mut other = discount(&t, "WINTER", DiscountType::Flat, 2);
    store.insert(s, &other).await.expect("insert");
    other.code = "SUMMER".to_owned();
    assert_eq!(
        conflict(store.update(s, &other).await),
        taken,
        "an update too"
    );

    // A delete keeps the row (its uses are history) and frees the code.
    let (mut deleted, version) = store
        .get_versioned::<Discount>(s, first.id.as_str())
        .await
        .unwrap()
        .unwrap();
    deleted.deleted_at = Some(base_time() + Duration::hours(1));
    store
        .commit(s, Changes::new().update_from(&deleted, version))
        .await
        .expect("delete");
    let kept = store.get::<Discount>(s, first.id.as_str()).await.unwrap();
    assert_eq!(
        kept,
        Some(deleted.clone()),
        "kept, with when it was deleted"
    );
    let by_code = store
        .first::<Discount>(s, &filters::discount_code("SUMMER"))
        .await;
    assert_eq!(by_code.unwrap(), None, "never found by its code");
    let live = store
        .list::<Discount>(s, &filters::live_discounts(), None)
        .await;
    let live_ids: Vec<_> = live.unwrap().into_iter().map(|d| d.id).collect();
    assert_eq!(live_ids, vec![other.id.clone()], "nor listed");
    let again = Changes::new().update_from(&deleted, version);
    assert_eq!(
        conflict(store.commit(s, again).await),
        Conflict::Changed {
            table: Table::Discounts,
            id: first.id.to_string(),
        },
        "a second delete from the same read is refused"
    );

    store
        .update(s, &other)
        .await
        .expect("a deleted code is free again");
    let found = store
        .first::<Discount>(s, &filters::discount_code("SUMMER"))
        .await;
    assert_eq!(found.unwrap(), Some(other));
}

pub async fn discount_lists_filter_by_code_type_activity_and_product<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Lists", base_time()).await;
    let now = base_time() + Duration::days(1);
    let product = ProductId::generate();

    let plain = discount(&t, "PLAIN10", DiscountType::Percentage, 0);
    let mut flat = discount(&t, "FLATFIVE", DiscountType::Flat, 1);
    flat.restricted_to = vec![product.clone()];
    let mut expired = discount(&t, "OLDPLAIN", DiscountType::Percentage, 2);
    expired.expires_at = Some(now - Duration::hours(1));
    let mut future = discount(&t, "SOON", DiscountType::Percentage, 3);
    future.starts_at = Some(now + Duration::hours(1));
    let mut used_up = discount(&t, "USEDUP", DiscountType::Flat, 4);
    used_up.usage_limit = Some(2);
    used_up.times_used = 2;
    let mut elsewhere = discount(&t, "ELSEWHERE", DiscountType::Flat, 5);
    elsewhere.restricted_to = vec![ProductId::generate()];
    let mut gone = discount(&t, "GONEPLAIN", DiscountType::Percentage, 6);
    gone.deleted_at = Some(now - Duration::days(2));
    for d in [
        &plain, &flat, &expired, &future, &used_up, &elsewhere, &gone,
    ] {
        store.insert(&t.test, d).await.expect("insert");
    }
    let scope = &t.test;
    let codes = |filter: DiscountFilter| async move {
        let listed = store
            .list::<Discount>(scope, &filters::discounts(&filter), None)
            .await
            .expect("list");
        let mut codes: Vec<_> = listed.into_iter().map(|d| d.code).collect();
        codes.sort();
        codes
    };

    assert_eq!(
        codes(DiscountFilter::default()).await,
        vec![
            "ELSEWHERE",
            "FLATFIVE",
            "OLDPLAIN",
            "PLAIN10",
            "SOON",
            "USEDUP"
        ],
        "every live code, none deleted"
    );
    let by_code = DiscountFilter {
        code: Some(" plain ".to_owned()),
        ..DiscountFilter::default()
    };
    assert_eq!(codes(by_code).await, vec!["OLDPLAIN", "PLAIN10"]);
    let flat_only = DiscountFilter {
        discount_type: Some(DiscountType::Flat),
        ..DiscountFilter::default()
    };
    assert_eq!(
        codes(flat_only).await,
        vec!["ELSEWHERE", "FLATFIVE", "USEDUP"]
    );
    let active = DiscountFilter {
        active: Some((true, now)),
        ..DiscountFilter::default()
    };
    assert_eq!(
        codes(active).await,
        vec!["ELSEWHERE", "FLATFIVE", "PLAIN10"]
    );
    let inactive = DiscountFilter {
        active: Some((false, now)),
        ..DiscountFilter::default()
    };
    assert_eq!(codes(inactive).await, vec!["OLDPLAIN", "SOON", "USEDUP"]);
    let for_product = DiscountFilter {
        product: Some(product),
        ..DiscountFilter::default()
    };
    assert_eq!(
        codes(for_product).await,
        vec!["FLATFIVE", "OLDPLAIN", "PLAIN10", "SOON", "USEDUP"],
        "restricted to the product, or unrestricted"
    );
}
