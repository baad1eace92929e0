//! Conformance: a change is written whole or not at all — its rows, its
//! counted uses, its events and their deliveries — wherever its failing
//! step is.

use kassa_core::catalog::Product;
use kassa_core::customer::Customer;
use kassa_core::discount::Discount;
use kassa_core::payment::{Payment, PaymentStatus};
use kassa_core::webhook::{Event, EventType};

use super::{
    base_time, conflict, customer, endpoint, limited_code, one_time, payment, product, session,
    tenant,
};
use crate::{Changes, Conflict, Filter, Guard, Records, Store, Table};

pub async fn a_failing_step_anywhere_leaves_nothing_of_the_change<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "All or nothing", base_time()).await;
    let hook = endpoint(vec![]);
    store.insert(&t.test, &hook).await.unwrap();
    let p = product(&t, "Existing", one_time(100), base_time());
    let code = limited_code(&t, "ONCE", 1);
    let setup = Changes::new().insert(&p).insert(&code).use_one::<Discount>(
        code.id.as_str(),
        "times_used",
        "usage_limit",
    );
    store.commit(&t.test, setup).await.unwrap();
    let (_, pv) = store
        .get_versioned::<Product>(&t.test, p.id.as_str())
        .await
        .unwrap()
        .unwrap();
    let ghost = product(&t, "Never stored", one_time(100), base_time());

    let c = customer(&t, "buyer@example.com", "Buyer", base_time());
    let pay = payment(&t, &session(&t), PaymentStatus::Succeeded, &p.id);
    let mut renamed = p.clone();
    renamed.name = "Renamed by the change".into();
    let event = Event::payment(EventType::PaymentSucceeded, &pay.id, base_time());
    let whole = || {
        Changes::new()
            .insert(&c)
            .insert(&pay)
            .update_from(&renamed, pv)
            .emit(event.clone())
    };
    let missing = Conflict::Missing {
        table: Table::Products,
        id: ghost.id.to_string(),
    };
    let cases = [
        (
            "a missing row as the first step",
            Changes::new().update(&ghost).then(whole()),
            missing,
        ),
        (
            "a taken id in the middle",
            Changes::new()
                .insert(&c)
                .insert(&p)
                .insert(&pay)
                .update_from(&renamed, pv)
                .emit(event.clone()),
            Conflict::Exists {
                table: Table::Products,
                id: p.id.to_string(),
            },
        ),
        (
            "a used-up code in the middle",
            Changes::new()
                .insert(&c)
                .use_one::<Discount>(code.id.as_str(), "times_used", "usage_limit")
                .insert(&pay)
                .emit(event.clone()),
            Conflict::UsedUp {
                table: Table::Discounts,
                id: code.id.to_string(),
            },
        ),
        (
            "a guard after every write",
            whole().guard(Guard::Fewer {
                table: Table::Customers,
                filter: Filter::new(),
                limit: 1,
            }),
            Conflict::TooMany {
                table: Table::Customers,
            },
        ),
        (
            "a stale version as the last step",
            Changes::new()
                .insert(&c)
                .insert(&pay)
                .emit(event.clone())
                .update_from(&renamed, pv + 7),
            Conflict::Changed {
                table: Table::Products,
                id: p.id.to_string(),
            },
        ),
    ];
    for (case, change, expected) in cases {
        assert_eq!(
            conflict(store.commit(&t.test, change).await),
            expected,
            "{case}"
        );
        let customers = store.list::<Customer>(&t.test, &Filter::new(), None).await;
        assert!(customers.unwrap().is_empty(), "{case}: no customer");
        let payments = store.list::<Payment>(&t.test, &Filter::new(), None).await;
        assert!(payments.unwrap().is_empty(), "{case}: no payment");
        let stored = store.get_versioned::<Product>(&t.test, p.id.as_str()).await;
        assert_eq!(
            stored.unwrap(),
            Some((p.clone(), pv)),
            "{case}: product as it was"
        );
        assert_eq!(
            store.get_product(&t.test, &p.id).await.unwrap(),
            Some(p.clone()),
            "{case}: the product read agrees"
        );
        let used = store.get::<Discount>(&t.test, code.id.as_str()).await;
        assert_eq!(
            used.unwrap().map(|d| d.times_used),
            Some(1),
            "{case}: one use"
        );
        let log = store.list_deliveries(&t.test, &hook.id, None, 10).await;
        assert!(log.unwrap().is_empty(), "{case}: no event, no delivery");
    }

    // The same change, nothing failing: everything lands, the event once
    // (its id was never taken by a refused change).
    store
        .commit(&t.test, whole())
        .await
        .expect("the whole change");
    let got = store.get::<Customer>(&t.test, c.id.as_str()).await.unwrap();
    assert_eq!(got, Some(c));
    let got = store
        .get::<Payment>(&t.test, pay.id.as_str())
        .await
        .unwrap();
    assert_eq!(got, Some(pay));
    let stored = store.get_versioned::<Product>(&t.test, p.id.as_str()).await;
    assert_eq!(stored.unwrap(), Some((renamed.clone(), pv + 1)));
    assert_eq!(
        store.get_product(&t.test, &p.id).await.unwrap(),
        Some(renamed)
    );
    let log = store
        .list_deliveries(&t.test, &hook.id, None, 10)
        .await
        .unwrap();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0].key.event, event.id);
}
