//! Conformance: the leaf conditions of a filter — equality, comparison,
//! null, text containment and set membership — each over the column kind
//! it is for.

use kassa_core::customer::Customer;
use kassa_core::discount::{Discount, DiscountType};
use kassa_core::id::ProductId;
use kassa_core::tenancy::Scope;
use time::{Duration, OffsetDateTime};

use super::{Tenant, base_time, customer, discount, tenant};
use crate::{Cmp, Cond, Filter, Records, Store, Val};

/// Four discounts whose columns cover every kind and both sides of each
/// boundary at `now`.
pub(super) struct Codes {
    pub now: OffsetDateTime,
    /// In BRAVO's and CHARLIE's `restricted_to`.
    pub p1: ProductId,
    /// In CHARLIE's and DELTA's.
    pub p2: ProductId,
}

/// ALPHA: percentage, no dates, no limit, unused, unrestricted.
/// BRAVO: flat, started an hour ago, expires in an hour, 5 of 5 used, [p1].
/// CHARLIE: percentage, starts exactly now, 1 of 2 used, [p1 p2].
/// DELTA: flat, deleted, expires exactly now, no limit, 3 used, [p2].
pub(super) async fn four_codes<S: Store + ?Sized>(store: &S, t: &Tenant) -> Codes {
    let now = base_time() + Duration::days(1);
    let (p1, p2) = (ProductId::generate(), ProductId::generate());
    let alpha = discount(t, "ALPHA", DiscountType::Percentage, 0);
    let mut bravo = discount(t, "BRAVO", DiscountType::Flat, 1);
    bravo.starts_at = Some(now - Duration::hours(1));
    bravo.expires_at = Some(now + Duration::hours(1));
    bravo.usage_limit = Some(5);
    bravo.times_used = 5;
    bravo.restricted_to = vec![p1.clone()];
    let mut charlie = discount(t, "CHARLIE", DiscountType::Percentage, 2);
    charlie.starts_at = Some(now);
    charlie.usage_limit = Some(2);
    charlie.times_used = 1;
    charlie.restricted_to = vec![p1.clone(), p2.clone()];
    let mut delta = discount(t, "DELTA", DiscountType::Flat, 3);
    delta.expires_at = Some(now);
    delta.times_used = 3;
    delta.restricted_to = vec![p2.clone()];
    delta.deleted_at = Some(now - Duration::minutes(1));
    for d in [&alpha, &bravo, &charlie, &delta] {
        store.insert(&t.test, d).await.expect("insert");
    }
    Codes { now, p1, p2 }
}

/// The codes `filter` lists in the scope, sorted.
pub(super) async fn codes<S: Store + ?Sized>(
    store: &S,
    scope: &Scope,
    filter: Filter,
) -> Vec<String> {
    let listed = store.list::<Discount>(scope, &filter, None).await;
    let mut codes: Vec<_> = listed.expect("list").into_iter().map(|d| d.code).collect();
    codes.sort();
    codes
}

fn one(cond: Cond) -> Filter {
    Filter::new().and(cond)
}

pub async fn equality_matches_text_bools_and_numbers_but_never_null<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Equality", base_time()).await;
    let Codes { now, .. } = four_codes(store, &t).await;
    let s = &t.test;
    let eq = |column, value: Val| one(Cond::Eq(column, value));
    assert_eq!(codes(store, s, eq("code", "BRAVO".into())).await, ["BRAVO"]);
    assert!(
        codes(store, s, eq("code", "bravo".into())).await.is_empty(),
        "equality keeps case"
    );
    assert_eq!(
        codes(store, s, eq("discount_type", "flat".into())).await,
        ["BRAVO", "DELTA"]
    );
    assert_eq!(codes(store, s, eq("deleted", true.into())).await, ["DELTA"]);
    assert_eq!(
        codes(store, s, eq("deleted", false.into())).await,
        ["ALPHA", "BRAVO", "CHARLIE"]
    );
    assert_eq!(
        codes(store, s, eq("times_used", 5i64.into())).await,
        ["BRAVO"]
    );
    assert_eq!(
        codes(store, s, eq("usage_limit", 2i64.into())).await,
        ["CHARLIE"]
    );
    assert_eq!(
        codes(store, s, eq("starts_at", Val::time(now))).await,
        ["CHARLIE"]
    );
    assert!(
        codes(store, s, eq("usage_limit", Val::Null))
            .await
            .is_empty(),
        "null equals nothing, not even null"
    );
    let both = Filter::new()
        .eq("discount_type", "flat")
        .eq("deleted", false);
    assert_eq!(
        codes(store, s, both).await,
        ["BRAVO"],
        "conditions all hold"
    );
}

pub async fn comparisons_honour_all_four_operators_and_skip_nulls<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Compare", base_time()).await;
    let Codes { now, .. } = four_codes(store, &t).await;
    let s = &t.test;
    let cmp = |column, op, value: Val| one(Cond::Cmp(column, op, value));
    let at = Val::time(now);
    // starts_at: BRAVO before now, CHARLIE at now, ALPHA and DELTA null.
    assert_eq!(
        codes(store, s, cmp("starts_at", Cmp::Lt, at.clone())).await,
        ["BRAVO"]
    );
    assert_eq!(
        codes(store, s, cmp("starts_at", Cmp::Le, at.clone())).await,
        ["BRAVO", "CHARLIE"]
    );
    assert!(
        codes(store, s, cmp("starts_at", Cmp::Gt, at.clone()))
            .await
            .is_empty()
    );
    assert_eq!(
        codes(store, s, cmp("starts_at", Cmp::Ge, at.clone())).await,
        ["CHARLIE"]
    );
    // expires_at: DELTA at now, BRAVO after.
    assert!(
        codes(store, s, cmp("expires_at", Cmp::Lt, at.clone()))
            .await
            .is_empty()
    );
    assert_eq!(
        codes(store, s, cmp("expires_at", Cmp::Le, at.clone())).await,
        ["DELTA"]
    );
    assert_eq!(
        codes(store, s, cmp("expires_at", Cmp::Gt, at.clone())).await,
        ["BRAVO"]
    );
    assert_eq!(
        codes(store, s, cmp("expires_at", Cmp::Ge, at)).await,
        ["BRAVO", "DELTA"]
    );
    // times_used: 0, 5, 1, 3 against 3.
    let three = || Val::Int(3);
    assert_eq!(
        codes(store, s, cmp("times_used", Cmp::Lt, three())).await,
        ["ALPHA", "CHARLIE"]
    );
    assert_eq!(
        codes(store, s, cmp("times_used", Cmp::Le, three())).await,
        ["ALPHA", "CHARLIE", "DELTA"]
    );
    assert_eq!(
        codes(store, s, cmp("times_used", Cmp::Gt, three())).await,
        ["BRAVO"]
    );
    assert_eq!(
        codes(store, s, cmp("times_used", Cmp::Ge, three())).await,
        ["BRAVO", "DELTA"]
    );
    let created = Val::time(base_time() + Duration::minutes(2));
    assert_eq!(
        codes(store, s, cmp("created_at", Cmp::Ge, created)).await,
        ["CHARLIE", "DELTA"],
        "every table compares its creation time"
    );
}

pub async fn null_matches_exactly_the_missing_values<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Nulls", base_time()).await;
    four_codes(store, &t).await;
    let s = &t.test;
    assert_eq!(
        codes(store, s, one(Cond::Null("starts_at"))).await,
        ["ALPHA", "DELTA"]
    );
    assert_eq!(
        codes(store, s, one(Cond::Null("expires_at"))).await,
        ["ALPHA", "CHARLIE"]
    );
    assert_eq!(
        codes(store, s, one(Cond::Null("usage_limit"))).await,
        ["ALPHA", "DELTA"]
    );
    assert!(codes(store, s, one(Cond::Null("code"))).await.is_empty());
}

pub async fn set_columns_answer_membership_and_emptiness<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Sets", base_time()).await;
    let Codes { p1, p2, .. } = four_codes(store, &t).await;
    let s = &t.test;
    let has = |member: &str| one(Cond::Has("restricted_to", member.to_owned()));
    assert_eq!(
        codes(store, s, has(p1.as_str())).await,
        ["BRAVO", "CHARLIE"]
    );
    assert_eq!(
        codes(store, s, has(p2.as_str())).await,
        ["CHARLIE", "DELTA"]
    );
    assert!(
        codes(store, s, has(&p1.as_str()[..10])).await.is_empty(),
        "a member matches whole, never a part of one"
    );
    assert!(
        codes(store, s, has(ProductId::generate().as_str()))
            .await
            .is_empty()
    );
    assert_eq!(
        codes(store, s, one(Cond::Empty("restricted_to"))).await,
        ["ALPHA"]
    );
}

pub async fn contains_ignores_ascii_case_and_takes_wildcards_literally<S: Store + ?Sized>(
    store: &S,
) {
    let t = tenant(store, "Contains", base_time()).await;
    let people = [
        "Ada Lovelace",
        "Alan 100% Turing",
        "grace_hopper",
        "Grace Hopper",
        "Émile Borel",
    ];
    for (i, name) in people.iter().enumerate() {
        let c = customer(&t, &format!("p{i}@example.com"), name, base_time());
        store.insert(&t.test, &c).await.unwrap();
    }
    let scope = &t.test;
    let names = |text: &str| {
        let filter = one(Cond::Contains("name", text.to_owned()));
        async move {
            let listed = store.list::<Customer>(scope, &filter, None).await.unwrap();
            let mut names: Vec<_> = listed.into_iter().map(|c| c.name).collect();
            names.sort();
            names
        }
    };
    assert_eq!(names("LOVE").await, ["Ada Lovelace"]);
    assert_eq!(names("grace").await, ["Grace Hopper", "grace_hopper"]);
    assert_eq!(names("100%").await, ["Alan 100% Turing"]);
    assert_eq!(
        names("%").await,
        ["Alan 100% Turing"],
        "% is a plain character"
    );
    assert_eq!(names("_").await, ["grace_hopper"], "_ is a plain character");
    assert_eq!(names("e_h").await, ["grace_hopper"]);
    assert!(names("a%t").await.is_empty());
    assert_eq!(names("MILE").await, ["Émile Borel"]);
    assert!(
        names("émile").await.is_empty(),
        "only ASCII letters fold: É is not é"
    );
}
