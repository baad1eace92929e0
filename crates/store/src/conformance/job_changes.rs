//! Conformance: changes that end or cancel jobs — a job's effect and its
//! end commit together, only while its worker's lease holds; a cancel
//! stops a job that has not ended, and nothing else.

use kassa_core::catalog::Product;
use kassa_core::webhook::{Attempt, DeliveryKey, DeliveryStatus, EventType};
use time::{Duration, OffsetDateTime};

use super::jobs::{A, B, LEASE, keys, lease, schedule};
use super::{base_time, conflict, endpoint, job, one_time, product, tenant, trigger};
use crate::{AfterAttempt, Changes, Conflict, DELIVER, JobEnd, JobFinish, Records, Store, Table};

fn finish(worker: &str, job: &str, end: JobEnd, at: OffsetDateTime) -> JobFinish {
    JobFinish {
        worker: worker.to_owned(),
        job: job.to_owned(),
        end,
        at,
    }
}

pub async fn a_change_finishing_a_job_commits_its_effect_and_ends_the_job_together<
    S: Store + ?Sized,
>(
    store: &S,
) {
    let t = tenant(store, "Effects", base_time()).await;
    let (j, r, k) = (
        job(A, base_time()),
        job(A, base_time()),
        job(A, base_time()),
    );
    schedule(store, &t.test, &[&j, &r, &k]).await;
    let now = base_time();
    let leased = lease(store, "w1", &[A], now).await;
    let id = |key: &str| leased.iter().find(|l| l.key == key).unwrap().id.clone();

    let effect = product(&t, "Effect", one_time(100), now);
    let follow_up = job(B, now);
    let done = Changes::new()
        .insert(&effect)
        .schedule(follow_up.clone())
        .finishing(finish("w1", &id(&j.key), JobEnd::Succeeded, now));
    store.commit(&t.test, done).await.unwrap();
    assert!(
        store
            .get::<Product>(&t.test, effect.id.as_str())
            .await
            .unwrap()
            .is_some()
    );
    let next = lease(store, "w2", &[B], now).await;
    assert_eq!(keys(&next), vec![follow_up.key.as_str()]);
    let ended = store
        .finish_job("w1", &id(&j.key), &JobEnd::Succeeded, now)
        .await;
    assert!(!ended.unwrap(), "the change ended the job");

    let other = product(&t, "Retry effect", one_time(100), now);
    let retry = JobEnd::RetryAt(now + Duration::minutes(10), "again".into());
    let again = Changes::new()
        .insert(&other)
        .finishing(finish("w1", &id(&r.key), retry, now));
    store.commit(&t.test, again).await.unwrap();

    // A change refused by one of its steps leaves the job running.
    let refused =
        Changes::new()
            .insert(&effect)
            .finishing(finish("w1", &id(&k.key), JobEnd::Succeeded, now));
    assert_eq!(
        conflict(store.commit(&t.test, refused).await),
        Conflict::Exists {
            table: Table::Products,
            id: effect.id.to_string(),
        }
    );
    let still = store
        .finish_job("w1", &id(&k.key), &JobEnd::Succeeded, now)
        .await;
    assert!(still.unwrap(), "its worker still holds it");

    let later = lease(store, "w3", &[A], now + Duration::minutes(10)).await;
    assert_eq!(
        keys(&later),
        vec![r.key.as_str()],
        "only the job its change retried comes due again"
    );
    assert_eq!(later[0].attempt, 2);
}

pub async fn a_change_whose_job_lease_was_lost_is_refused_whole<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Lost", base_time()).await;
    let hook = endpoint(vec![]);
    store.insert(&t.test, &hook).await.unwrap();
    let (j, pending) = (
        job(A, base_time()),
        job(A, base_time() + Duration::hours(1)),
    );
    schedule(store, &t.test, &[&j, &pending]).await;
    let now = base_time();
    let first = lease(store, "w1", &[A], now).await;
    assert_eq!(keys(&first), vec![j.key.as_str()]);
    let id = first[0].id.clone();
    let lapsed = now + LEASE + Duration::seconds(1);
    assert_eq!(lease(store, "w2", &[A], lapsed).await.len(), 1);

    let effect = product(&t, "Twice", one_time(100), now);
    let follow_up = job(B, now);
    let late = || {
        Changes::new()
            .insert(&effect)
            .emit(trigger(EventType::PaymentSucceeded))
            .schedule(follow_up.clone())
            .cancel_job(A, pending.key.clone())
    };
    assert_eq!(
        conflict(
            store
                .commit(
                    &t.test,
                    late().finishing(finish("w1", &id, JobEnd::Succeeded, lapsed))
                )
                .await
        ),
        Conflict::LeaseLost { job: id.clone() },
        "the lapsed worker's change is refused"
    );
    assert!(
        store
            .get::<Product>(&t.test, effect.id.as_str())
            .await
            .unwrap()
            .is_none(),
        "with its rows"
    );
    assert!(
        lease(store, "w3", &[B], lapsed).await.is_empty(),
        "its jobs"
    );
    let log = store.list_deliveries(&t.test, &hook.id, None, 10).await;
    assert!(log.unwrap().is_empty(), "its events");
    assert_eq!(
        store
            .next_due(&t.test, now + Duration::hours(1))
            .await
            .unwrap(),
        Some((now, 2)),
        "and its cancels"
    );

    let unknown = late().finishing(finish("w1", "job_unknown", JobEnd::Succeeded, now));
    assert_eq!(
        conflict(store.commit(&t.test, unknown).await),
        Conflict::LeaseLost {
            job: "job_unknown".into()
        },
        "a job never leased has no lease to hold"
    );
    let holder = late().finishing(finish("w2", &id, JobEnd::Succeeded, lapsed));
    store.commit(&t.test, holder).await.unwrap();
    assert!(
        store
            .get::<Product>(&t.test, effect.id.as_str())
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(lease(store, "w3", &[B], lapsed).await.len(), 1);
}

pub async fn cancelling_a_job_stops_it_only_while_it_is_pending<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Cancels", base_time()).await;
    let now = base_time();
    let waiting = job(A, now + Duration::hours(1));
    let (running, done) = (job(A, now), job(A, now));
    schedule(store, &t.test, &[&waiting, &running, &done]).await;
    let leased = lease(store, "w", &[A], now).await;
    let id = |key: &str| leased.iter().find(|l| l.key == key).unwrap().id.clone();
    let ended = store
        .finish_job("w", &id(&done.key), &JobEnd::Succeeded, now)
        .await;
    assert!(ended.unwrap());

    // Three endpoints: one delivery fails, one succeeds, one waits.
    let (failed, succeeded, idle) = (endpoint(vec![]), endpoint(vec![]), endpoint(vec![]));
    for e in [&failed, &succeeded] {
        store.insert(&t.test, e).await.unwrap();
    }
    let event = trigger(EventType::PaymentSucceeded);
    let emit = Changes::new().emit(event.clone());
    store.commit(&t.test, emit).await.unwrap();
    for l in store.lease_deliveries("w", now, LEASE, 10).await.unwrap() {
        let ok = l.endpoint.id == succeeded.id;
        let attempt = Attempt {
            number: 1,
            at: now,
            status_code: Some(if ok { 200 } else { 500 }),
            latency_ms: 1,
            response: String::new(),
            succeeded: ok,
        };
        let after = if ok {
            AfterAttempt::Succeeded
        } else {
            AfterAttempt::Failed
        };
        let key = DeliveryKey {
            event: event.id.clone(),
            endpoint: l.endpoint.id.clone(),
        };
        let recorded = store
            .finish_attempt("w", &key, &attempt, after, false)
            .await;
        assert!(recorded.unwrap());
    }
    store.insert(&t.test, &idle).await.unwrap();
    let idle_event = trigger(EventType::PaymentFailed);
    let emit = Changes::new()
        .emit(idle_event.clone())
        .only_to(idle.id.clone());
    store.commit(&t.test, emit).await.unwrap();
    let delivery = |event: &kassa_core::webhook::Event,
                    e: &kassa_core::webhook::WebhookEndpoint| {
        format!("{}:{}", event.id, e.id)
    };

    let cancels = || {
        Changes::new()
            .cancel_job(A, waiting.key.clone())
            .cancel_job(A, running.key.clone())
            .cancel_job(A, done.key.clone())
            .cancel_job(DELIVER, delivery(&event, &failed))
            .cancel_job(DELIVER, delivery(&event, &succeeded))
            .cancel_job(DELIVER, delivery(&idle_event, &idle))
    };
    let ghost = product(&t, "Never stored", one_time(100), now);
    let refused = cancels().update(&ghost);
    assert!(store.commit(&t.test, refused).await.is_err());
    assert_eq!(
        store
            .next_due(&t.test, now + Duration::hours(1))
            .await
            .unwrap(),
        Some((now, 3)),
        "a refused change cancels nothing"
    );
    store.commit(&t.test, cancels()).await.unwrap();

    assert_eq!(
        store
            .next_due(&t.test, now + Duration::days(1))
            .await
            .unwrap(),
        None,
        "no pending job is left"
    );
    let much_later = now + Duration::days(1);
    assert!(lease(store, "w2", &[A], much_later).await.is_empty());
    let late_end = store
        .finish_job("w", &id(&running.key), &JobEnd::Succeeded, now)
        .await;
    assert!(
        !late_end.unwrap(),
        "a job cancelled while it ran cannot be ended by its worker"
    );
    let held = store.lease_deliveries("w2", much_later, LEASE, 10).await;
    assert!(held.unwrap().is_empty(), "a cancelled delivery is not made");
    let waiting_log = store
        .list_deliveries(&t.test, &idle.id, Some(DeliveryStatus::Pending), 10)
        .await;
    assert!(waiting_log.unwrap().is_empty(), "nor shown as pending");

    let ok_log = store
        .list_deliveries(&t.test, &succeeded.id, None, 10)
        .await
        .unwrap();
    assert_eq!(ok_log.len(), 1);
    assert_eq!(
        ok_log[0].status,
        DeliveryStatus::Succeeded,
        "an ended job is not cancelled"
    );
    let replayed = store
        .replay_failed(&t.test, &failed.id, now - Duration::days(1), much_later)
        .await;
    assert_eq!(replayed.unwrap(), 1, "a failed delivery stays failed");
}
