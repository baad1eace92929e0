//! Conformance: the conditions built of others — `Under`, `Any`, `All`,
//! `Not` — as two-valued logic (a condition on a null column is false, so
//! its negation is true), and filters naming columns a table lacks.

use kassa_core::catalog::Product;
use kassa_core::discount::Discount;

use super::conditions::{Codes, codes, four_codes};
use super::{base_time, one_time, product, tenant};
use crate::{Changes, Cmp, Cond, Filter, Guard, Records, Store, StoreError, Table, Val};

fn one(cond: Cond) -> Filter {
    Filter::new().and(cond)
}

fn code(c: &str) -> Cond {
    Cond::Eq("code", c.into())
}

fn under() -> Cond {
    Cond::Under {
        count: "times_used",
        limit: "usage_limit",
    }
}

pub async fn under_holds_below_the_limit_or_without_one<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Under", base_time()).await;
    four_codes(store, &t).await;
    let s = &t.test;
    // ALPHA and DELTA have no limit, CHARLIE used 1 of 2, BRAVO 5 of 5.
    assert_eq!(
        codes(store, s, one(under())).await,
        ["ALPHA", "CHARLIE", "DELTA"]
    );
    assert_eq!(codes(store, s, one(under().not())).await, ["BRAVO"]);
}

pub async fn any_and_all_combine_conditions_and_empty_ones_are_false_and_true<S: Store + ?Sized>(
    store: &S,
) {
    let t = tenant(store, "Any all", base_time()).await;
    let Codes { now, p2, .. } = four_codes(store, &t).await;
    let s = &t.test;
    let everything = ["ALPHA", "BRAVO", "CHARLIE", "DELTA"];
    assert!(
        codes(store, s, one(Cond::Any(vec![]))).await.is_empty(),
        "no alternative holds"
    );
    assert_eq!(codes(store, s, one(Cond::All(vec![]))).await, everything);
    let either = Cond::Any(vec![code("ALPHA"), code("BRAVO")]);
    assert_eq!(codes(store, s, one(either)).await, ["ALPHA", "BRAVO"]);
    let both = Cond::All(vec![
        Cond::Eq("discount_type", "percentage".into()),
        Cond::Null("starts_at"),
    ]);
    assert_eq!(codes(store, s, one(both)).await, ["ALPHA"]);
    let started = Cond::Any(vec![
        Cond::Null("starts_at"),
        Cond::Cmp("starts_at", Cmp::Le, Val::time(now)),
    ]);
    assert_eq!(codes(store, s, one(started)).await, everything);
    let nested = Cond::Any(vec![
        Cond::All(vec![code("BRAVO"), Cond::Eq("deleted", false.into())]),
        Cond::All(vec![Cond::Has("restricted_to", p2.to_string()), under()]),
    ]);
    assert_eq!(
        codes(store, s, one(nested)).await,
        ["BRAVO", "CHARLIE", "DELTA"]
    );
    let no_match = Cond::All(vec![code("ALPHA"), code("BRAVO")]);
    assert!(codes(store, s, one(no_match)).await.is_empty());
}

pub async fn not_negates_any_condition_and_a_null_column_makes_it_true<S: Store + ?Sized>(
    store: &S,
) {
    let t = tenant(store, "Not", base_time()).await;
    let Codes { now, p1, .. } = four_codes(store, &t).await;
    let s = &t.test;
    let not = |cond: Cond| one(cond.not());
    let at = || Val::time(now);
    let everything = ["ALPHA", "BRAVO", "CHARLIE", "DELTA"];
    assert_eq!(
        codes(store, s, not(code("ALPHA"))).await,
        ["BRAVO", "CHARLIE", "DELTA"]
    );
    assert_eq!(codes(store, s, not(code("ALPHA").not())).await, ["ALPHA"]);
    assert_eq!(
        codes(store, s, not(Cond::Eq("deleted", true.into()))).await,
        ["ALPHA", "BRAVO", "CHARLIE"]
    );
    assert_eq!(
        codes(store, s, not(Cond::Null("usage_limit"))).await,
        ["BRAVO", "CHARLIE"]
    );
    assert_eq!(
        codes(store, s, not(Cond::Cmp("starts_at", Cmp::Lt, at()))).await,
        ["ALPHA", "CHARLIE", "DELTA"],
        "a comparison with a null column is false, so its negation holds"
    );
    assert_eq!(
        codes(store, s, not(Cond::Cmp("expires_at", Cmp::Gt, at()))).await,
        ["ALPHA", "CHARLIE", "DELTA"]
    );
    assert_eq!(
        codes(store, s, not(Cond::Eq("usage_limit", 2i64.into()))).await,
        ["ALPHA", "BRAVO", "DELTA"],
        "a null limit is not 2"
    );
    assert_eq!(
        codes(store, s, not(Cond::Eq("usage_limit", Val::Null))).await,
        everything,
        "equality with null never holds, so its negation always does"
    );
    assert_eq!(
        codes(store, s, not(Cond::Has("restricted_to", p1.to_string()))).await,
        ["ALPHA", "DELTA"]
    );
    assert_eq!(
        codes(store, s, not(Cond::Empty("restricted_to"))).await,
        ["BRAVO", "CHARLIE", "DELTA"]
    );
    assert_eq!(codes(store, s, not(Cond::Any(vec![]))).await, everything);
    assert!(codes(store, s, not(Cond::All(vec![]))).await.is_empty());
    let unknown_either = Cond::Any(vec![
        Cond::Cmp("expires_at", Cmp::Gt, at()),
        Cond::Cmp("starts_at", Cmp::Ge, at()),
    ]);
    assert_eq!(
        codes(store, s, not(unknown_either)).await,
        ["ALPHA", "DELTA"],
        "neither comparison holds where both columns are null"
    );
    let unknown_both = Cond::All(vec![
        Cond::Null("expires_at"),
        Cond::Cmp("starts_at", Cmp::Ge, at()),
    ]);
    assert_eq!(
        codes(store, s, not(unknown_both)).await,
        ["ALPHA", "BRAVO", "DELTA"]
    );
}

pub async fn a_filter_naming_a_column_its_table_lacks_is_an_error<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Columns", base_time()).await;
    four_codes(store, &t).await;
    let s = &t.test;
    let refused = |filter: Filter| async move {
        let result = store.list::<Discount>(s, &filter, None).await;
        match result {
            Err(StoreError::Backend(_)) => {}
            other => panic!("a filter on an unknown column must fail, got {other:?}"),
        }
    };
    refused(Filter::new().eq("nope", 1i64)).await;
    refused(Filter::new().eq("archived", false)).await;
    refused(one(Cond::Any(vec![Cond::Null("body")]).not())).await;
    refused(one(Cond::Under {
        count: "times_used",
        limit: "uses_left",
    }))
    .await;

    let p = product(&t, "Guarded by a typo", one_time(100), base_time());
    let change = Changes::new().insert(&p).guard(Guard::Fewer {
        table: Table::Products,
        filter: Filter::new().eq("code", "ALPHA"),
        limit: 10,
    });
    let result = store.commit(s, change).await;
    assert!(
        matches!(result, Err(StoreError::Backend(_))),
        "a guard on an unknown column fails the change: {result:?}"
    );
    assert_eq!(store.get::<Product>(s, p.id.as_str()).await.unwrap(), None);
    let fine = store
        .list::<Discount>(s, &Filter::new(), None)
        .await
        .unwrap();
    assert_eq!(fine.len(), 4, "the store answers as before");
}
