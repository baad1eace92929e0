//! Conformance: payments and their filters, a payment opened for a link,
//! and customers' saved methods.

use kassa_core::checkout::CheckoutSession;
use kassa_core::customer::Customer;
use kassa_core::id::BrandId;
use kassa_core::money::Currency;
use kassa_core::payment::{Payment, PaymentFilter, PaymentStatus, SavedMethod};
use time::Duration;

use super::purchase::{open_session, purchase};
use super::{base_time, conflict, customer, page, payment, saved_card, session, tenant};
use crate::{Changes, Conflict, Records, Store, Table, filters};

pub async fn payments_round_trip_and_list_by_every_filter<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Pay", base_time()).await;
    let s = session(&t);
    let product = s.cart[0].product.clone();
    let mut failed = payment(&t, &s, PaymentStatus::Failed, &product);
    let mut ok = payment(
        &t,
        &s,
        PaymentStatus::Succeeded,
        &kassa_core::id::ProductId::generate(),
    );
    ok.created_at = base_time() + Duration::minutes(5);
    for p in [&failed, &ok] {
        store.insert(&t.test, p).await.expect("insert");
    }
    let got = store.get::<Payment>(&t.test, ok.id.as_str()).await.unwrap();
    assert_eq!(got, Some(ok.clone()));
    assert_eq!(
        store.get::<Payment>(&t.live, ok.id.as_str()).await.unwrap(),
        None
    );

    failed.error_code = Some(kassa_core::payment::DeclineReason::CardDeclined);
    failed.status = PaymentStatus::Cancelled;
    store.update(&t.test, &failed).await.expect("update");
    let got = store
        .get::<Payment>(&t.test, failed.id.as_str())
        .await
        .unwrap();
    assert_eq!(got, Some(failed.clone()));

    let scope = &t.test;
    let list = |filter: PaymentFilter| async move {
        let got = store
            .list::<Payment>(scope, &filters::payments(&filter), Some(page(0, 50)))
            .await
            .unwrap();
        got.into_iter().map(|p| p.id).collect::<Vec<_>>()
    };
    let by_status = |status| PaymentFilter {
        status: Some(status),
        ..PaymentFilter::default()
    };
    assert_eq!(
        list(by_status(PaymentStatus::Succeeded)).await,
        vec![ok.id.clone()]
    );
    assert_eq!(
        list(by_status(PaymentStatus::Cancelled)).await,
        vec![failed.id.clone()],
        "the status column followed the update"
    );
    assert!(list(by_status(PaymentStatus::Failed)).await.is_empty());
    let by_product = PaymentFilter {
        product: Some(product),
        ..PaymentFilter::default()
    };
    assert_eq!(list(by_product).await, vec![failed.id.clone()]);
    let by_customer = PaymentFilter {
        customer: Some(ok.customer.clone()),
        ..PaymentFilter::default()
    };
    assert_eq!(list(by_customer).await, vec![ok.id.clone()]);
    let by_brand = PaymentFilter {
        brand: Some(t.test_brand.id.clone()),
        ..PaymentFilter::default()
    };
    assert_eq!(list(by_brand).await.len(), 2);
    let other_brand = PaymentFilter {
        brand: Some(BrandId::generate()),
        ..PaymentFilter::default()
    };
    assert!(list(other_brand).await.is_empty());
    let by_currency = |currency| PaymentFilter {
        currency: Some(currency),
        ..PaymentFilter::default()
    };
    assert!(list(by_currency(Currency::EUR)).await.is_empty());
    assert_eq!(list(by_currency(Currency::USD)).await.len(), 2);
    let since = PaymentFilter {
        created_at_gte: Some(ok.created_at),
        ..PaymentFilter::default()
    };
    assert_eq!(list(since).await, vec![ok.id.clone()]);
    let until = PaymentFilter {
        created_at_lte: Some(failed.created_at),
        ..PaymentFilter::default()
    };
    assert_eq!(list(until).await, vec![failed.id.clone()]);
    assert_eq!(
        list(PaymentFilter::default()).await,
        vec![ok.id.clone(), failed.id.clone()],
        "newest first"
    );
}

pub async fn an_opened_payment_writes_customer_payment_and_session_together<S: Store + ?Sized>(
    store: &S,
) {
    let t = tenant(store, "Link", base_time()).await;
    let (mut s, version) = open_session(store, &t).await;
    let (read, product) = (s.clone(), s.cart[0].product.clone());
    let open = |email: &str| {
        let mut pending = payment(&t, &read, PaymentStatus::RequiresPaymentMethod, &product);
        pending.payment_method_type = None;
        let mut who = customer(&t, email, "Linked", base_time());
        who.id = pending.customer.clone();
        (pending, who)
    };
    let (pending, buyer) = open("link@example.com");
    s.payment = Some(pending.id.clone());
    let opened = Changes::new()
        .insert(&buyer)
        .insert(&pending)
        .update_from(&s, version);
    store.commit(&t.test, opened).await.expect("open");
    let got = store
        .get::<Payment>(&t.test, pending.id.as_str())
        .await
        .unwrap();
    assert_eq!(got, Some(pending.clone()));
    let got = store
        .get::<Customer>(&t.test, buyer.id.as_str())
        .await
        .unwrap();
    assert_eq!(got, Some(buyer));
    let stored = store.get::<CheckoutSession>(&t.test, s.id.as_str()).await;
    assert_eq!(stored.unwrap().unwrap().payment, Some(pending.id.clone()));

    // A second opening of the same session, from the same read, fails as
    // a whole: no payment and no customer of it are left behind.
    let (other, stray) = open("stray@example.com");
    let mut twice = s.clone();
    twice.payment = Some(other.id.clone());
    let clash = Changes::new()
        .insert(&stray)
        .insert(&other)
        .update_from(&twice, version);
    assert_eq!(
        conflict(store.commit(&t.test, clash).await),
        Conflict::Changed {
            table: Table::CheckoutSessions,
            id: s.id.to_string(),
        }
    );
    assert_eq!(
        store
            .get::<Payment>(&t.test, other.id.as_str())
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .get::<Customer>(&t.test, stray.id.as_str())
            .await
            .unwrap(),
        None
    );
    let stored = store.get::<CheckoutSession>(&t.test, s.id.as_str()).await;
    assert_eq!(
        stored.unwrap().unwrap().payment,
        Some(pending.id),
        "the first stands"
    );
}

pub async fn saved_methods_are_kept_per_customer_and_saved_with_their_purchase<
    S: Store + ?Sized,
>(
    store: &S,
) {
    let t = tenant(store, "Methods", base_time()).await;
    let (s, version) = open_session(store, &t).await;
    let mut bought = purchase(&t, &s, version, vec![]);
    let customer = bought.payment.customer.clone();
    let first = saved_card(&t, &customer, "4242");
    bought.saved_method = Some(first.clone());
    bought.payment.saved_method = Some(first.id.clone());
    store
        .commit(&t.test, bought.changes())
        .await
        .expect("purchase with a saved card");
    let got = store.get::<SavedMethod>(&t.test, first.id.as_str()).await;
    assert_eq!(
        got.unwrap(),
        Some(first.clone()),
        "saved in the purchase's change"
    );

    let mut second = saved_card(&t, &customer, "4444");
    second.created_at = base_time() + Duration::minutes(1);
    store.insert(&t.test, &second).await.unwrap();
    let someone_else = saved_card(&t, &kassa_core::id::CustomerId::generate(), "1111");
    store.insert(&t.test, &someone_else).await.unwrap();
    let mine = filters::methods_of(&customer);
    let listed = store
        .list::<SavedMethod>(&t.test, &mine, None)
        .await
        .unwrap();
    assert_eq!(
        listed,
        vec![second.clone(), first.clone()],
        "newest first, mine only"
    );
    let live = store
        .list::<SavedMethod>(&t.live, &mine, None)
        .await
        .unwrap();
    assert!(live.is_empty());

    let delete = || Changes::new().delete::<SavedMethod>(first.id.as_str());
    assert_eq!(
        conflict(store.commit(&t.live, delete()).await),
        Conflict::Missing {
            table: Table::PaymentMethods,
            id: first.id.to_string(),
        }
    );
    store.commit(&t.test, delete()).await.expect("delete");
    let got = store.get::<SavedMethod>(&t.test, first.id.as_str()).await;
    assert_eq!(got.unwrap(), None);
    let listed = store
        .list::<SavedMethod>(&t.test, &mine, None)
        .await
        .unwrap();
    assert_eq!(listed, vec![second]);
}
