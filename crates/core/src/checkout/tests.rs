//! Checkout session rules and quotes, as specifications.

use proptest::prelude::*;
use time::{Duration, OffsetDateTime};

use super::*;
use crate::catalog::{
    LicenseKeySettings, OneTimePrice, Period, Price, Product, ProductDraft, RecurringPrice,
    TaxCategory, TimeInterval,
};
use crate::country::Country;
use crate::id::{BrandId, BusinessId, CheckoutSessionId, CustomerId, ProductId};
use crate::money::{Amount, Currency};
use crate::tax::TaxTable;

fn now() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_764_000_000).unwrap()
}

fn item() -> CartItem {
    CartItem {
        product: ProductId::generate(),
        quantity: 1,
        amount: None,
        addons: Vec::new(),
    }
}

fn draft() -> SessionDraft {
    SessionDraft {
        cart: vec![item()],
        ..SessionDraft::default()
    }
}

fn open(d: SessionDraft) -> Result<CheckoutSession, DomainError> {
    CheckoutSession::create(
        CheckoutSessionId::generate(),
        BusinessId::generate(),
        d,
        None,
        now(),
    )
}

fn field_of(e: DomainError) -> String {
    e.field().map(|f| f.to_string()).unwrap_or_default()
}

#[test]
fn a_session_is_open_for_a_day_then_expired() {
    let s = open(draft()).unwrap();
    assert_eq!(s.expires_at, now() + Duration::hours(24));
    assert_eq!(s.status(now()), SessionStatus::Open);
    assert_eq!(
        s.status(now() + Duration::hours(24)),
        SessionStatus::Expired
    );
}

#[test]
fn a_completed_session_stays_completed_after_expiry() {
    let mut s = open(draft()).unwrap();
    s.completed_at = Some(now());
    assert_eq!(
        s.status(now() + Duration::days(9)),
        SessionStatus::Completed
    );
}

#[test]
fn an_empty_cart_or_quantity_zero_or_a_repeated_product_is_refused() {
    let empty = SessionDraft::default();
    assert_eq!(field_of(open(empty).unwrap_err()), "cart");
    let mut zero = draft();
    zero.cart[0].quantity = 0;
    assert_eq!(field_of(open(zero).unwrap_err()), "cart[0].quantity");
    let mut twice = draft();
    twice.cart.push(twice.cart[0].clone());
    assert_eq!(field_of(open(twice).unwrap_err()), "cart[1].product");
}

#[test]
fn six_custom_fields_are_refused() {
    let mut d = draft();
    d.custom_fields = (0..6)
        .map(|i| CustomField {
            field_type: FieldType::Text,
            key: format!("k{i}"),
            label: "Q".into(),
            options: vec![],
            placeholder: None,
            required: false,
        })
        .collect();
    assert_eq!(field_of(open(d).unwrap_err()), "custom_fields");
}

#[test]
fn a_return_url_must_be_an_http_url() {
    let mut d = draft();
    d.return_url = Some("not a url".into());
    assert_eq!(field_of(open(d).unwrap_err()), "return_url");
    let mut js = draft();
    js.return_url = Some("javascript:alert(1)".into());
    assert_eq!(field_of(open(js).unwrap_err()), "return_url");
}

#[test]
fn payment_method_id_needs_confirm_and_an_existing_customer() {
    let mut d = draft();
    d.payment_method_id = Some("pm_1".into());
    assert_eq!(field_of(open(d.clone()).unwrap_err()), "payment_method_id");
    d.confirm = true;
    assert_eq!(field_of(open(d).unwrap_err()), "payment_method_id");
}

#[test]
fn confirm_needs_customer_and_address_and_shortens_validity() {
    let mut d = draft();
    d.confirm = true;
    assert_eq!(field_of(open(d.clone()).unwrap_err()), "customer");
    d.customer = Some(CustomerRef::New {
        email: "a@b.co".into(),
        name: None,
        phone_number: None,
    });
    assert_eq!(field_of(open(d.clone()).unwrap_err()), "billing_address");
    d.billing = Some(BillingAddress {
        country: Country::parse("US").unwrap(),
        street: None,
        city: None,
        state: None,
        zipcode: Some("94103".into()),
    });
    assert_eq!(
        field_of(open(d.clone()).unwrap_err()),
        "billing_address.street"
    );
    d.minimal_address = Some(true);
    let s = open(d).unwrap();
    assert_eq!(s.expires_at, now() + Duration::minutes(15));
    assert_eq!(s.customer_email.as_deref(), Some("a@b.co"));
}

#[test]
fn an_existing_customer_fills_in_email_and_name() {
    let mut d = draft();
    d.customer = Some(CustomerRef::Existing(CustomerId::generate()));
    let known = crate::customer::CustomerDraft {
        email: "k@n.own".into(),
        name: "Known".into(),
        phone_number: None,
        metadata: Default::default(),
    };
    let s = CheckoutSession::create(
        CheckoutSessionId::generate(),
        BusinessId::generate(),
        d,
        Some(&known),
        now(),
    )
    .unwrap();
    assert_eq!(s.customer_name.as_deref(), Some("Known"));
}

#[test]
fn required_custom_field_answers_are_checked_by_type() {
    let f = |t, required| CustomField {
        field_type: t,
        key: "k".into(),
        label: "L".into(),
        options: if t == FieldType::Dropdown {
            vec!["a".into()]
        } else {
            vec![]
        },
        placeholder: None,
        required,
    };
    assert!(f(FieldType::Text, true).check_answer(None).is_err());
    assert!(f(FieldType::Text, false).check_answer(Some(" ")).is_ok());
    assert!(f(FieldType::Number, true).check_answer(Some("1.5")).is_ok());
    assert!(
        f(FieldType::Number, true)
            .check_answer(Some("abc"))
            .is_err()
    );
    assert!(
        f(FieldType::Date, true)
            .check_answer(Some("2026-02-30"))
            .is_err()
    );
    assert!(
        f(FieldType::Dropdown, true)
            .check_answer(Some("b"))
            .is_err()
    );
    assert!(
        f(FieldType::Url, true)
            .check_answer(Some("https://x.io"))
            .is_ok()
    );
}

fn product(price: Price, category: TaxCategory) -> Product {
    let draft = ProductDraft {
        name: "P".into(),
        description: None,
        price,
        tax_category: category,
        brand: None,
        pricing_mode: None,
        addons: vec![],
        metadata: Default::default(),
        license_key: LicenseKeySettings::default(),
        digital_delivery: None,
    };
    Product::create(
        ProductId::generate(),
        BusinessId::generate(),
        BrandId::generate(),
        draft,
        now(),
    )
    .unwrap()
}

fn one_time(minor: i64, currency: Currency) -> Price {
    Price::OneTime(OneTimePrice {
        amount: Amount::new("p", minor).unwrap(),
        currency,
        discount_percent: 0,
        purchasing_power_parity: false,
        pay_what_you_want: false,
        suggested_price: None,
        tax_inclusive: None,
    })
}

fn monthly(minor: i64, trial: u32) -> Price {
    let month = Period::new("p", 1, TimeInterval::Month).unwrap();
    Price::Recurring(RecurringPrice {
        amount: Amount::new("p", minor).unwrap(),
        currency: Currency::EUR,
        discount_percent: 0,
        purchasing_power_parity: false,
        payment_frequency: month,
        subscription_period: month,
        trial_period_days: trial,
        trial_amount: None,
        trial_apply_discounts: None,
        tax_inclusive: None,
    })
}

fn germany<'a>(table: &'a TaxTable, tax_id: Option<&'a str>) -> TaxContext<'a> {
    TaxContext {
        table,
        country: Country::parse("DE").unwrap(),
        region: None,
        tax_id,
    }
}

#[test]
fn german_vat_is_added_and_a_german_vat_id_reverse_charges_it() {
    let table = TaxTable::builtin();
    let p = product(one_time(10_000, Currency::EUR), TaxCategory::Saas);
    let items = [QuoteItem {
        product: &p,
        quantity: 1,
        amount: None,
        addons: vec![],
    }];
    let q = quote(&items, &[], &germany(&table, None), None).unwrap();
    assert_eq!((q.today.tax, q.today.total), (1_900, 11_900));
    let b2b = quote(&items, &[], &germany(&table, Some("DE123456789")), None).unwrap();
    assert!(b2b.reverse_charge);
    assert_eq!(b2b.today.total, 10_000);
    let bad = quote(&items, &[], &germany(&table, Some("DE12")), None).unwrap();
    assert!(bad.tax_id_error.is_some());
    assert_eq!(bad.today.tax, 1_900);
}

fn seat_addon(price: i64) -> crate::catalog::Addon {
    crate::catalog::Addon {
        id: crate::id::AddonId::generate(),
        business: crate::id::BusinessId::generate(),
        name: "Extra seat".into(),
        description: None,
        price: Amount::new("price", price).unwrap(),
        currency: Currency::EUR,
        tax_category: TaxCategory::Saas,
        image: None,
        archived: false,
        created_at: time::OffsetDateTime::UNIX_EPOCH,
        updated_at: time::OffsetDateTime::UNIX_EPOCH,
    }
}

#[test]
fn addons_are_lines_of_their_own_that_recur_and_trial_with_their_product() {
    let table = TaxTable::builtin();
    let sub = product(monthly(1_000, 0), TaxCategory::Saas);
    let seat = seat_addon(300);
    let items = [QuoteItem {
        product: &sub,
        quantity: 1,
        amount: None,
        addons: vec![(&seat, 3)],
    }];
    let q = quote(&items, &[], &germany(&table, None), None).unwrap();
    assert_eq!(q.lines.len(), 2);
    assert_eq!(q.lines[1].addon, Some(seat.id.clone()));
    assert_eq!(
        q.lines[1].product, sub.id,
        "an addon line names its product"
    );
    assert_eq!(q.lines[1].name, "Extra seat");
    // 10.00 + 3 × 3.00 = 19.00 net, 19 % German VAT each line.
    assert_eq!(q.today.subtotal, 1_900);
    assert_eq!(q.lines[1].tax, 171);
    assert_eq!(q.today.total, q.lines.iter().map(|l| l.total).sum::<i64>());
    assert_eq!(q.recurring.as_ref().unwrap().subtotal, 1_900);

    let trial = quote(&items, &[], &germany(&table, None), Some(7)).unwrap();
    assert_eq!(trial.today.total, 0, "the addon waits out the trial too");
    assert_eq!(trial.trial_days, Some(7));
}

#[test]
fn a_free_trial_charges_nothing_today_and_the_full_price_per_period() {
    let table = TaxTable::builtin();
    let sub = product(monthly(1_000, 14), TaxCategory::Saas);
    let items = [QuoteItem {
        product: &sub,
        quantity: 2,
        amount: None,
        addons: vec![],
    }];
    let q = quote(&items, &[], &germany(&table, None), None).unwrap();
    assert_eq!(q.today.total, 0);
    assert_eq!(q.recurring.as_ref().unwrap().subtotal, 2_000);
    assert_eq!(q.trial_days, Some(14));
    let no_trial = quote(&items, &[], &germany(&table, None), Some(0)).unwrap();
    assert_eq!(no_trial.today.subtotal, 2_000);
}

#[test]
fn a_cart_in_two_currencies_is_refused_naming_the_line() {
    let table = TaxTable::builtin();
    let usd = product(one_time(100, Currency::USD), TaxCategory::Saas);
    let eur = product(one_time(100, Currency::EUR), TaxCategory::Saas);
    let items = [
        QuoteItem {
            product: &usd,
            quantity: 1,
            amount: None,
            addons: vec![],
        },
        QuoteItem {
            product: &eur,
            quantity: 1,
            amount: None,
            addons: vec![],
        },
    ];
    let e = quote(&items, &[], &germany(&table, None), None).unwrap_err();
    assert_eq!(field_of(e), "cart[1].product");
}

proptest! {
    #[test]
    fn a_quote_total_is_the_sum_of_its_lines(
        prices in proptest::collection::vec((1i64..5_000_000, 1u32..50), 1..6),
        currency_index in 0usize..Currency::ACCEPTED.len(),
        country_index in 0usize..8,
    ) {
        let currency = Currency::ACCEPTED[currency_index];
        let countries = ["DE", "FR", "GB", "IN", "AU", "CA", "US", "JP"];
        let table = TaxTable::builtin();
        let products: Vec<Product> = prices
            .iter()
            .map(|(p, _)| product(one_time(*p, currency), TaxCategory::DigitalProducts))
            .collect();
        let items: Vec<QuoteItem> = products
            .iter()
            .zip(&prices)
            .map(|(p, (_, q))| QuoteItem { product: p, quantity: *q, amount: None, addons: vec![] })
            .collect();
        let ctx = TaxContext {
            table: &table,
            country: Country::parse(countries[country_index]).unwrap(),
            region: None,
            tax_id: None,
        };
        let q = quote(&items, &[], &ctx, None).unwrap();
        prop_assert_eq!(q.today.total, q.lines.iter().map(|l| l.total).sum::<i64>());
        prop_assert_eq!(q.today.subtotal, q.lines.iter().map(|l| l.subtotal).sum::<i64>());
        for l in &q.lines {
            prop_assert_eq!(l.total, l.subtotal - l.discount + if l.tax_inclusive { 0 } else { l.tax });
        }
    }
}
