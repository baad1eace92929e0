//! Conformance: delivery leases, attempts on schedule, replays and resends.

use kassa_core::webhook::{Attempt, DeliveryKey, DeliveryStatus, EventType, WebhookEndpoint};
use time::Duration;

use super::{base_time, endpoint, tail, tenant, trigger};
use crate::{AfterAttempt, Changes, LeasedDelivery, Records, Store};

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

pub async fn a_leased_delivery_is_attempted_once_per_lease_and_retried_on_schedule<
    S: Store + ?Sized,
>(
    store: &S,
) {
    let t = tenant(store, "Lease", base_time()).await;
    let e = endpoint(vec![]);
    store.insert(&t.test, &e).await.unwrap();
    let event = trigger(EventType::PaymentSucceeded);
    store
        .commit(&t.test, Changes::new().emit(event.clone()))
        .await
        .unwrap();
    let key = DeliveryKey {
        event: event.id.clone(),
        endpoint: e.id.clone(),
    };
    let now = base_time() + Duration::seconds(1);
    let lease = Duration::seconds(30);

    let mine =
        |v: Vec<LeasedDelivery>| -> usize { v.into_iter().filter(|l| l.scope == t.test).count() };
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
    let shown = tail(store, &t.test, 0, 2).await;
    assert_eq!(shown.len(), 2, "the tail shows both attempts");
    assert!(shown[0].seq < shown[1].seq);
    assert_eq!(tail(store, &t.test, shown[0].seq, 1).await.len(), 1);
    let disabled = store
        .get::<WebhookEndpoint>(&t.test, e.id.as_str())
        .await
        .unwrap()
        .unwrap();
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
    store.insert(&t.test, &e).await.unwrap();
    let mut old = trigger(EventType::PaymentFailed);
    old.occurred_at = base_time() - Duration::hours(2);
    let new = trigger(EventType::PaymentFailed);
    let both = Changes::new().emit_all([old.clone(), new.clone()]);
    store.commit(&t.test, both).await.unwrap();
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
