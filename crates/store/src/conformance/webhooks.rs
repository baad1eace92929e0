//! Conformance: the outbox — a change's events become deliveries to the
//! enabled endpoints that want them, in the change's transaction.

use kassa_core::webhook::{EventType, WebhookEndpoint};
use time::Duration;

use super::purchase::{open_session, purchase};
use super::{base_time, endpoint, limited_code, tenant, trigger};
use crate::{Changes, Records, Store};

pub async fn events_reach_only_enabled_endpoints_that_want_them_and_only_if_the_change_commits<
    S: Store + ?Sized,
>(
    store: &S,
) {
    let t = tenant(store, "Outbox", base_time()).await;
    let other = tenant(store, "Neighbour", base_time()).await;
    let all = endpoint(vec![]);
    let failed_only = endpoint(vec![EventType::PaymentFailed]);
    let succeeded_only = endpoint(vec![EventType::PaymentSucceeded, EventType::RefundFailed]);
    let mut off = endpoint(vec![]);
    off.disabled = true;
    for e in [&all, &failed_only, &succeeded_only, &off] {
        store.insert(&t.test, e).await.unwrap();
    }
    let live = endpoint(vec![]);
    store.insert(&t.live, &live).await.unwrap();
    let neighbour = endpoint(vec![]);
    store.insert(&other.test, &neighbour).await.unwrap();
    let code = limited_code(&t, "ONE", 1);
    store.insert(&t.test, &code).await.unwrap();

    let (s1, v1) = open_session(store, &t).await;
    let ok = purchase(&t, &s1, v1, vec![code.id.clone()]);
    store.commit(&t.test, ok.changes()).await.unwrap();

    // Same code again: the purchase fails, and so must its event.
    let (s2, v2) = open_session(store, &t).await;
    let lost = purchase(&t, &s2, v2, vec![code.id.clone()]);
    assert!(store.commit(&t.test, lost.changes()).await.is_err());

    let now = base_time() + Duration::seconds(1);
    let leased = store
        .lease_deliveries("w1", now, Duration::seconds(30), 100)
        .await
        .unwrap();
    let mut reached: Vec<_> = leased.iter().map(|l| l.endpoint.id.clone()).collect();
    reached.sort();
    let mut want = vec![all.id.clone(), succeeded_only.id.clone()];
    want.sort();
    assert_eq!(
        reached, want,
        "the all-types and the succeeded endpoints, for the committed event only"
    );
    for l in &leased {
        assert_eq!(l.scope, t.test);
        assert_eq!(l.event, ok.event);
        assert_eq!(l.attempt, 1);
        let stored = store
            .get::<WebhookEndpoint>(&t.test, l.endpoint.id.as_str())
            .await;
        assert_eq!(
            stored.unwrap().as_ref(),
            Some(&l.endpoint),
            "the endpoint as stored"
        );
    }
    for e in [&off, &failed_only] {
        let log = store
            .list_deliveries(&t.test, &e.id, None, 10)
            .await
            .unwrap();
        assert!(
            log.is_empty(),
            "nothing for a disabled or uninterested endpoint"
        );
    }
    let log = store
        .list_deliveries(&t.live, &live.id, None, 10)
        .await
        .unwrap();
    assert!(log.is_empty(), "nothing for another mode");
    let log = store
        .list_deliveries(&other.test, &neighbour.id, None, 10)
        .await;
    assert!(log.unwrap().is_empty(), "nothing for another business");

    // A trigger for one endpoint reaches it alone, whatever its filter.
    let only = trigger(EventType::PaymentSucceeded);
    let test_send = Changes::new()
        .emit(only.clone())
        .only_to(failed_only.id.clone());
    store.commit(&t.test, test_send).await.unwrap();
    let log = store
        .list_deliveries(&t.test, &failed_only.id, None, 10)
        .await
        .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].key.event, only.id);
    assert_eq!(log[0].event_type, EventType::PaymentSucceeded);
    for e in [&all, &succeeded_only] {
        let log = store
            .list_deliveries(&t.test, &e.id, None, 10)
            .await
            .unwrap();
        assert_eq!(log.len(), 1, "the trigger went to its endpoint only");
    }
    // Sent from another scope, a trigger reaches nothing of this one.
    let foreign = Changes::new()
        .emit(trigger(EventType::PaymentFailed))
        .only_to(failed_only.id.clone());
    store.commit(&other.test, foreign).await.unwrap();
    let log = store
        .list_deliveries(&t.test, &failed_only.id, None, 10)
        .await
        .unwrap();
    assert_eq!(
        log.len(),
        1,
        "an endpoint is reached from its own scope only"
    );
}
