//! The SQLite writer's promises: concurrent writes share commits, a failing
//! write is rolled back alone, and everything acknowledged survives a reopen.

use kassa_core::catalog::{Product, ProductFilter};
use kassa_core::customer::Customer;
use kassa_store::conformance::{base_time, conflict, customer, one_time, page, product, tenant};
use kassa_store::{Changes, Conflict, Filter, RecordStore, Records, Table, filters};
use kassa_store_sqlite::SqliteStore;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writes_share_commits_and_survive_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kassa.db");
    let store = SqliteStore::open(&path).unwrap();
    let t = tenant(&store, "Batch", base_time()).await;
    let before = store.commits();

    let products: Vec<_> = (0..200)
        .map(|i| product(&t, &format!("B{i}"), one_time(i + 1), base_time()))
        .collect();
    let writes = products.iter().map(|p| store.insert(&t.test, p));
    for result in futures::future::join_all(writes).await {
        result.unwrap();
    }
    let commits = store.commits() - before;
    assert!(
        commits <= 100,
        "200 concurrent writes took {commits} commits; group commit should batch them"
    );
    drop(store);

    let reopened = SqliteStore::open(&path).unwrap();
    let all = filters::products(&ProductFilter::default());
    let mut seen = 0;
    for number in 0..3 {
        seen += reopened
            .list::<Product>(&t.test, &all, Some(page(number, 100)))
            .await
            .unwrap()
            .len();
    }
    assert_eq!(seen, 200, "every acknowledged write is on disk");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_write_in_a_batch_fails_alone() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("kassa.db")).unwrap();
    let t = tenant(&store, "Mixed", base_time()).await;
    let good: Vec<_> = (0..20)
        .map(|i| product(&t, &format!("G{i}"), one_time(100), base_time()))
        .collect();
    // The same product twice: the second insert breaks the primary key
    // (a lone insert, without a savepoint of its own).
    let dup = good[0].clone();
    // A change of several steps whose last fails: its savepoint must undo
    // its first step without touching the rest of the batch.
    let stray = customer(&t, "stray@example.com", "Stray", base_time());
    let ghost = product(&t, "Ghost", one_time(100), base_time());
    let broken = Changes::new().insert(&stray).update(&ghost);

    let mut writes: Vec<_> = good.iter().map(|p| store.insert(&t.test, p)).collect();
    writes.push(store.insert(&t.test, &dup));
    let (results, refused) = futures::join!(
        futures::future::join_all(writes),
        store.commit(&t.test, broken)
    );
    let failed: Vec<_> = results.into_iter().filter_map(Result::err).collect();
    assert_eq!(failed.len(), 1, "exactly the duplicate fails: {failed:?}");
    assert_eq!(
        conflict(Err::<(), _>(failed.into_iter().next().unwrap())),
        Conflict::Exists {
            table: Table::Products,
            id: dup.id.to_string(),
        }
    );
    assert_eq!(
        conflict(refused),
        Conflict::Missing {
            table: Table::Products,
            id: ghost.id.to_string(),
        }
    );
    let listed = store
        .list::<Product>(&t.test, &Filter::new(), None)
        .await
        .unwrap();
    assert_eq!(listed.len(), 20, "the rest of the batch committed");
    let customers = store
        .list::<Customer>(&t.test, &Filter::new(), None)
        .await
        .unwrap();
    assert!(customers.is_empty(), "the failed change left nothing");
}
