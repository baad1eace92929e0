//! Conformance fixtures: tenants and valid records of every table, built
//! the way the app builds them, at fixed instants every backend keeps exactly.

use std::collections::BTreeMap;

use kassa_core::catalog::{
    Brand, BrandDraft, LicenseKeySettings, OneTimePrice, Period, Price, Product, ProductDraft,
    RecurringPrice, TaxCategory, TimeInterval,
};
use kassa_core::checkout::{BillingAddress, CartItem, CheckoutSession, SessionDraft};
use kassa_core::country::Country;
use kassa_core::customer::{Customer, CustomerDraft};
use kassa_core::discount::{
    CurrencyOption, CustomerEligibility, Discount, DiscountDraft, DiscountType,
};
use kassa_core::id::{
    BrandId, BusinessId, CheckoutSessionId, CustomerId, DiscountId, PaymentId, PaymentMethodId,
    ProductId, WebhookEndpointId,
};
use kassa_core::metadata::Metadata;
use kassa_core::money::{Amount, Currency};
use kassa_core::page::Page;
use kassa_core::payment::{CardSummary, Payment, PaymentLine, PaymentStatus, SavedMethod};
use kassa_core::tenancy::{Business, Mode, Scope};
use kassa_core::webhook::{
    CustomHeaders, Dialect, EndpointUrl, Event, EventObject, EventType, WebhookEndpoint,
    WebhookSecret,
};
use time::{Duration, OffsetDateTime};

use crate::{AttemptEntry, Conflict, NewJob, Store, StoreError, StoreResult};

/// A business with its primary brands, as the app creates one.
pub struct Tenant {
    pub business: Business,
    pub test: Scope,
    pub live: Scope,
    pub test_brand: Brand,
}

/// A fixed instant with whole microseconds, so every backend keeps it exactly.
pub fn base_time() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_764_000_000).expect("valid time")
        + Duration::microseconds(123_456)
}

pub async fn tenant<S: Store + ?Sized>(store: &S, name: &str, at: OffsetDateTime) -> Tenant {
    let business = Business {
        id: BusinessId::generate(),
        name: name.to_owned(),
        created_at: at,
    };
    let brand = |primary| {
        let draft = BrandDraft {
            name: Some(name.to_owned()),
            ..BrandDraft::default()
        };
        Brand::create(BrandId::generate(), business.id.clone(), draft, primary, at)
            .expect("valid brand")
    };
    let (test_brand, live_brand) = (brand(true), brand(true));
    store
        .create_business(
            &business,
            &[(Mode::Test, test_brand.clone()), (Mode::Live, live_brand)],
        )
        .await
        .expect("create business");
    Tenant {
        test: Scope {
            business: business.id.clone(),
            mode: Mode::Test,
        },
        live: Scope {
            business: business.id.clone(),
            mode: Mode::Live,
        },
        business,
        test_brand,
    }
}

/// The conflict that refused a change; panics on success or another error.
pub fn conflict<T: std::fmt::Debug>(result: StoreResult<T>) -> Conflict {
    match result {
        Err(StoreError::Conflict(c)) => c,
        other => panic!("expected the change to be refused by a conflict, got {other:?}"),
    }
}

pub fn page(number: i64, size: i64) -> Page {
    Page::new(Some(number), Some(size)).expect("valid page")
}

pub fn one_time(minor: i64) -> Price {
    Price::OneTime(OneTimePrice {
        amount: Amount::new("price", minor).expect("valid amount"),
        currency: Currency::USD,
        discount_percent: 0,
        purchasing_power_parity: false,
        pay_what_you_want: false,
        suggested_price: None,
        tax_inclusive: None,
    })
}

pub fn monthly(minor: i64) -> Price {
    let month = Period::new("period", 1, TimeInterval::Month).expect("valid period");
    Price::Recurring(RecurringPrice {
        amount: Amount::new("price", minor).expect("valid amount"),
        currency: Currency::EUR,
        discount_percent: 0,
        purchasing_power_parity: false,
        payment_frequency: month,
        subscription_period: Period::new("period", 12, TimeInterval::Month).expect("valid"),
        trial_period_days: 7,
        trial_amount: None,
        trial_apply_discounts: None,
        tax_inclusive: Some(true),
    })
}

pub fn product(t: &Tenant, name: &str, price: Price, at: OffsetDateTime) -> Product {
    let draft = ProductDraft {
        name: name.to_owned(),
        description: Some("a description".to_owned()),
        price,
        tax_category: TaxCategory::Saas,
        brand: None,
        pricing_mode: None,
        addons: Vec::new(),
        metadata: Metadata::default(),
        license_key: LicenseKeySettings::default(),
        digital_delivery: None,
    };
    Product::create(
        ProductId::generate(),
        t.business.id.clone(),
        t.test_brand.id.clone(),
        draft,
        at,
    )
    .expect("valid product")
}

pub fn customer(t: &Tenant, email: &str, name: &str, at: OffsetDateTime) -> Customer {
    let draft = CustomerDraft {
        email: email.to_owned(),
        name: name.to_owned(),
        phone_number: None,
        metadata: Metadata::default(),
    };
    Customer::create(CustomerId::generate(), t.business.id.clone(), draft, at)
        .expect("valid customer")
}

/// An unlimited, unrestricted code created `minutes` after [`base_time`].
pub fn discount(t: &Tenant, code: &str, kind: DiscountType, minutes: i64) -> Discount {
    let draft = DiscountDraft {
        code: Some(code.to_owned()),
        name: None,
        discount_type: kind,
        amount: 1_000,
        currency_options: match kind {
            DiscountType::Flat => vec![CurrencyOption {
                currency: Currency::USD,
                is_default: true,
                max_amount_possible: Some(Amount::new("amount", 500).expect("valid")),
                minimum_subtotal: Amount::ZERO,
            }],
            DiscountType::Percentage => Vec::new(),
        },
        starts_at: None,
        expires_at: None,
        usage_limit: None,
        per_customer_usage_limit: None,
        restricted_to: Vec::new(),
        subscription_cycles: None,
        preserve_on_plan_change: false,
        customer_eligibility: CustomerEligibility::Any,
        metadata: Metadata::default(),
    };
    let at = base_time() + Duration::minutes(minutes);
    Discount::create(DiscountId::generate(), t.business.id.clone(), draft, at)
        .expect("valid discount")
}

/// A percentage code that may be used `limit` times.
pub fn limited_code(t: &Tenant, code: &str, limit: u32) -> Discount {
    let mut d = discount(t, code, DiscountType::Percentage, 0);
    d.usage_limit = Some(limit);
    d
}

pub fn session(t: &Tenant) -> CheckoutSession {
    let draft = SessionDraft {
        cart: vec![CartItem {
            product: ProductId::generate(),
            quantity: 2,
            amount: None,
            addons: Vec::new(),
        }],
        ..SessionDraft::default()
    };
    CheckoutSession::create(
        CheckoutSessionId::generate(),
        t.business.id.clone(),
        draft,
        None,
        base_time(),
    )
    .expect("valid session")
}

/// A payment for the session's cart, by a customer of its own.
pub fn payment(
    t: &Tenant,
    s: &CheckoutSession,
    status: PaymentStatus,
    product: &ProductId,
) -> Payment {
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
            country: Country::parse("DE").expect("valid country"),
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

pub fn saved_card(t: &Tenant, customer: &CustomerId, last_four: &str) -> SavedMethod {
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

/// An enabled endpoint wanting the given types (all of them when empty).
pub fn endpoint(filter: Vec<EventType>) -> WebhookEndpoint {
    WebhookEndpoint {
        dialect: Dialect::default(),
        id: WebhookEndpointId::generate(),
        url: EndpointUrl::parse("https://example.com/hook").expect("valid url"),
        description: "d".into(),
        metadata: BTreeMap::new(),
        filter_types: filter,
        headers: CustomHeaders::default(),
        rate_limit: None,
        disabled: false,
        secret: WebhookSecret::generate(),
        previous_secret: None,
        idempotency_key: None,
        created_at: base_time(),
        updated_at: base_time(),
    }
}

/// An event about nothing in particular (a test trigger).
pub fn trigger(kind: EventType) -> Event {
    Event::new(kind, EventObject::Snapshot("{}".into()), base_time())
}

/// The scope's attempts after `after_seq`, once at least `want` of them
/// show (or a few seconds have passed): a backend may hold the newest
/// back for a moment, so that the tail never skips one that commits late.
pub async fn tail<S: Store + ?Sized>(
    store: &S,
    scope: &Scope,
    after_seq: i64,
    want: usize,
) -> Vec<AttemptEntry> {
    let patience = std::time::Instant::now();
    loop {
        let shown = store.attempts_after(scope, after_seq, 100).await.unwrap();
        if shown.len() >= want || patience.elapsed() > std::time::Duration::from_secs(10) {
            return shown;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// A job of `kind` due at `run_at`, its key unique to this call.
pub fn job(kind: &'static str, run_at: OffsetDateTime) -> NewJob {
    NewJob {
        kind,
        // Any fresh id makes the key unique.
        key: format!("{kind}:{}", CustomerId::generate()),
        run_at,
        subject: None,
        event: None,
        payload: "{}".to_owned(),
        created_at: base_time(),
    }
}
