//! Conformance: checkout sessions and idempotency keys.

use kassa_core::checkout::CheckoutSession;
use kassa_core::id::{CheckoutSessionId, PaymentId};
use time::Duration;

use super::{base_time, conflict, session, tenant};
use crate::{Changes, Claim, Conflict, Records, Store, StoredResponse, Table};

pub async fn checkout_sessions_round_trip_and_are_found_by_id_alone<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Checkout", base_time()).await;
    let other = tenant(store, "Other", base_time()).await;
    let mut s = session(&t);
    let id = s.id.to_string();
    store.insert(&t.live, &s).await.expect("insert");
    let get = |scope| store.get::<CheckoutSession>(scope, &id);
    assert_eq!(get(&t.live).await.unwrap(), Some(s.clone()));
    assert_eq!(get(&t.test).await.unwrap(), None);
    assert_eq!(get(&other.live).await.unwrap(), None);
    let found = store.find_versioned::<CheckoutSession>(&id).await.unwrap();
    let (scope, got, version) = found.expect("found by id alone");
    assert_eq!(
        (scope, got),
        (t.live.clone(), s.clone()),
        "the page learns the scope"
    );

    s.payment = Some(PaymentId::generate());
    s.completed_at = Some(base_time() + Duration::minutes(2));
    assert_eq!(
        conflict(store.update(&other.live, &s).await),
        Conflict::Missing {
            table: Table::CheckoutSessions,
            id: id.clone(),
        }
    );
    let completed = Changes::new().update_from(&s, version);
    store.commit(&t.live, completed).await.expect("update");
    assert_eq!(get(&t.live).await.unwrap(), Some(s.clone()));
    let found = store.find::<CheckoutSession>(&id).await.unwrap();
    assert_eq!(found, Some((t.live.clone(), s)), "found as updated");
    let unknown = CheckoutSessionId::generate();
    let unknown = store.find::<CheckoutSession>(unknown.as_str()).await;
    assert_eq!(unknown.unwrap(), None);
}

pub async fn idempotency_keys_replay_refuse_mismatches_and_expire<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Keys", base_time()).await;
    let now = base_time();
    let old = now - Duration::hours(24);
    let claim = |key: &'static str, fp: &'static str, at| {
        let scope = t.test.clone();
        async move {
            store
                .claim_key(&scope, key, fp, at, at - Duration::hours(24))
                .await
                .expect("claim")
        }
    };
    assert_eq!(claim("k1", "A", now).await, Claim::Fresh);
    assert_eq!(
        claim("k1", "A", now).await,
        Claim::InFlight,
        "not finished yet"
    );
    assert_eq!(claim("k1", "B", now).await, Claim::Mismatch);
    let response = StoredResponse {
        status: 200,
        body: b"{\"ok\":true}".to_vec(),
    };
    store
        .finish_key(&t.test, "k1", &response)
        .await
        .expect("finish");
    assert_eq!(claim("k1", "A", now).await, Claim::Replay(response.clone()));
    assert_eq!(claim("k1", "B", now).await, Claim::Mismatch);

    let other_mode = store.claim_key(&t.live, "k1", "B", now, old).await.unwrap();
    assert_eq!(other_mode, Claim::Fresh, "keys are per scope");

    assert_eq!(claim("k2", "A", now).await, Claim::Fresh);
    store.release_key(&t.test, "k2").await.expect("release");
    assert_eq!(
        claim("k2", "B", now).await,
        Claim::Fresh,
        "a released key is free"
    );

    let a_day_later = now + Duration::hours(24) + Duration::seconds(1);
    assert_eq!(
        claim("k1", "B", a_day_later).await,
        Claim::Fresh,
        "a key is forgotten after a day"
    );
}

pub async fn concurrent_claims_of_one_key_let_exactly_one_through<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Race", base_time()).await;
    let now = base_time();
    let claims =
        (0..16).map(|_| store.claim_key(&t.test, "race", "A", now, now - Duration::hours(24)));
    let results = futures::future::join_all(claims).await;
    let fresh = results
        .iter()
        .filter(|r| matches!(r, Ok(Claim::Fresh)))
        .count();
    assert_eq!(fresh, 1, "{results:?}");
    assert!(
        results
            .iter()
            .all(|r| matches!(r, Ok(Claim::Fresh) | Ok(Claim::InFlight))),
        "{results:?}"
    );
}
