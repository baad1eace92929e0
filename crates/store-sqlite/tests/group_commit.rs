//! The SQLite writer's promises: concurrent writes share commits, a failing
//! write is rolled back alone, and everything acknowledged survives a reopen.

use kassa_core::catalog::ProductFilter;
use kassa_store::conformance::{base_time, one_time, page, product, tenant};
use kassa_store::{DiscountStore, ProductStore, StoreError};
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
    let writes = products.iter().map(|p| store.insert_product(&t.test, p));
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
    let mut seen = 0;
    for number in 0..3 {
        seen += reopened
            .list_products(&t.test, &ProductFilter::default(), page(number, 100))
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
    // The same product twice: the second insert breaks the primary key.
    let dup = good[0].clone();
    let mut writes: Vec<_> = good
        .iter()
        .map(|p| store.insert_product(&t.test, p))
        .collect();
    writes.push(store.insert_product(&t.test, &dup));
    let results = futures::future::join_all(writes).await;
    let failed = results.iter().filter(|r| r.is_err()).count();
    assert_eq!(failed, 1, "exactly the duplicate fails: {results:?}");
    let listed = store
        .list_products(&t.test, &ProductFilter::default(), page(0, 100))
        .await
        .unwrap();
    assert_eq!(listed.len(), 20, "the rest of the batch committed");
    let err = store
        .delete_discount(&t.test, &kassa_core::id::DiscountId::generate())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound));
}
