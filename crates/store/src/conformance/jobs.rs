//! Conformance: the job queue — a job is written by the commit of its
//! change, once per key; it is leased when due, earliest first and to one
//! worker at a time; and only the worker holding its lease ends it.

use kassa_core::tenancy::Scope;
use time::{Duration, OffsetDateTime};

use super::{base_time, conflict, job, one_time, product, tenant};
use crate::{Changes, Conflict, JobEnd, LeasedJob, NewJob, Store, Table};

/// The kinds these checks schedule (no app runs them).
pub(super) const A: &str = "conformance_a";
pub(super) const B: &str = "conformance_b";

pub(super) const LEASE: Duration = Duration::seconds(30);

/// Commits a change that schedules `jobs` and nothing else.
pub(super) async fn schedule<S: Store + ?Sized>(store: &S, scope: &Scope, jobs: &[&NewJob]) {
    let change = jobs
        .iter()
        .fold(Changes::new(), |c, j| c.schedule((*j).clone()));
    store.commit(scope, change).await.expect("schedule jobs");
}

/// What `worker` leases of `kinds` at `now`.
pub(super) async fn lease<S: Store + ?Sized>(
    store: &S,
    worker: &str,
    kinds: &[&'static str],
    now: OffsetDateTime,
) -> Vec<LeasedJob> {
    store
        .lease_jobs(worker, kinds, now, LEASE, 100)
        .await
        .expect("lease jobs")
}

/// The keys of leased jobs, in the order leased.
pub(super) fn keys(leased: &[LeasedJob]) -> Vec<&str> {
    leased.iter().map(|j| j.key.as_str()).collect()
}

pub async fn a_scheduled_job_is_written_only_if_its_change_commits<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Scheduling", base_time()).await;
    let p = product(&t, "Cause", one_time(100), base_time());
    let mut kept = job(A, base_time());
    kept.subject = Some(p.id.to_string());
    kept.event = Some("evt_cause".into());
    kept.payload = r#"{"why":"kept"}"#.into();
    let change = Changes::new().insert(&p).schedule(kept.clone());
    store.commit(&t.test, change).await.unwrap();

    let lost = job(A, base_time());
    let taken = Changes::new().insert(&p).schedule(lost.clone());
    assert_eq!(
        conflict(store.commit(&t.test, taken).await),
        Conflict::Exists {
            table: Table::Products,
            id: p.id.to_string(),
        }
    );
    let ghost = product(&t, "Never stored", one_time(100), base_time());
    let lost_too = job(A, base_time());
    let missing = Changes::new().schedule(lost_too.clone()).update(&ghost);
    assert!(store.commit(&t.test, missing).await.is_err());

    let leased = lease(store, "w", &[A], base_time() + Duration::seconds(1)).await;
    assert_eq!(
        keys(&leased),
        vec![kept.key.as_str()],
        "only the job of the change that committed is written"
    );
    let got = &leased[0];
    assert!(!got.id.is_empty());
    assert_eq!(got.scope, t.test);
    assert_eq!(got.kind, A);
    assert_eq!(got.subject, kept.subject);
    assert_eq!(got.event, kept.event);
    assert_eq!(got.payload, kept.payload);
    assert_eq!(got.run_at, kept.run_at, "run_at is kept exactly");
    assert_eq!(got.attempt, 1, "the first lease is for attempt 1");
}

pub async fn scheduling_a_key_twice_keeps_the_first<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Keys", base_time()).await;
    let mut first = job(A, base_time());
    first.payload = "first".into();
    let mut again = first.clone();
    again.payload = "again".into();
    again.run_at = base_time() - Duration::hours(1);
    schedule(store, &t.test, &[&first]).await;
    schedule(store, &t.test, &[&again]).await;

    let mut one = job(A, base_time());
    one.payload = "first".into();
    let mut twin = one.clone();
    twin.payload = "again".into();
    schedule(store, &t.test, &[&one, &twin]).await;

    let mut other_kind = job(B, base_time());
    other_kind.key = first.key.clone();
    schedule(store, &t.test, &[&other_kind]).await;

    let leased = lease(store, "w", &[A, B], base_time()).await;
    assert_eq!(leased.len(), 3, "one job per kind and key: {leased:?}");
    for j in leased.iter().filter(|j| j.kind == A) {
        assert_eq!(j.payload, "first", "the key keeps the first job");
        assert_eq!(j.run_at, base_time(), "and its time");
    }
    assert!(
        leased.iter().any(|j| j.kind == B && j.key == first.key),
        "the same key under another kind is another job"
    );

    for j in &leased {
        let done = store
            .finish_job("w", &j.id, &JobEnd::Succeeded, base_time())
            .await;
        assert!(done.unwrap());
    }
    schedule(store, &t.test, &[&again]).await;
    let later = lease(store, "w", &[A, B], base_time() + Duration::hours(1)).await;
    assert!(
        later.is_empty(),
        "a key that has run is still taken: {later:?}"
    );
}

pub async fn lease_jobs_takes_only_due_jobs_of_its_kinds_earliest_first_and_each_once_per_lease<
    S: Store + ?Sized,
>(
    store: &S,
) {
    let t = tenant(store, "Leases", base_time()).await;
    let at = |s: i64| base_time() + Duration::seconds(s);
    let (a1, a2, a3) = (job(A, at(1)), job(A, at(2)), job(A, at(3)));
    let b1 = job(B, at(1));
    let later = job(A, at(3600));
    schedule(store, &t.test, &[&a3, &b1, &a1, &later, &a2]).await;

    let now = at(5);
    let first = store.lease_jobs("w1", &[A], now, LEASE, 2).await.unwrap();
    assert_eq!(
        keys(&first),
        vec![a1.key.as_str(), a2.key.as_str()],
        "up to the limit, the earliest due first"
    );
    let second = lease(store, "w2", &[A], now).await;
    assert_eq!(
        keys(&second),
        vec![a3.key.as_str()],
        "a leased job is not leased again, and a job not yet due is not leased"
    );
    assert!(lease(store, "w3", &[A], now).await.is_empty());
    let b = lease(store, "w3", &[B], now).await;
    assert_eq!(keys(&b), vec![b1.key.as_str()], "only the kinds asked for");

    // Once the leases lapse, two workers racing share the jobs out: each
    // is leased again, to one of them, as its next attempt.
    let lapsed = now + LEASE + Duration::seconds(1);
    let (x, y) = futures::join!(
        store.lease_jobs("w4", &[A], lapsed, LEASE, 100),
        store.lease_jobs("w5", &[A], lapsed, LEASE, 100)
    );
    let (x, y) = (x.unwrap(), y.unwrap());
    let mut again: Vec<_> = keys(&x).into_iter().chain(keys(&y)).collect();
    again.sort_unstable();
    let mut want = vec![a1.key.as_str(), a2.key.as_str(), a3.key.as_str()];
    want.sort_unstable();
    assert_eq!(again, want, "each lapsed job is leased once more");
    for j in x.iter().chain(&y) {
        assert_eq!(j.attempt, 2, "a lapsed lease counts as an attempt");
    }
    for (worker, leased) in [("w4", &x), ("w5", &y)] {
        for j in leased {
            let done = store
                .finish_job(worker, &j.id, &JobEnd::Succeeded, lapsed)
                .await;
            assert!(done.unwrap());
        }
    }
    let hour = lease(store, "w6", &[A], at(3600)).await;
    assert_eq!(
        keys(&hour),
        vec![later.key.as_str()],
        "a job is due at its run_at"
    );
}

pub async fn only_the_worker_holding_its_lease_ends_a_job<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Holders", base_time()).await;
    let (j, k) = (job(A, base_time()), job(A, base_time()));
    schedule(store, &t.test, &[&j, &k]).await;
    let now = base_time();
    let leased = lease(store, "w1", &[A], now).await;
    assert_eq!(leased.len(), 2);
    let id = |key: &str| leased.iter().find(|l| l.key == key).unwrap().id.clone();
    let (jid, kid) = (id(&j.key), id(&k.key));

    let end = |worker: &'static str, id: String, end: JobEnd| async move {
        store.finish_job(worker, &id, &end, now).await.unwrap()
    };
    assert!(
        !end("w2", jid.clone(), JobEnd::Succeeded).await,
        "another worker cannot end a job it does not hold"
    );
    let lapsed = now + LEASE + Duration::seconds(1);
    let taken = lease(store, "w2", &[A], lapsed).await;
    assert_eq!(taken.len(), 2, "the lease lapsed and w2 took both");
    assert!(
        !end("w1", jid.clone(), JobEnd::Succeeded).await,
        "a lapsed lease's worker cannot end the job once another holds it"
    );
    assert!(end("w2", jid.clone(), JobEnd::Failed("gone".into())).await);
    assert!(end("w2", kid.clone(), JobEnd::Succeeded).await);
    assert!(
        !end("w2", jid, JobEnd::Succeeded).await,
        "an ended job cannot be ended again"
    );
    let much_later = lease(store, "w3", &[A], now + Duration::days(30)).await;
    assert!(
        much_later.is_empty(),
        "failed and succeeded jobs are never due again: {much_later:?}"
    );
}

pub async fn a_retried_job_is_due_again_at_its_time_and_a_deferred_one_keeps_its_attempt<
    S: Store + ?Sized,
>(
    store: &S,
) {
    let t = tenant(store, "Retries", base_time()).await;
    let j = job(A, base_time());
    schedule(store, &t.test, &[&j]).await;
    let at = |m: i64| base_time() + Duration::minutes(m);
    let first = lease(store, "w1", &[A], at(0)).await;
    assert_eq!(first.len(), 1);
    let id = first[0].id.clone();
    let retry = JobEnd::RetryAt(at(10), "busy".into());
    assert!(store.finish_job("w1", &id, &retry, at(0)).await.unwrap());

    assert!(
        lease(store, "w2", &[A], at(9)).await.is_empty(),
        "not before its retry time"
    );
    let second = lease(store, "w2", &[A], at(10)).await;
    assert_eq!(keys(&second), vec![j.key.as_str()]);
    assert_eq!(second[0].id, id, "the same job");
    assert_eq!(second[0].attempt, 2);
    assert_eq!(
        second[0].run_at,
        at(10),
        "due at the time it was retried to"
    );

    store.defer_job("w2", &id, at(20)).await.unwrap();
    assert!(lease(store, "w3", &[A], at(19)).await.is_empty());
    let third = lease(store, "w3", &[A], at(20)).await;
    assert_eq!(keys(&third), vec![j.key.as_str()]);
    assert_eq!(
        third[0].attempt, 2,
        "a deferral gives its attempt back (the job never ran)"
    );

    store.defer_job("w9", &id, at(120)).await.unwrap();
    assert!(
        store
            .finish_job("w3", &id, &JobEnd::Succeeded, at(20))
            .await
            .unwrap(),
        "a deferral by a worker not holding the lease changes nothing"
    );
}
