//! Conformance: the generic writes and their conflicts — taken ids, missing
//! rows, versions and the two guards — each refusing the whole change.

use kassa_core::catalog::{Brand, Product};
use kassa_core::customer::Customer;
use kassa_core::discount::Discount;

use super::{base_time, conflict, customer, limited_code, one_time, product, tenant};
use crate::{Changes, Conflict, Filter, Guard, Records, Store, Table};

pub async fn inserting_a_taken_id_is_refused_as_exists_in_any_scope<S: Store + ?Sized>(store: &S) {
    let a = tenant(store, "Owner", base_time()).await;
    let b = tenant(store, "Squatter", base_time()).await;
    let p = product(&a, "Original", one_time(100), base_time());
    store.insert(&a.test, &p).await.expect("insert");
    let exists = Conflict::Exists {
        table: Table::Products,
        id: p.id.to_string(),
    };
    let mut twin = p.clone();
    twin.name = "Twin".into();
    for scope in [&a.test, &a.live, &b.test] {
        let refused = conflict(store.insert(scope, &twin).await);
        assert_eq!(refused, exists, "ids are unique across scopes: {scope:?}");
    }

    let c = customer(&a, "early@example.com", "Early step", base_time());
    let change = Changes::new().insert(&c).insert(&twin);
    assert_eq!(conflict(store.commit(&a.test, change).await), exists);
    let customer = store.get::<Customer>(&a.test, c.id.as_str()).await.unwrap();
    assert_eq!(customer, None, "the step before the taken id is undone");

    let fresh = product(&a, "Fresh", one_time(100), base_time());
    let twice = Changes::new().insert(&fresh).insert(&fresh);
    let refused = conflict(store.commit(&a.test, twice).await);
    assert_eq!(
        refused,
        Conflict::Exists {
            table: Table::Products,
            id: fresh.id.to_string(),
        },
        "an id inserted twice in one change is taken by its first insert"
    );
    assert_eq!(
        store
            .get::<Product>(&a.test, fresh.id.as_str())
            .await
            .unwrap(),
        None
    );

    let found = store.find::<Product>(p.id.as_str()).await.unwrap();
    assert_eq!(
        found,
        Some((a.test.clone(), p)),
        "the original is untouched"
    );
    let theirs = store.list::<Product>(&b.test, &Filter::new(), None).await;
    assert!(theirs.unwrap().is_empty());
}

pub async fn writing_a_missing_row_is_refused_as_missing_and_writes_nothing<S: Store + ?Sized>(
    store: &S,
) {
    let t = tenant(store, "Missing", base_time()).await;
    let ghost = product(&t, "Ghost", one_time(100), base_time());
    let id = ghost.id.to_string();
    let missing = Conflict::Missing {
        table: Table::Products,
        id: id.clone(),
    };
    assert_eq!(conflict(store.update(&t.test, &ghost).await), missing);
    let guarded = Changes::new().update_from(&ghost, 0);
    assert_eq!(conflict(store.commit(&t.test, guarded).await), missing);
    let delete = Changes::new().delete::<Product>(&id);
    assert_eq!(conflict(store.commit(&t.test, delete).await), missing);
    let unchanged = Changes::new().guard(Guard::Unchanged {
        table: Table::Products,
        id: id.clone(),
        version: 0,
    });
    assert_eq!(conflict(store.commit(&t.test, unchanged).await), missing);

    let code = limited_code(&t, "NOWHERE", 3);
    let no_code = Conflict::Missing {
        table: Table::Discounts,
        id: code.id.to_string(),
    };
    let used = Changes::new().use_one::<Discount>(code.id.as_str(), "times_used", "usage_limit");
    assert_eq!(conflict(store.commit(&t.test, used).await), no_code);
    let released = Changes::new().release_one::<Discount>(code.id.as_str(), "times_used");
    assert_eq!(conflict(store.commit(&t.test, released).await), no_code);

    let c = customer(&t, "before@example.com", "Before", base_time());
    let change = Changes::new().insert(&c).update(&ghost);
    assert_eq!(conflict(store.commit(&t.test, change).await), missing);
    assert_eq!(
        store.get::<Customer>(&t.test, c.id.as_str()).await.unwrap(),
        None
    );
    assert_eq!(store.get::<Product>(&t.test, &id).await.unwrap(), None);
    assert_eq!(store.get_product(&t.test, &ghost.id).await.unwrap(), None);
    assert_eq!(store.find::<Product>(&id).await.unwrap(), None);
}

pub async fn a_stale_version_refuses_the_whole_change<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Stale", base_time()).await;
    let mut p = product(&t, "First", one_time(100), base_time());
    store.insert(&t.test, &p).await.unwrap();
    let (_, v0) = store
        .get_versioned::<Product>(&t.test, p.id.as_str())
        .await
        .unwrap()
        .unwrap();
    p.name = "Second".into();
    store.update(&t.test, &p).await.unwrap();
    p.name = "Third".into();
    let current = Changes::new().update_from(&p, v0 + 1);
    store
        .commit(&t.test, current)
        .await
        .expect("at the version read");

    let c = customer(&t, "side@example.com", "Side effect", base_time());
    let mut stale = p.clone();
    stale.name = "Lost update".into();
    let change = Changes::new().insert(&c).update_from(&stale, v0 + 1);
    let refused = conflict(store.commit(&t.test, change).await);
    assert_eq!(
        refused,
        Conflict::Changed {
            table: Table::Products,
            id: p.id.to_string(),
        }
    );
    let now = store.get_versioned::<Product>(&t.test, p.id.as_str()).await;
    assert_eq!(
        now.unwrap(),
        Some((p.clone(), v0 + 2)),
        "the newer write stands"
    );
    assert_eq!(store.get_product(&t.test, &p.id).await.unwrap(), Some(p));
    let side = store.get::<Customer>(&t.test, c.id.as_str()).await.unwrap();
    assert_eq!(side, None, "the change's other steps are undone");
}

pub async fn every_write_of_a_row_advances_its_version_by_one<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Versions", base_time()).await;
    let mut c = customer(&t, "v@example.com", "Versioned", base_time());
    let bystander = customer(&t, "b@example.com", "Bystander", base_time());
    store
        .commit(&t.test, Changes::new().insert(&c).insert(&bystander))
        .await
        .unwrap();
    let scope = &t.test;
    let version = |id: String| async move {
        let row = store.get_row(Table::Customers, scope, &id).await.unwrap();
        row.expect("stored").version
    };
    let (v0, b0) = (
        version(c.id.to_string()).await,
        version(bystander.id.to_string()).await,
    );

    c.name = "Updated".into();
    store.update(&t.test, &c).await.unwrap();
    assert_eq!(version(c.id.to_string()).await, v0 + 1, "an update");
    c.name = "Updated again".into();
    let guarded = Changes::new().update_from(&c, v0 + 1);
    store.commit(&t.test, guarded).await.unwrap();
    assert_eq!(version(c.id.to_string()).await, v0 + 2, "a guarded update");
    let stale = Changes::new().update_from(&c, v0);
    conflict(store.commit(&t.test, stale).await);
    assert_eq!(version(c.id.to_string()).await, v0 + 2, "a refused update");
    let held = Changes::new().guard(Guard::Unchanged {
        table: Table::Customers,
        id: c.id.to_string(),
        version: v0 + 2,
    });
    store.commit(&t.test, held).await.unwrap();
    assert_eq!(
        version(c.id.to_string()).await,
        v0 + 2,
        "a guard writes nothing"
    );
    assert_eq!(
        version(bystander.id.to_string()).await,
        b0,
        "other rows keep theirs"
    );

    let code = limited_code(&t, "COUNTED", 5);
    store.insert(&t.test, &code).await.unwrap();
    let id = code.id.as_str();
    let versioned = || async move {
        let (_, v) = store
            .get_versioned::<Discount>(scope, id)
            .await
            .unwrap()
            .unwrap();
        v
    };
    let d0 = versioned().await;
    let used = Changes::new().use_one::<Discount>(id, "times_used", "usage_limit");
    store.commit(&t.test, used).await.unwrap();
    assert_eq!(versioned().await, d0 + 1, "a counted use");
    let released = Changes::new().release_one::<Discount>(id, "times_used");
    store.commit(&t.test, released).await.unwrap();
    assert_eq!(versioned().await, d0 + 2, "a released use");
}

pub async fn an_unchanged_guard_holds_only_at_the_version_it_read<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Unchanged", base_time()).await;
    let id = t.test_brand.id.to_string();
    let (mut brand, v) = store
        .get_versioned::<Brand>(&t.test, &id)
        .await
        .unwrap()
        .unwrap();
    let guard = |version| Guard::Unchanged {
        table: Table::Brands,
        id: id.clone(),
        version,
    };
    let first = customer(&t, "first@example.com", "First", base_time());
    let held = Changes::new().guard(guard(v)).insert(&first);
    store
        .commit(&t.test, held)
        .await
        .expect("the brand is as read");
    assert!(
        store
            .get::<Customer>(&t.test, first.id.as_str())
            .await
            .unwrap()
            .is_some()
    );
    let after = store.get_versioned::<Brand>(&t.test, &id).await.unwrap();
    assert_eq!(after, Some((brand.clone(), v)), "a guard changes nothing");

    brand.description = Some("edited meanwhile".into());
    store.update(&t.test, &brand).await.unwrap();
    let second = customer(&t, "second@example.com", "Second", base_time());
    let broken = Changes::new().insert(&second).guard(guard(v));
    let refused = conflict(store.commit(&t.test, broken).await);
    assert_eq!(
        refused,
        Conflict::Changed {
            table: Table::Brands,
            id: id.clone(),
        }
    );
    let second_stored = store.get::<Customer>(&t.test, second.id.as_str()).await;
    assert_eq!(second_stored.unwrap(), None, "refused with its inserts");
    let again = Changes::new().insert(&second).guard(guard(v + 1));
    store
        .commit(&t.test, again)
        .await
        .expect("at the new version");
}

pub async fn a_fewer_guard_refuses_at_its_limit_counting_matching_rows_of_the_scope<
    S: Store + ?Sized,
>(
    store: &S,
) {
    let t = tenant(store, "Fewer", base_time()).await;
    let other = tenant(store, "Elsewhere", base_time()).await;
    let active = Filter::new().eq("archived", false);
    let fewer = |limit| Guard::Fewer {
        table: Table::Products,
        filter: active.clone(),
        limit,
    };
    let mut archived = product(&t, "Archived", one_time(100), base_time());
    archived.archived = true;
    store.insert(&t.test, &archived).await.unwrap();
    let live = product(&t, "Live mode", one_time(100), base_time());
    store.insert(&t.live, &live).await.unwrap();
    let theirs = product(&other, "Theirs", one_time(100), base_time());
    store.insert(&other.test, &theirs).await.unwrap();

    let [p1, p2, p3] = ["P1", "P2", "P3"].map(|n| product(&t, n, one_time(100), base_time()));
    for p in [&p1, &p2] {
        let change = Changes::new().guard(fewer(2)).insert(p);
        store
            .commit(&t.test, change)
            .await
            .expect("under the limit: unmatched and other scopes' rows do not count");
    }
    let too_many = Conflict::TooMany {
        table: Table::Products,
    };
    let third = Changes::new().guard(fewer(2)).insert(&p3);
    assert_eq!(conflict(store.commit(&t.test, third).await), too_many);
    assert_eq!(
        store.get::<Product>(&t.test, p3.id.as_str()).await.unwrap(),
        None
    );
    let counted_after = Changes::new().insert(&p3).guard(fewer(3));
    assert_eq!(
        conflict(store.commit(&t.test, counted_after).await),
        too_many,
        "a guard after an insert counts the row the change just wrote"
    );
    assert_eq!(
        store.get::<Product>(&t.test, p3.id.as_str()).await.unwrap(),
        None
    );
    let counted_before = Changes::new().guard(fewer(3)).insert(&p3);
    store.commit(&t.test, counted_before).await.unwrap();

    let nothing = Changes::new().guard(Guard::Fewer {
        table: Table::Products,
        filter: Filter::new(),
        limit: 0,
    });
    assert_eq!(
        conflict(store.commit(&other.live, nothing).await),
        too_many,
        "no row is fewer than zero"
    );
}
