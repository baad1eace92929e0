//! Conformance: webhook endpoints, the outbox and delivery leases.

use std::collections::BTreeMap;

use kassa_core::id::WebhookEndpointId;
use kassa_core::webhook::{
    Attempt, CustomHeaders, DeliveryKey, DeliveryStatus, EndpointUrl, Event, EventObject,
    EventType, WebhookEndpoint, WebhookSecret,
};
use time::Duration;

use super::checkout::session;
use super::payments::{limited_code, purchase};
use super::{Tenant, base_time, tenant};
use crate::{AfterAttempt, EndpointCursor, InsertedEndpoint, Store};

fn endpoint(filter: Vec<EventType>) -> WebhookEndpoint {
    WebhookEndpoint {
        id: WebhookEndpointId::generate(),
        url: EndpointUrl::parse("https://example.com/hook").unwrap(),
        description: "d".into(),
        metadata: BTreeMap::new(),
        filter_types: filter,
        headers: CustomHeaders::default(),
        rate_limit: None,
        disabled: false,
        secret: WebhookSecret::generate(),
        previous_secret: None,
        created_at: base_time(),
        updated_at: base_time(),
    }
}

async fn add<S: Store + ?Sized>(store: &S, t: &Tenant, e: &WebhookEndpoint) {
    let done = store.insert_endpoint(&t.test, e, None, 100).await.unwrap();
    assert_eq!(done, InsertedEndpoint::Created);
}

fn trigger(kind: EventType) -> Event {
    Event::new(kind, EventObject::Snapshot("{}".into()), base_time())
}

fn attempt(number: u32, ok: bool) -> Attempt {
    Attempt {
        number,
        at: base_time(),
        status_code: Some(if ok { 200 } else { 500 }),
        latency_ms: 3,
        response: "ok".into(),
        succeeded: ok,
    }
}

pub async fn webhook_endpoints_page_by_cursor_within_the_limit_and_idempotency_key<
    S: Store + ?Sized,
>(
    store: &S,
) {
    let t = tenant(store, "Hooks", base_time()).await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let e = endpoint(vec![]);
        let done = store.insert_endpoint(&t.test, &e, None, 3).await.unwrap();
        assert_eq!(done, InsertedEndpoint::Created);
        ids.push(e.id);
    }
    // Ids made in the same instant order by their random tail: pages
    // follow id order.
    ids.sort();
    let fourth = endpoint(vec![]);
    let done = store
        .insert_endpoint(&t.test, &fourth, None, 3)
        .await
        .unwrap();
    assert_eq!(
        done,
        InsertedEndpoint::LimitReached,
        "the limit is enforced"
    );
    assert!(
        store
            .get_endpoint(&t.test, &fourth.id)
            .await
            .unwrap()
            .is_none()
    );

    let first = store
        .list_endpoints(&t.test, &EndpointCursor::Start, 2)
        .await
        .unwrap();
    assert_eq!(
        first.iter().map(|e| &e.id).collect::<Vec<_>>(),
        vec![&ids[0], &ids[1]]
    );
    let next = store
        .list_endpoints(&t.test, &EndpointCursor::After(ids[1].clone()), 2)
        .await
        .unwrap();
    assert_eq!(
        next.iter().map(|e| &e.id).collect::<Vec<_>>(),
        vec![&ids[2]]
    );
    let back = store
        .list_endpoints(&t.test, &EndpointCursor::Before(ids[2].clone()), 1)
        .await
        .unwrap();
    assert_eq!(
        back[0].id, ids[1],
        "the page before the cursor, nearest first"
    );
    assert!(
        store
            .list_endpoints(&t.live, &EndpointCursor::Start, 10)
            .await
            .unwrap()
            .is_empty()
    );

    let t2 = tenant(store, "Keyed", base_time()).await;
    let a = endpoint(vec![]);
    let b = endpoint(vec![]);
    store
        .insert_endpoint(&t2.test, &a, Some("k1"), 5)
        .await
        .unwrap();
    let again = store
        .insert_endpoint(&t2.test, &b, Some("k1"), 5)
        .await
        .unwrap();
    assert_eq!(
        again,
        InsertedEndpoint::Existing(Box::new(a.clone())),
        "same key, same endpoint"
    );
    assert!(store.get_endpoint(&t2.test, &b.id).await.unwrap().is_none());

    store.delete_endpoint(&t2.test, &a.id).await.unwrap();
    assert!(store.get_endpoint(&t2.test, &a.id).await.unwrap().is_none());
    assert!(store.delete_endpoint(&t2.test, &a.id).await.is_err());
}

pub async fn events_reach_only_enabled_endpoints_that_want_them_and_only_if_the_change_commits<
    S: Store + ?Sized,
>(
    store: &S,
) {
    let t = tenant(store, "Outbox", base_time()).await;
    let all = endpoint(vec![]);
    let failed_only = endpoint(vec![EventType::PaymentFailed]);
    let mut off = endpoint(vec![]);
    off.disabled = true;
    for e in [&all, &failed_only, &off] {
        add(store, &t, e).await;
    }
    let code = limited_code(&t, "ONE", 1);
    store.insert_discount(&t.test, &code).await.unwrap();

    let s1 = session(&t);
    store.insert_session(&t.test, &s1).await.unwrap();
    let mut ok = purchase(&t, &s1, vec![code.id.clone()]);
    let succeeded = Event::payment(EventType::PaymentSucceeded, &ok.payment.id, base_time());
    ok.events = vec![succeeded.clone()];
    store.complete_purchase(&t.test, &ok).await.unwrap();

    // Same code again: the purchase fails, and so must its event.
    let s2 = session(&t);
    store.insert_session(&t.test, &s2).await.unwrap();
    let mut lost = purchase(&t, &s2, vec![code.id.clone()]);
    lost.events = vec![Event::payment(
        EventType::PaymentSucceeded,
        &lost.payment.id,
        base_time(),
    )];
    assert!(store.complete_purchase(&t.test, &lost).await.is_err());

    let now = base_time() + Duration::seconds(1);
    let leased = store
        .lease_deliveries("w1", now, Duration::seconds(30), 100)
        .await
        .unwrap();
    let mine: Vec<_> = leased.iter().filter(|l| l.scope == t.test).collect();
    assert_eq!(
        mine.len(),
        1,
        "one delivery: the all-types endpoint, for the committed event"
    );
    assert_eq!(mine[0].endpoint.id, all.id);
    assert_eq!(mine[0].event, succeeded);
    assert_eq!(mine[0].attempt, 1);
    assert!(
        store
            .list_deliveries(&t.test, &off.id, None, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .list_deliveries(&t.test, &failed_only.id, None, 10)
            .await
            .unwrap()
            .is_empty()
    );

    // A trigger for one endpoint reaches it alone, whatever its filter.
    let only = trigger(EventType::PaymentSucceeded);
    store
        .record_events(&t.test, std::slice::from_ref(&only), Some(&failed_only.id))
        .await
        .unwrap();
    let log = store
        .list_deliveries(&t.test, &failed_only.id, None, 10)
        .await
        .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].key.event, only.id);
    assert_eq!(
        store
            .list_deliveries(&t.test, &all.id, None, 10)
            .await
            .unwrap()
            .len(),
        1
    );
}

pub async fn a_leased_delivery_is_attempted_once_per_lease_and_retried_on_schedule<
    S: Store + ?Sized,
>(
    store: &S,
) {
    let t = tenant(store, "Lease", base_time()).await;
    let e = endpoint(vec![]);
    add(store, &t, &e).await;
    let event = trigger(EventType::PaymentSucceeded);
    store
        .record_events(&t.test, std::slice::from_ref(&event), None)
        .await
        .unwrap();
    let key = DeliveryKey {
        event: event.id.clone(),
        endpoint: e.id.clone(),
    };
    let now = base_time() + Duration::seconds(1);
    let lease = Duration::seconds(30);

    let mine = |v: Vec<crate::LeasedDelivery>| -> usize {
        v.into_iter().filter(|l| l.scope == t.test).count()
    };
    let (a, b) = futures::join!(
        store.lease_deliveries("w1", now, lease, 10),
        store.lease_deliveries("w2", now, lease, 10)
    );
    assert_eq!(
        mine(a.unwrap()) + mine(b.unwrap()),
        1,
        "two workers never share a delivery"
    );
    let holder = if store
        .finish_attempt("w1", &key, &attempt(1, false), AfterAttempt::Failed, false)
        .await
        .unwrap()
    {
        "w1"
    } else {
        "w2"
    };
    if holder == "w2" {
        let retry = AfterAttempt::RetryAt(now + Duration::seconds(5));
        assert!(
            store
                .finish_attempt("w2", &key, &attempt(1, false), retry, false)
                .await
                .unwrap()
        );
    } else {
        // w1 marked it failed; make it due again for the rest of the check.
        store.resend_delivery(&t.test, &key, now).await.unwrap();
    }

    // A lease that lapses lets another worker take it; the first worker's
    // late report is then refused.
    let later = now + Duration::seconds(10);
    assert_eq!(
        mine(
            store
                .lease_deliveries("w3", later, lease, 10)
                .await
                .unwrap()
        ),
        1
    );
    let after = later + Duration::seconds(31);
    let again = store
        .lease_deliveries("w4", after, lease, 10)
        .await
        .unwrap();
    let again: Vec<_> = again.into_iter().filter(|l| l.scope == t.test).collect();
    assert_eq!(again.len(), 1, "a lapsed lease is leased again");
    assert_eq!(again[0].attempt, 2);
    assert!(
        !store
            .finish_attempt(
                "w3",
                &key,
                &attempt(2, true),
                AfterAttempt::Succeeded,
                false
            )
            .await
            .unwrap(),
        "a lost lease records nothing"
    );
    assert!(
        store
            .finish_attempt("w4", &key, &attempt(2, true), AfterAttempt::Succeeded, true)
            .await
            .unwrap()
    );

    let log = store
        .list_deliveries(&t.test, &e.id, None, 10)
        .await
        .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].status, DeliveryStatus::Succeeded);
    assert_eq!(
        log[0].attempts.iter().map(|a| a.number).collect::<Vec<_>>(),
        vec![1, 2]
    );
    let tail = store.attempts_after(&t.test, 0, 10).await.unwrap();
    assert_eq!(tail.len(), 2);
    assert!(tail[0].seq < tail[1].seq);
    assert_eq!(
        store
            .attempts_after(&t.test, tail[0].seq, 10)
            .await
            .unwrap()
            .len(),
        1
    );
    let disabled = store.get_endpoint(&t.test, &e.id).await.unwrap().unwrap();
    assert!(
        disabled.disabled,
        "finishing with disable_endpoint disables it (410 Gone)"
    );
}

pub async fn failed_deliveries_replay_from_a_time_and_a_resend_makes_one_due<S: Store + ?Sized>(
    store: &S,
) {
    let t = tenant(store, "Replay", base_time()).await;
    let e = endpoint(vec![]);
    add(store, &t, &e).await;
    let mut old = trigger(EventType::PaymentFailed);
    old.occurred_at = base_time() - Duration::hours(2);
    let new = trigger(EventType::PaymentFailed);
    store
        .record_events(&t.test, &[old.clone(), new.clone()], None)
        .await
        .unwrap();
    let now = base_time() + Duration::seconds(1);
    for l in store
        .lease_deliveries("w", now, Duration::seconds(30), 100)
        .await
        .unwrap()
    {
        let key = DeliveryKey {
            event: l.event.id.clone(),
            endpoint: l.endpoint.id.clone(),
        };
        store
            .finish_attempt("w", &key, &attempt(1, false), AfterAttempt::Failed, false)
            .await
            .unwrap();
    }
    let failed = store
        .list_deliveries(&t.test, &e.id, Some(DeliveryStatus::Failed), 10)
        .await
        .unwrap();
    assert_eq!(failed.len(), 2);
    let n = store
        .replay_failed(&t.test, &e.id, base_time() - Duration::hours(1), now)
        .await
        .unwrap();
    assert_eq!(n, 1, "only the failure since the given time is replayed");
    let pending = store
        .list_deliveries(&t.test, &e.id, Some(DeliveryStatus::Pending), 10)
        .await
        .unwrap();
    assert_eq!(pending[0].key.event, new.id);
    let key = DeliveryKey {
        event: old.id.clone(),
        endpoint: e.id.clone(),
    };
    store.resend_delivery(&t.test, &key, now).await.unwrap();
    let due = store
        .lease_deliveries("w", now, Duration::seconds(30), 100)
        .await
        .unwrap();
    assert_eq!(due.iter().filter(|l| l.scope == t.test).count(), 2);
    assert!(
        store.resend_delivery(&t.live, &key, now).await.is_err(),
        "scoped"
    );
}
