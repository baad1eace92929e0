//! Conformance: businesses, API keys, and every table's rows kept to the
//! business and mode that wrote them.

use std::fmt::Debug;

use kassa_core::catalog::{Addon, AddonDraft, Product, TaxCategory};
use kassa_core::discount::Discount;
use kassa_core::id::{AddonId, ApiKeyId, ProductId};
use kassa_core::link::{ShortLink, Slug};
use kassa_core::money::{Amount, Currency};
use kassa_core::payment::PaymentStatus;
use kassa_core::tenancy::{ApiKey, Mode, Scope};
use kassa_core::webhook::WebhookEndpoint;
use time::Duration;

use super::{
    base_time, conflict, customer, endpoint, limited_code, monthly, one_time, payment, product,
    saved_card, session, tenant,
};
use crate::{Changes, Conflict, Filter, Guard, Record, Records, Store, Table};

pub async fn businesses_are_listed_oldest_first<S: Store + ?Sized>(store: &S) {
    let t0 = base_time();
    let later = tenant(store, "Later", t0 + Duration::hours(1)).await;
    let earlier = tenant(store, "Earlier", t0).await;
    let listed = store.list_businesses().await.expect("list businesses");
    let ids: Vec<_> = listed.iter().map(|b| b.id.clone()).collect();
    assert_eq!(
        ids,
        vec![earlier.business.id.clone(), later.business.id.clone()]
    );
    assert_eq!(
        listed[0], earlier.business,
        "a business round-trips unchanged"
    );
    let got = store.get_business(&later.business.id).await.unwrap();
    assert_eq!(got, Some(later.business));
}

pub async fn api_keys_are_found_by_hash_only<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Keys", base_time()).await;
    let key = ApiKey {
        id: ApiKeyId::generate(),
        business: t.business.id.clone(),
        mode: Mode::Live,
        secret_hash: "ab".repeat(32),
        display_prefix: "sk_live_abcd".to_owned(),
        created_at: base_time(),
        revoked_at: None,
        last_used_at: None,
    };
    store.insert_api_key(&key).await.expect("insert key");
    let found = store
        .find_api_key(&key.secret_hash)
        .await
        .expect("find key");
    assert_eq!(found, Some(key.clone()));
    assert_eq!(found.unwrap().scope(), t.live);
    let missing = store
        .find_api_key(&"cd".repeat(32))
        .await
        .expect("find key");
    assert_eq!(missing, None, "an unknown hash finds no key");
}

pub async fn a_revoked_key_keeps_its_first_revocation_and_only_its_business_can_revoke_it<
    S: Store + ?Sized,
>(
    store: &S,
) {
    let t = tenant(store, "Revoked", base_time()).await;
    let other = tenant(store, "Other", base_time()).await;
    let key = ApiKey {
        id: ApiKeyId::generate(),
        business: t.business.id.clone(),
        mode: Mode::Test,
        secret_hash: "ef".repeat(32),
        display_prefix: "sk_test_efgh".to_owned(),
        created_at: base_time(),
        revoked_at: None,
        last_used_at: None,
    };
    store.insert_api_key(&key).await.expect("insert key");
    let foreign = store
        .revoke_api_key(&other.business.id, &key.id, base_time())
        .await
        .expect("revoke");
    assert_eq!(foreign, None, "another business cannot revoke the key");
    let used = base_time() + time::Duration::minutes(1);
    store.touch_api_key(&key.id, used).await.expect("touch");
    let first = base_time() + time::Duration::minutes(2);
    let revoked = store
        .revoke_api_key(&t.business.id, &key.id, first)
        .await
        .expect("revoke")
        .expect("the key");
    assert_eq!(revoked.revoked_at, Some(first));
    assert_eq!(revoked.last_used_at, Some(used));
    let again = store
        .revoke_api_key(&t.business.id, &key.id, first + time::Duration::hours(1))
        .await
        .expect("revoke")
        .expect("the key");
    assert_eq!(again.revoked_at, Some(first), "the first revocation stands");
    let found = store.find_api_key(&key.secret_hash).await.expect("find");
    assert_eq!(found, Some(again.clone()));
    let listed = store.list_api_keys(&t.business.id).await.expect("list");
    assert_eq!(listed, vec![again]);
    assert!(
        store
            .list_api_keys(&other.business.id)
            .await
            .expect("list")
            .is_empty()
    );
}

/// Every read, write and guard from each `foreign` scope acts as if the
/// record did not exist, and leaves it as it was.
async fn unreachable_from<S, R>(store: &S, home: &Scope, foreign: &[&Scope], record: &R)
where
    S: Store + ?Sized,
    R: Record + PartialEq + Debug,
{
    let (table, id) = (R::TABLE, record.id());
    let (_, version) = store
        .get_versioned::<R>(home, id)
        .await
        .unwrap()
        .expect("stored in its own scope");
    let missing = Conflict::Missing {
        table,
        id: id.to_owned(),
    };
    for scope in foreign {
        let what = format!("{} {id} from {scope:?}", table.name());
        assert_eq!(store.get::<R>(scope, id).await.unwrap(), None, "{what}");
        let listed = store.list::<R>(scope, &Filter::new(), None).await.unwrap();
        assert!(!listed.iter().any(|r| r.id() == id), "{what}: listed");
        assert_eq!(
            conflict(store.update(scope, record).await),
            missing,
            "{what}"
        );
        let guarded = Changes::new().update_from(record, version);
        assert_eq!(
            conflict(store.commit(scope, guarded).await),
            missing,
            "{what}"
        );
        let delete = Changes::new().delete::<R>(id);
        assert_eq!(
            conflict(store.commit(scope, delete).await),
            missing,
            "{what}"
        );
        let unchanged = Changes::new().guard(Guard::Unchanged {
            table,
            id: id.to_owned(),
            version,
        });
        assert_eq!(
            conflict(store.commit(scope, unchanged).await),
            missing,
            "{what}"
        );
        let none_here = Changes::new().guard(Guard::Fewer {
            table,
            filter: Filter::new().eq("id", id),
            limit: 1,
        });
        store
            .commit(scope, none_here)
            .await
            .unwrap_or_else(|e| panic!("{what}: another scope's rows are not counted: {e:?}"));
    }
    let after = store.get_versioned::<R>(home, id).await.unwrap();
    let what = format!("{} {id}", table.name());
    assert_eq!(
        after.as_ref().map(|(r, _)| r),
        Some(record),
        "{what}: refused foreign writes changed nothing"
    );
    assert_eq!(
        after.map(|(_, v)| v),
        Some(version),
        "{what}: nor its version"
    );
}

pub async fn objects_are_invisible_outside_their_business_and_mode<S: Store + ?Sized>(store: &S) {
    let a = tenant(store, "A", base_time()).await;
    let b = tenant(store, "B", base_time()).await;
    let home = &a.test;
    let foreign = [&b.test, &a.live, &b.live];

    let p = product(&a, "Only A test", monthly(500), base_time());
    let addon = Addon::create(
        AddonId::generate(),
        a.business.id.clone(),
        AddonDraft {
            name: "Stickers".into(),
            description: None,
            price: Amount::new("price", 300).unwrap(),
            currency: Currency::JPY,
            tax_category: TaxCategory::DigitalProducts,
        },
        base_time(),
    )
    .unwrap();
    let c = customer(&a, "a@example.com", "Ada", base_time());
    let d = limited_code(&a, "SCOPED", 5);
    let s = session(&a);
    let pay = payment(&a, &s, PaymentStatus::Succeeded, &p.id);
    let link = ShortLink {
        slug: Slug::mint(),
        business: a.business.id.clone(),
        product: Some(p.id.clone()),
        target: format!("/buy/{}", p.id),
        created_at: base_time(),
    };
    let method = saved_card(&a, &c.id, "4242");
    let hook = endpoint(vec![]);
    let everything = Changes::new()
        .insert(&p)
        .insert(&addon)
        .insert(&c)
        .insert(&d)
        .insert(&s)
        .insert(&pay)
        .insert(&link)
        .insert(&method)
        .insert(&hook);
    store.commit(home, everything).await.expect("one of each");

    unreachable_from(store, home, &foreign, &a.test_brand).await;
    unreachable_from(store, home, &foreign, &p).await;
    unreachable_from(store, home, &foreign, &addon).await;
    unreachable_from(store, home, &foreign, &c).await;
    unreachable_from(store, home, &foreign, &d).await;
    unreachable_from(store, home, &foreign, &s).await;
    unreachable_from(store, home, &foreign, &pay).await;
    unreachable_from(store, home, &foreign, &link).await;
    unreachable_from(store, home, &foreign, &method).await;
    unreachable_from(store, home, &foreign, &hook).await;

    for scope in foreign {
        let used = Changes::new().use_one::<Discount>(d.id.as_str(), "times_used", "usage_limit");
        let missing = Conflict::Missing {
            table: Table::Discounts,
            id: d.id.to_string(),
        };
        assert_eq!(conflict(store.commit(scope, used).await), missing);
        let released = Changes::new().release_one::<Discount>(d.id.as_str(), "times_used");
        assert_eq!(conflict(store.commit(scope, released).await), missing);
        assert_eq!(store.get_product(scope, &p.id).await.unwrap(), None);
    }
    let untouched = store.get::<Discount>(home, d.id.as_str()).await.unwrap();
    assert_eq!(
        untouched.map(|d| d.times_used),
        Some(0),
        "no foreign use counted"
    );
    assert_eq!(store.get_product(home, &p.id).await.unwrap(), Some(p));
}

pub async fn a_row_is_found_by_id_alone_with_the_scope_that_holds_it<S: Store + ?Sized>(store: &S) {
    let a = tenant(store, "Finder A", base_time()).await;
    let b = tenant(store, "Finder B", base_time()).await;
    let p = product(&a, "Live product", one_time(700), base_time());
    store.insert(&a.live, &p).await.unwrap();
    let d = limited_code(&b, "FOUNDME", 3);
    store.insert(&b.test, &d).await.unwrap();
    let hook = endpoint(vec![]);
    store.insert(&b.live, &hook).await.unwrap();

    let found = store.find::<Product>(p.id.as_str()).await.unwrap();
    assert_eq!(found, Some((a.live.clone(), p.clone())));
    let found = store
        .find_versioned::<Discount>(d.id.as_str())
        .await
        .unwrap();
    let (scope, got, version) = found.expect("the discount is found");
    assert_eq!((scope, got), (b.test.clone(), d.clone()));
    let at_home = store
        .get_versioned::<Discount>(&b.test, d.id.as_str())
        .await;
    assert_eq!(
        at_home.unwrap().map(|(_, v)| v),
        Some(version),
        "the same version"
    );
    let found = store
        .find::<WebhookEndpoint>(hook.id.as_str())
        .await
        .unwrap();
    assert_eq!(found, Some((b.live.clone(), hook)));

    let row = store
        .find_row(Table::Products, p.id.as_str())
        .await
        .unwrap();
    assert_eq!(row.map(|(scope, _)| scope), Some(a.live.clone()));
    assert_eq!(
        store
            .find_row(Table::Discounts, p.id.as_str())
            .await
            .unwrap(),
        None,
        "an id is looked up in its own table only"
    );
    let unknown = ProductId::generate();
    assert_eq!(store.find::<Product>(unknown.as_str()).await.unwrap(), None);
}
