//! Conformance: discount codes — uniqueness, soft delete, list filters.

use kassa_core::discount::{
    CurrencyOption, CustomerEligibility, Discount, DiscountDraft, DiscountFilter, DiscountType,
};
use kassa_core::id::{DiscountId, ProductId};
use kassa_core::metadata::Metadata;
use kassa_core::money::{Amount, Currency};
use time::Duration;

use super::{Tenant, base_time, page, tenant};
use crate::{Store, StoreError};

fn discount(t: &Tenant, code: &str, kind: DiscountType, minutes: i64) -> Discount {
    let draft = DiscountDraft {
        code: Some(code.to_owned()),
        name: None,
        discount_type: kind,
        amount: 1_000,
        currency_options: match kind {
            DiscountType::Flat => vec![CurrencyOption {
                currency: Currency::USD,
                is_default: true,
                max_amount_possible: Some(Amount::new("amount", 500).unwrap()),
                minimum_subtotal: Amount::ZERO,
            }],
            DiscountType::Percentage => Vec::new(),
        },
        starts_at: None,
        expires_at: None,
        usage_limit: None,
        per_customer_usage_limit: None,
        restricted_to: Vec::new(),
        subscription_cycles: None,
        preserve_on_plan_change: false,
        customer_eligibility: CustomerEligibility::Any,
        metadata: Metadata::default(),
    };
    let at = base_time() + Duration::minutes(minutes);
    Discount::create(DiscountId::generate(), t.business.id.clone(), draft, at).unwrap()
}

pub async fn discount_codes_are_unique_per_scope_until_deleted<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Codes", base_time()).await;
    let first = discount(&t, "SUMMER", DiscountType::Percentage, 0);
    store
        .insert_discount(&t.test, &first)
        .await
        .expect("insert");
    let found = store.get_discount_by_code(&t.test, "SUMMER").await.unwrap();
    assert_eq!(found, Some(first.clone()));

    let twin = discount(&t, "SUMMER", DiscountType::Flat, 1);
    let err = store.insert_discount(&t.test, &twin).await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                what: "discount code"
            }
        ),
        "got {err:?}"
    );
    store
        .insert_discount(&t.live, &twin)
        .await
        .expect("the same code is free in the other mode");

    let mut other = discount(&t, "WINTER", DiscountType::Flat, 2);
    store
        .insert_discount(&t.test, &other)
        .await
        .expect("insert");
    other.code = "SUMMER".to_owned();
    let err = store.update_discount(&t.test, &other).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "got {err:?}");

    store
        .delete_discount(&t.test, &first.id)
        .await
        .expect("delete");
    assert_eq!(store.get_discount(&t.test, &first.id).await.unwrap(), None);
    assert_eq!(
        store.get_discount_by_code(&t.test, "SUMMER").await.unwrap(),
        None
    );
    let err = store.delete_discount(&t.test, &first.id).await.unwrap_err();
    assert!(
        matches!(err, StoreError::NotFound),
        "second delete: {err:?}"
    );
    store
        .update_discount(&t.test, &other)
        .await
        .expect("a deleted code is free again");
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
    for d in [&plain, &flat, &expired, &future, &used_up, &elsewhere] {
        store.insert_discount(&t.test, d).await.expect("insert");
    }
    let scope = &t.test;
    let codes = |filter: DiscountFilter| async move {
        let listed = store
            .list_discounts(scope, &filter, page(0, 100))
            .await
            .expect("list");
        let mut codes: Vec<_> = listed.into_iter().map(|d| d.code).collect();
        codes.sort();
        codes
    };

    let by_code = DiscountFilter {
        code: Some("plain".to_owned()),
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
