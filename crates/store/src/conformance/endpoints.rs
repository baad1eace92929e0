//! Conformance: webhook endpoints — created under a count guard and a
//! unique idempotency key, paged by cursor, deleted with their deliveries.

use kassa_core::tenancy::Scope;
use kassa_core::webhook::{Attempt, DeliveryKey, EventType, WebhookEndpoint};
use time::Duration;

use super::{base_time, conflict, endpoint, tail, tenant, trigger};
use crate::{
    AfterAttempt, Changes, Conflict, EndpointCursor, Filter, Guard, Records, Store, StoreResult,
    Table,
};

/// Creates `e` unless the scope has `limit` endpoints already, as the app does.
async fn create<S: Store + ?Sized>(
    store: &S,
    scope: &Scope,
    e: &WebhookEndpoint,
    limit: u64,
) -> StoreResult<()> {
    let change = Changes::new()
        .guard(Guard::Fewer {
            table: Table::WebhookEndpoints,
            filter: Filter::new(),
            limit,
        })
        .insert(e);
    store.commit(scope, change).await
}

fn keyed(key: &str) -> WebhookEndpoint {
    let mut e = endpoint(vec![]);
    e.idempotency_key = Some(key.to_owned());
    e
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
        create(store, &t.test, &e, 3)
            .await
            .expect("under the limit");
        ids.push(e.id);
    }
    // Ids made in the same instant order by their random tail: pages
    // follow id order.
    ids.sort();
    let fourth = endpoint(vec![]);
    assert_eq!(
        conflict(create(store, &t.test, &fourth, 3).await),
        Conflict::TooMany {
            table: Table::WebhookEndpoints,
        },
        "the limit is enforced"
    );
    let got = store
        .get::<WebhookEndpoint>(&t.test, fourth.id.as_str())
        .await;
    assert!(got.unwrap().is_none());
    create(store, &t.live, &fourth, 3)
        .await
        .expect("each scope has its own limit");

    let page = |cursor: EndpointCursor, limit| {
        let scope = &t.test;
        async move {
            let listed = store.list_endpoints(scope, &cursor, limit).await.unwrap();
            listed.into_iter().map(|e| e.id).collect::<Vec<_>>()
        }
    };
    assert_eq!(page(EndpointCursor::Start, 2).await, ids[..2]);
    assert_eq!(
        page(EndpointCursor::After(ids[1].clone()), 2).await,
        ids[2..]
    );
    assert_eq!(
        page(EndpointCursor::Before(ids[2].clone()), 1).await,
        ids[1..2],
        "the page before the cursor, nearest first"
    );
    assert_eq!(
        page(EndpointCursor::Before(ids[2].clone()), 5).await,
        ids[..2]
    );
    let live = store
        .list_endpoints(&t.live, &EndpointCursor::Start, 10)
        .await;
    let live: Vec<_> = live.unwrap().into_iter().map(|e| e.id).collect();
    assert_eq!(live, vec![fourth.id.clone()]);

    let t2 = tenant(store, "Keyed", base_time()).await;
    let a = keyed("k1");
    let b = keyed("k1");
    create(store, &t2.test, &a, 5).await.expect("a new key");
    assert_eq!(
        conflict(create(store, &t2.test, &b, 5).await),
        Conflict::Taken {
            table: Table::WebhookEndpoints,
        },
        "a key creates one endpoint"
    );
    assert!(
        store
            .get::<WebhookEndpoint>(&t2.test, b.id.as_str())
            .await
            .unwrap()
            .is_none()
    );
    let by_key = Filter::new().eq("idempotency_key", "k1");
    let existing = store
        .first::<WebhookEndpoint>(&t2.test, &by_key)
        .await
        .unwrap();
    assert_eq!(
        existing,
        Some(a.clone()),
        "the key finds the endpoint it made"
    );
    create(store, &t2.live, &b, 5)
        .await
        .expect("the same key is free in another scope");
    create(store, &t2.test, &endpoint(vec![]), 5)
        .await
        .expect("endpoints without a key never clash");
    create(store, &t2.test, &endpoint(vec![]), 5)
        .await
        .expect("endpoints without a key never clash");

    let delete = || Changes::new().delete::<WebhookEndpoint>(a.id.as_str());
    store.commit(&t2.test, delete()).await.expect("delete");
    assert!(
        store
            .get::<WebhookEndpoint>(&t2.test, a.id.as_str())
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        conflict(store.commit(&t2.test, delete()).await),
        Conflict::Missing {
            table: Table::WebhookEndpoints,
            id: a.id.to_string(),
        }
    );
    create(store, &t2.test, &keyed("k1"), 5)
        .await
        .expect("a deleted endpoint's key is free again");
}

pub async fn deleting_an_endpoint_removes_its_deliveries_and_attempts<S: Store + ?Sized>(
    store: &S,
) {
    let t = tenant(store, "Delete hook", base_time()).await;
    let (gone, kept) = (endpoint(vec![]), endpoint(vec![]));
    for e in [&gone, &kept] {
        store.insert(&t.test, e).await.unwrap();
    }
    let event = trigger(EventType::PaymentSucceeded);
    store
        .commit(&t.test, Changes::new().emit(event.clone()))
        .await
        .unwrap();
    let now = base_time() + Duration::seconds(1);
    let leased = store
        .lease_deliveries("w", now, Duration::seconds(30), 10)
        .await
        .unwrap();
    assert_eq!(leased.len(), 2, "one delivery per endpoint");
    for e in [&gone, &kept] {
        let key = DeliveryKey {
            event: event.id.clone(),
            endpoint: e.id.clone(),
        };
        let attempt = Attempt {
            number: 1,
            at: now,
            status_code: Some(500),
            latency_ms: 2,
            response: "busy".into(),
            succeeded: false,
        };
        let retry = AfterAttempt::RetryAt(now + Duration::seconds(5));
        assert!(
            store
                .finish_attempt("w", &key, &attempt, retry, false)
                .await
                .unwrap()
        );
    }
    assert_eq!(tail(store, &t.test, 0, 2).await.len(), 2);

    let delete = Changes::new().delete::<WebhookEndpoint>(gone.id.as_str());
    store.commit(&t.test, delete).await.expect("delete");
    let log = store
        .list_deliveries(&t.test, &gone.id, None, 10)
        .await
        .unwrap();
    assert!(log.is_empty(), "its deliveries went with it");
    let shown = tail(store, &t.test, 0, 1).await;
    assert_eq!(shown.len(), 1, "and its attempts");
    assert_eq!(shown[0].endpoint, kept.id);
    let log = store
        .list_deliveries(&t.test, &kept.id, None, 10)
        .await
        .unwrap();
    assert_eq!(log.len(), 1, "the other endpoint's delivery stays");
    assert_eq!(log[0].attempts.len(), 1);
    let later = now + Duration::minutes(1);
    let due = store
        .lease_deliveries("w", later, Duration::seconds(30), 10)
        .await
        .unwrap();
    let due: Vec<_> = due.into_iter().map(|l| l.endpoint.id).collect();
    assert_eq!(
        due,
        vec![kept.id],
        "only the kept endpoint's retry comes due"
    );
}
