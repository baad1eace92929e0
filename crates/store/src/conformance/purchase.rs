//! Conformance: a purchase as one change — customer, counted discount
//! uses, saved card, payment, completed session and event — committed
//! whole or refused whole, and racing purchases for a code's last use.

use kassa_core::checkout::CheckoutSession;
use kassa_core::customer::Customer;
use kassa_core::discount::Discount;
use kassa_core::id::DiscountId;
use kassa_core::payment::{Payment, PaymentStatus, SavedMethod};
use kassa_core::webhook::{Event, EventType};
use time::Duration;

use super::{
    Tenant, base_time, conflict, customer, endpoint, limited_code, payment, session, tenant,
};
use crate::{Changes, Conflict, Filter, Records, Store, Table};

/// Everything a purchase writes.
pub(super) struct Purchase {
    pub payment: Payment,
    pub new_customer: Option<Customer>,
    /// The session as completed by the purchase.
    pub session: CheckoutSession,
    /// The version of the session the purchase read.
    pub session_version: u64,
    pub saved_method: Option<SavedMethod>,
    pub discounts: Vec<DiscountId>,
    pub event: Event,
}

impl Purchase {
    /// The change the app commits for it.
    pub fn changes(&self) -> Changes {
        let mut changes = Changes::new();
        if let Some(c) = &self.new_customer {
            changes = changes.insert(c);
        }
        for id in &self.discounts {
            changes = changes.use_one::<Discount>(id.as_str(), "times_used", "usage_limit");
        }
        if let Some(m) = &self.saved_method {
            changes = changes.insert(m);
        }
        changes
            .insert(&self.payment)
            .update_from(&self.session, self.session_version)
            .emit(self.event.clone())
    }
}

/// A succeeded purchase of `s` (stored at `version`) by a new customer.
pub(super) fn purchase(
    t: &Tenant,
    s: &CheckoutSession,
    version: u64,
    discounts: Vec<DiscountId>,
) -> Purchase {
    let mut p = payment(t, s, PaymentStatus::Succeeded, &s.cart[0].product);
    let email = format!("{}@example.com", p.id.as_str().to_lowercase());
    let mut buyer = customer(t, &email, "Buyer", base_time());
    buyer.id = p.customer.clone();
    p.discounts = discounts.clone();
    let mut done = s.clone();
    done.payment = Some(p.id.clone());
    done.completed_at = Some(base_time() + Duration::minutes(1));
    let event = Event::payment(EventType::PaymentSucceeded, &p.id, base_time());
    Purchase {
        payment: p,
        new_customer: Some(buyer),
        session: done,
        session_version: version,
        saved_method: None,
        discounts,
        event,
    }
}

/// Stores a new open session; returns it with its version.
pub(super) async fn open_session<S: Store + ?Sized>(
    store: &S,
    t: &Tenant,
) -> (CheckoutSession, u64) {
    let s = session(t);
    store.insert(&t.test, &s).await.unwrap();
    let (_, version) = store
        .get_versioned::<CheckoutSession>(&t.test, s.id.as_str())
        .await
        .unwrap()
        .unwrap();
    (s, version)
}

pub async fn a_purchase_commits_everything_or_nothing<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Atomic", base_time()).await;
    let hook = endpoint(vec![]);
    store.insert(&t.test, &hook).await.unwrap();
    let code = limited_code(&t, "ONCEONLY", 1);
    store.insert(&t.test, &code).await.unwrap();

    let (s1, v1) = open_session(store, &t).await;
    let first = purchase(&t, &s1, v1, vec![code.id.clone()]);
    store
        .commit(&t.test, first.changes())
        .await
        .expect("first purchase");
    let used = store.get::<Discount>(&t.test, code.id.as_str()).await;
    assert_eq!(used.unwrap().unwrap().times_used, 1, "the use was counted");
    let stored = store.get::<CheckoutSession>(&t.test, s1.id.as_str()).await;
    assert_eq!(stored.unwrap(), Some(first.session.clone()), "completed");
    let paid = store
        .get::<Payment>(&t.test, first.payment.id.as_str())
        .await;
    assert_eq!(paid.unwrap(), Some(first.payment.clone()));
    let buyer = store
        .get::<Customer>(&t.test, first.payment.customer.as_str())
        .await;
    assert_eq!(buyer.unwrap(), first.new_customer);
    let log = store
        .list_deliveries(&t.test, &hook.id, None, 10)
        .await
        .unwrap();
    assert_eq!(log.len(), 1, "its event went out with it");
    assert_eq!(log[0].key.event, first.event.id);

    // The same session again, from the version read before the first.
    let again = purchase(&t, &s1, v1, vec![]);
    assert_eq!(
        conflict(store.commit(&t.test, again.changes()).await),
        Conflict::Changed {
            table: Table::CheckoutSessions,
            id: s1.id.to_string(),
        },
        "a session is completed once"
    );

    let (s2, v2) = open_session(store, &t).await;
    let second = purchase(&t, &s2, v2, vec![code.id.clone()]);
    assert_eq!(
        conflict(store.commit(&t.test, second.changes()).await),
        Conflict::UsedUp {
            table: Table::Discounts,
            id: code.id.to_string(),
        }
    );
    for refused in [&again, &second] {
        let paid = store
            .get::<Payment>(&t.test, refused.payment.id.as_str())
            .await;
        assert_eq!(paid.unwrap(), None, "a refused purchase leaves no payment");
    }
    let customers = store.list::<Customer>(&t.test, &Filter::new(), None).await;
    assert_eq!(customers.unwrap().len(), 1, "nor a customer");
    let open = store.get::<CheckoutSession>(&t.test, s2.id.as_str()).await;
    assert_eq!(open.unwrap(), Some(s2), "nor a completed session");
    let log = store
        .list_deliveries(&t.test, &hook.id, None, 10)
        .await
        .unwrap();
    assert_eq!(log.len(), 1, "nor an event");
    let used = store.get::<Discount>(&t.test, code.id.as_str()).await;
    assert_eq!(used.unwrap().unwrap().times_used, 1, "nor a use");
}

pub async fn racing_purchases_for_the_last_use_of_a_code_let_one_win<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Race", base_time()).await;
    let code = limited_code(&t, "LASTONE", 1);
    store.insert(&t.test, &code).await.unwrap();
    let mut purchases = Vec::new();
    for _ in 0..8 {
        let (s, v) = open_session(store, &t).await;
        purchases.push(purchase(&t, &s, v, vec![code.id.clone()]));
    }
    let results =
        futures::future::join_all(purchases.iter().map(|p| store.commit(&t.test, p.changes())))
            .await;
    let won = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(won, 1, "{results:?}");
    let used_up = Conflict::UsedUp {
        table: Table::Discounts,
        id: code.id.to_string(),
    };
    for lost in results.into_iter().filter(|r| r.is_err()) {
        assert_eq!(conflict(lost), used_up);
    }
    let d = store.get::<Discount>(&t.test, code.id.as_str()).await;
    assert_eq!(d.unwrap().unwrap().times_used, 1);
    let payments = store.list::<Payment>(&t.test, &Filter::new(), None).await;
    assert_eq!(payments.unwrap().len(), 1, "one payment, the winner's");
}
