//! Conformance: test clocks — a test-mode job is due by its business's
//! clock, which only moves forward; live mode runs on the wall clock; and
//! `next_due` walks a scope's pending jobs in due order.

use time::Duration;

use super::jobs::{A, B, keys, lease, schedule};
use super::{base_time, job, tenant};
use crate::{JobEnd, Store};

pub async fn a_test_mode_job_follows_its_business_clock_and_live_mode_the_wall<
    S: Store + ?Sized,
>(
    store: &S,
) {
    let t = tenant(store, "Clocked", base_time()).await;
    let other = tenant(store, "Unclocked", base_time()).await;
    let in_an_hour = base_time() + Duration::hours(1);
    let (test, live, neighbour) = (job(A, in_an_hour), job(A, in_an_hour), job(A, in_an_hour));
    schedule(store, &t.test, &[&test]).await;
    schedule(store, &t.live, &[&live]).await;
    schedule(store, &other.test, &[&neighbour]).await;
    let now = base_time();
    assert!(lease(store, "w", &[A], now).await.is_empty());

    let half = store
        .advance_clock(&other.business.id, Duration::minutes(30))
        .await
        .unwrap();
    assert_eq!(half, Duration::minutes(30));
    assert!(
        lease(store, "w", &[A], now).await.is_empty(),
        "half an hour ahead is not yet an hour"
    );

    let ahead = store
        .advance_clock(&t.business.id, Duration::hours(2))
        .await
        .unwrap();
    assert_eq!(ahead, Duration::hours(2));
    assert_eq!(
        store.clock_offset(&t.business.id).await.unwrap(),
        Duration::hours(2)
    );
    let due = lease(store, "w", &[A], now).await;
    assert_eq!(
        keys(&due),
        vec![test.key.as_str()],
        "the business's clock makes its test job due; its live job and \
         another business's test job wait"
    );
    assert_eq!(due[0].scope, t.test);
    let done = store
        .finish_job("w", &due[0].id, &JobEnd::Succeeded, now)
        .await;
    assert!(done.unwrap());

    let mut by_the_wall = keys(&lease(store, "w", &[A], in_an_hour).await)
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    by_the_wall.sort();
    let mut want = vec![live.key.clone(), neighbour.key.clone()];
    want.sort();
    assert_eq!(by_the_wall, want, "the wall clock brings the others due");
}

pub async fn a_test_clock_never_goes_back<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Forward", base_time()).await;
    let id = &t.business.id;
    assert_eq!(
        store.clock_offset(id).await.unwrap(),
        Duration::ZERO,
        "a business without a clock runs on wall time"
    );
    assert_eq!(
        store.advance_clock(id, Duration::hours(2)).await.unwrap(),
        Duration::hours(2)
    );
    assert_eq!(
        store.advance_clock(id, Duration::hours(1)).await.unwrap(),
        Duration::hours(2),
        "a smaller offset leaves the clock where it is"
    );
    assert_eq!(
        store.advance_clock(id, -Duration::hours(5)).await.unwrap(),
        Duration::hours(2),
        "so does a negative one"
    );
    assert_eq!(store.clock_offset(id).await.unwrap(), Duration::hours(2));
    let exact = Duration::hours(3) + Duration::microseconds(7);
    assert_eq!(
        store.advance_clock(id, exact).await.unwrap(),
        exact,
        "kept to the microsecond"
    );
    assert_eq!(store.clock_offset(id).await.unwrap(), exact);
    let other = tenant(store, "Elsewhere", base_time()).await;
    assert_eq!(
        store.clock_offset(&other.business.id).await.unwrap(),
        Duration::ZERO,
        "each business has its own clock"
    );
}

pub async fn next_due_gives_the_scopes_earliest_pending_job_up_to_a_time_and_how_many<
    S: Store + ?Sized,
>(
    store: &S,
) {
    let t = tenant(store, "Stepping", base_time()).await;
    let other = tenant(store, "Beside", base_time()).await;
    let at = |m: i64| base_time() + Duration::minutes(m);
    let (j1, j2, j10) = (job(A, at(1)), job(A, at(2)), job(A, at(10)));
    schedule(store, &t.test, &[&j10, &j1, &j2]).await;
    schedule(store, &t.live, &[&job(B, at(0))]).await;
    schedule(store, &other.test, &[&job(B, at(0))]).await;
    let next = |until| store.next_due(&t.test, until);

    assert_eq!(next(at(0)).await.unwrap(), None, "nothing due yet");
    assert_eq!(next(at(1)).await.unwrap(), Some((at(1), 1)), "up to and at");
    assert_eq!(next(at(5)).await.unwrap(), Some((at(1), 2)));
    assert_eq!(
        next(at(60)).await.unwrap(),
        Some((at(1), 3)),
        "the scope's own jobs only"
    );

    let first = lease(store, "w", &[A], at(1)).await;
    assert_eq!(keys(&first), vec![j1.key.as_str()]);
    assert_eq!(
        next(at(5)).await.unwrap(),
        Some((at(1), 2)),
        "a job being run still counts until it ends"
    );
    let done = store
        .finish_job("w", &first[0].id, &JobEnd::Succeeded, at(1))
        .await;
    assert!(done.unwrap());
    assert_eq!(next(at(5)).await.unwrap(), Some((at(2), 1)));

    let second = lease(store, "w", &[A], at(2)).await;
    assert_eq!(keys(&second), vec![j2.key.as_str()]);
    let retry = JobEnd::RetryAt(at(20), "later".into());
    let done = store.finish_job("w", &second[0].id, &retry, at(2)).await;
    assert!(done.unwrap());
    assert_eq!(
        next(at(5)).await.unwrap(),
        None,
        "a retried job is due at its new time"
    );
    assert_eq!(next(at(60)).await.unwrap(), Some((at(10), 2)));
}
