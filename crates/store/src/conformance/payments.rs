//! Conformance: payments and the all-or-nothing purchase commit.

use kassa_core::checkout::{BillingAddress, CheckoutSession};
use kassa_core::country::Country;
use kassa_core::customer::{Customer, CustomerDraft, CustomerFilter};
use kassa_core::discount::{CustomerEligibility, Discount, DiscountDraft, DiscountType};
use kassa_core::id::{CustomerId, DiscountId, PaymentId, PaymentMethodId, ProductId};
use kassa_core::metadata::Metadata;
use kassa_core::money::Currency;
use kassa_core::payment::{
    CardSummary, Payment, PaymentFilter, PaymentLine, PaymentStatus, SavedMethod,
};
use time::Duration;

use super::checkout::session;
use super::{Tenant, base_time, page, tenant};
use crate::{Purchase, Store, StoreError};

fn payment(t: &Tenant, s: &CheckoutSession, status: PaymentStatus, product: &ProductId) -> Payment {
    Payment {
        id: PaymentId::generate(),
        business: t.business.id.clone(),
        brand: t.test_brand.id.clone(),
        checkout_session: Some(s.id.clone()),
        customer: CustomerId::generate(),
        status,
        currency: Currency::USD,
        total_amount: 1_190,
        tax: 190,
        lines: vec![PaymentLine {
            product: product.clone(),
            name: "Thing".into(),
            description: None,
            quantity: 1,
            amount: 1_190,
            tax: 190,
        }],
        discounts: vec![],
        billing: BillingAddress {
            country: Country::parse("DE").unwrap(),
            street: None,
            city: None,
            state: None,
            zipcode: None,
        },
        metadata: Metadata::default(),
        payment_method_type: Some("credit".into()),
        card: None,
        saved_method: None,
        provider: "test".into(),
        processor_reference: None,
        challenge: None,
        challenged_card_token: None,
        error_code: None,
        error_message: None,
        custom_field_responses: vec![],
        tax_id: None,
        customer_business_name: None,
        created_at: base_time(),
        updated_at: base_time(),
    }
}

pub(super) fn limited_code(t: &Tenant, code: &str, limit: i64) -> Discount {
    let draft = DiscountDraft {
        code: Some(code.into()),
        name: None,
        discount_type: DiscountType::Percentage,
        amount: 500,
        currency_options: vec![],
        starts_at: None,
        expires_at: None,
        usage_limit: Some(limit),
        per_customer_usage_limit: None,
        restricted_to: vec![],
        subscription_cycles: None,
        preserve_on_plan_change: false,
        customer_eligibility: CustomerEligibility::Any,
        metadata: Metadata::default(),
    };
    Discount::create(
        DiscountId::generate(),
        t.business.id.clone(),
        draft,
        base_time(),
    )
    .unwrap()
}

pub(super) fn purchase(t: &Tenant, s: &CheckoutSession, discounts: Vec<DiscountId>) -> Purchase {
    let mut p = payment(t, s, PaymentStatus::Succeeded, &s.cart[0].product);
    let customer = Customer::create(
        p.customer.clone(),
        t.business.id.clone(),
        CustomerDraft {
            email: format!("{}@example.com", p.id.as_str().to_lowercase()),
            name: "Buyer".into(),
            phone_number: None,
            metadata: Metadata::default(),
        },
        base_time(),
    )
    .unwrap();
    p.discounts = discounts.clone();
    let mut done = s.clone();
    done.payment = Some(p.id.clone());
    done.completed_at = Some(base_time() + Duration::minutes(1));
    Purchase {
        payment: p,
        new_customer: Some(customer),
        session: done,
        saved_method: None,
        discounts,
        events: Vec::new(),
    }
}

pub async fn payments_round_trip_and_list_by_every_filter<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Pay", base_time()).await;
    let s = session(&t);
    let product = s.cart[0].product.clone();
    let mut failed = payment(&t, &s, PaymentStatus::Failed, &product);
    let ok = payment(&t, &s, PaymentStatus::Succeeded, &ProductId::generate());
    store
        .insert_payment(&t.test, &failed, &[])
        .await
        .expect("insert");
    store
        .insert_payment(&t.test, &ok, &[])
        .await
        .expect("insert");
    assert_eq!(
        store.get_payment(&t.test, &ok.id).await.unwrap(),
        Some(ok.clone())
    );
    assert_eq!(store.get_payment(&t.live, &ok.id).await.unwrap(), None);

    failed.error_code = Some("CARD_DECLINED".into());
    store
        .update_payment(&t.test, &failed, &[])
        .await
        .expect("update");
    let scope = &t.test;
    let list = |filter: PaymentFilter| async move {
        let got = store
            .list_payments(scope, &filter, page(0, 50))
            .await
            .unwrap();
        got.into_iter().map(|p| p.id).collect::<Vec<_>>()
    };
    let by_status = PaymentFilter {
        status: Some(PaymentStatus::Succeeded),
        ..PaymentFilter::default()
    };
    assert_eq!(list(by_status).await, vec![ok.id.clone()]);
    let by_product = PaymentFilter {
        product: Some(product),
        ..PaymentFilter::default()
    };
    assert_eq!(list(by_product).await, vec![failed.id.clone()]);
    let by_customer = PaymentFilter {
        customer: Some(ok.customer.clone()),
        ..PaymentFilter::default()
    };
    assert_eq!(list(by_customer).await, vec![ok.id.clone()]);
    let by_currency = PaymentFilter {
        currency: Some(Currency::EUR),
        ..PaymentFilter::default()
    };
    assert!(list(by_currency).await.is_empty());
    assert_eq!(list(PaymentFilter::default()).await.len(), 2);
}

pub async fn a_purchase_commits_everything_or_nothing<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Atomic", base_time()).await;
    let code = limited_code(&t, "ONCEONLY", 1);
    store.insert_discount(&t.test, &code).await.unwrap();

    let s1 = session(&t);
    store.insert_session(&t.test, &s1).await.unwrap();
    let first = purchase(&t, &s1, vec![code.id.clone()]);
    store
        .complete_purchase(&t.test, &first)
        .await
        .expect("first purchase");
    let used = store
        .get_discount(&t.test, &code.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        used.times_used, 1,
        "the use was counted in the stored discount"
    );
    let stored = store.get_session(&t.test, &s1.id).await.unwrap().unwrap();
    assert!(stored.completed_at.is_some());

    let again = purchase(&t, &s1, vec![]);
    let err = store.complete_purchase(&t.test, &again).await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                what: "checkout session"
            }
        ),
        "{err:?}"
    );

    let s2 = session(&t);
    store.insert_session(&t.test, &s2).await.unwrap();
    let second = purchase(&t, &s2, vec![code.id.clone()]);
    let err = store.complete_purchase(&t.test, &second).await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                what: "discount usage"
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        store
            .get_payment(&t.test, &second.payment.id)
            .await
            .unwrap(),
        None
    );
    let customers = store
        .list_customers(&t.test, &CustomerFilter::default(), page(0, 50))
        .await
        .unwrap();
    assert_eq!(
        customers.len(),
        1,
        "the refused purchase created no customer"
    );
    let open = store.get_session(&t.test, &s2.id).await.unwrap().unwrap();
    assert!(
        open.completed_at.is_none(),
        "the refused purchase left the session open"
    );
}

pub async fn racing_purchases_for_the_last_use_of_a_code_let_one_win<S: Store + ?Sized>(store: &S) {
    let t = tenant(store, "Race", base_time()).await;
    let code = limited_code(&t, "LASTONE", 1);
    store.insert_discount(&t.test, &code).await.unwrap();
    let mut purchases = Vec::new();
    for _ in 0..8 {
        let s = session(&t);
        store.insert_session(&t.test, &s).await.unwrap();
        purchases.push(purchase(&t, &s, vec![code.id.clone()]));
    }
    let results = futures::future::join_all(
        purchases
            .iter()
            .map(|p| store.complete_purchase(&t.test, p)),
    )
    .await;
    let won = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(won, 1, "{results:?}");
    let d = store
        .get_discount(&t.test, &code.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(d.times_used, 1);
}

pub async fn an_opened_payment_writes_customer_payment_and_session_together<S: Store + ?Sized>(
    store: &S,
) {
    let t = tenant(store, "Link", base_time()).await;
    let mut s = session(&t);
    let mut pending = payment(
        &t,
        &s,
        PaymentStatus::RequiresPaymentMethod,
        &s.cart[0].product,
    );
    pending.payment_method_type = None;
    s.payment = Some(pending.id.clone());
    let customer = Customer::create(
        pending.customer.clone(),
        t.business.id.clone(),
        CustomerDraft {
            email: "link@example.com".into(),
            name: "Linked".into(),
            phone_number: None,
            metadata: Metadata::default(),
        },
        base_time(),
    )
    .unwrap();
    let opened = crate::OpenedPayment {
        payment: pending.clone(),
        new_customer: Some(customer.clone()),
        session: s.clone(),
    };
    store.open_payment(&t.test, &opened).await.expect("open");
    assert_eq!(
        store.get_payment(&t.test, &pending.id).await.unwrap(),
        Some(pending.clone())
    );
    assert_eq!(
        store.get_customer(&t.test, &customer.id).await.unwrap(),
        Some(customer)
    );
    let stored = store.get_session(&t.test, &s.id).await.unwrap().unwrap();
    assert_eq!(stored.payment, Some(pending.id.clone()));

    // A second opening that reuses the session id fails as a whole: no
    // payment and no customer of it are left behind.
    let mut other = payment(
        &t,
        &s,
        PaymentStatus::RequiresPaymentMethod,
        &s.cart[0].product,
    );
    other.payment_method_type = None;
    let stray = Customer::create(
        other.customer.clone(),
        t.business.id.clone(),
        CustomerDraft {
            email: "stray@example.com".into(),
            name: "Stray".into(),
            phone_number: None,
            metadata: Metadata::default(),
        },
        base_time(),
    )
    .unwrap();
    let clash = crate::OpenedPayment {
        payment: other.clone(),
        new_customer: Some(stray.clone()),
        session: s,
    };
    let err = store.open_payment(&t.test, &clash).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    assert_eq!(store.get_payment(&t.test, &other.id).await.unwrap(), None);
    assert_eq!(store.get_customer(&t.test, &stray.id).await.unwrap(), None);
}

fn saved_card(t: &Tenant, customer: &CustomerId, last_four: &str) -> SavedMethod {
    SavedMethod {
        id: PaymentMethodId::generate(),
        business: t.business.id.clone(),
        customer: customer.clone(),
        method_type: "credit".into(),
        card: CardSummary {
            network: "VISA".into(),
            last_four: last_four.into(),
            exp_month: 12,
            exp_year: 2034,
            card_type: "credit".into(),
            holder: Some("Ada".into()),
        },
        provider: "test".into(),
        token: format!("tok_ok_{last_four}"),
        created_at: base_time(),
        last_used_at: None,
    }
}

pub async fn saved_methods_are_kept_per_customer_and_saved_with_their_purchase<
    S: Store + ?Sized,
>(
    store: &S,
) {
    let t = tenant(store, "Methods", base_time()).await;
    let s = session(&t);
    store.insert_session(&t.test, &s).await.unwrap();
    let mut bought = purchase(&t, &s, vec![]);
    let customer = bought.payment.customer.clone();
    let first = saved_card(&t, &customer, "4242");
    bought.saved_method = Some(first.clone());
    bought.payment.saved_method = Some(first.id.clone());
    store
        .complete_purchase(&t.test, &bought)
        .await
        .expect("purchase with a saved card");
    assert_eq!(
        store.get_saved_method(&t.test, &first.id).await.unwrap(),
        Some(first.clone()),
        "saved in the purchase's transaction"
    );
    let mut second = saved_card(&t, &customer, "4444");
    second.created_at = base_time() + Duration::minutes(1);
    store.insert_saved_method(&t.test, &second).await.unwrap();
    let listed = store.list_saved_methods(&t.test, &customer).await.unwrap();
    assert_eq!(listed, vec![second.clone(), first.clone()], "newest first");
    assert!(
        store
            .list_saved_methods(&t.live, &customer)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        store.delete_saved_method(&t.live, &first.id).await,
        Err(StoreError::NotFound)
    ));
    store.delete_saved_method(&t.test, &first.id).await.unwrap();
    assert_eq!(
        store.get_saved_method(&t.test, &first.id).await.unwrap(),
        None
    );
}
