//! Conformance: webhook deliveries are jobs of kind `deliver` — held,
//! neither leased nor due, while their endpoint is disabled, and deleted
//! with their endpoint.

use kassa_core::webhook::{EventType, WebhookEndpoint};
use time::Duration;

use super::jobs::{LEASE, keys, lease};
use super::{base_time, endpoint, tenant, trigger};
use crate::{Changes, DELIVER, Records, Store};

pub async fn deliveries_to_a_disabled_endpoint_are_held_neither_leased_nor_due<
    S: Store + ?Sized,
>(
    store: &S,
) {
    let t = tenant(store, "Held", base_time()).await;
    let mut hook = endpoint(vec![]);
    store.insert(&t.test, &hook).await.unwrap();
    let event = trigger(EventType::PaymentSucceeded);
    let emit = Changes::new().emit(event.clone());
    store.commit(&t.test, emit).await.unwrap();
    hook.disabled = true;
    store.update(&t.test, &hook).await.unwrap();

    let now = base_time() + Duration::seconds(1);
    let leased = store.lease_deliveries("w", now, LEASE, 10).await.unwrap();
    assert!(leased.is_empty(), "no delivery to a disabled endpoint");
    assert!(
        lease(store, "w", &[DELIVER], now).await.is_empty(),
        "not as a job either"
    );
    assert_eq!(
        store.next_due(&t.test, now).await.unwrap(),
        None,
        "and a held delivery is not due"
    );
    let log = store
        .list_deliveries(&t.test, &hook.id, None, 10)
        .await
        .unwrap();
    assert_eq!(log.len(), 1, "it is kept, waiting");

    hook.disabled = false;
    store.update(&t.test, &hook).await.unwrap();
    assert_eq!(
        store.next_due(&t.test, now).await.unwrap(),
        Some((event.occurred_at, 1)),
        "enabled again, it is due from its event's time"
    );
    let leased = store.lease_deliveries("w", now, LEASE, 10).await.unwrap();
    assert_eq!(leased.len(), 1);
    assert_eq!(leased[0].attempt, 1);
    assert_eq!(leased[0].event, event);

    // The delivery is the job `event:endpoint` of kind `deliver`.
    let lapsed = now + LEASE + Duration::seconds(1);
    let as_job = lease(store, "w2", &[DELIVER], lapsed).await;
    let key = format!("{}:{}", event.id, hook.id);
    assert_eq!(keys(&as_job), vec![key.as_str()]);
    assert_eq!(as_job[0].id, leased[0].job, "the delivery names its job");
    assert_eq!(as_job[0].scope, t.test);
    assert_eq!(as_job[0].subject.as_deref(), Some(hook.id.as_str()));
    assert_eq!(as_job[0].event.as_deref(), Some(event.id.as_str()));
}

pub async fn deleting_an_endpoint_deletes_its_delivery_jobs<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Unhooked", base_time()).await;
    let (gone, kept) = (endpoint(vec![]), endpoint(vec![]));
    for e in [&gone, &kept] {
        store.insert(&t.test, e).await.unwrap();
    }
    let event = trigger(EventType::RefundSucceeded);
    let emit = Changes::new().emit(event.clone());
    store.commit(&t.test, emit).await.unwrap();
    let now = base_time();
    assert_eq!(
        store.next_due(&t.test, now).await.unwrap(),
        Some((now, 2)),
        "one delivery job per endpoint"
    );

    let delete = Changes::new().delete::<WebhookEndpoint>(gone.id.as_str());
    store.commit(&t.test, delete).await.unwrap();
    assert_eq!(
        store.next_due(&t.test, now).await.unwrap(),
        Some((now, 1)),
        "the deleted endpoint's job went with it"
    );
    let due = lease(store, "w", &[DELIVER], now).await;
    let key = format!("{}:{}", event.id, kept.id);
    assert_eq!(keys(&due), vec![key.as_str()], "the other stays");
    let deliveries = store.lease_deliveries("w2", now, LEASE, 10).await.unwrap();
    assert!(
        deliveries.is_empty(),
        "it is leased already, and none else is"
    );
}
