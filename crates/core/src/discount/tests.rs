use proptest::prelude::*;
use time::OffsetDateTime;
use time::macros::datetime;

use super::*;
use crate::money::Money;

const NOW: OffsetDateTime = datetime!(2026-01-01 00:00 UTC);

fn usd() -> Currency {
    Currency::parse("USD").unwrap()
}

fn draft(kind: DiscountType, amount: i64) -> DiscountDraft {
    DiscountDraft {
        code: Some("save10".into()),
        name: None,
        discount_type: kind,
        amount,
        currency_options: vec![],
        starts_at: None,
        expires_at: None,
        usage_limit: None,
        per_customer_usage_limit: None,
        restricted_to: vec![],
        subscription_cycles: None,
        preserve_on_plan_change: false,
        customer_eligibility: CustomerEligibility::Any,
        metadata: Metadata::default(),
    }
}

fn make(d: DiscountDraft) -> Result<Discount, DomainError> {
    Discount::create(DiscountId::generate(), BusinessId::generate(), d, NOW)
}

fn flat(minor: i64) -> Discount {
    let mut d = draft(DiscountType::Flat, 1);
    d.currency_options = vec![CurrencyOption {
        currency: usd(),
        is_default: true,
        max_amount_possible: Some(Amount::new("x", minor).unwrap()),
        minimum_subtotal: Amount::ZERO,
    }];
    make(d).unwrap()
}

#[test]
fn codes_are_uppercased_and_checked() {
    assert_eq!(
        make(draft(DiscountType::Percentage, 1000)).unwrap().code,
        "SAVE10"
    );
    let mut short = draft(DiscountType::Percentage, 1000);
    short.code = Some("ab".into());
    assert_eq!(make(short).unwrap_err().field(), Some("code".into()));
}

#[test]
fn omitted_code_gets_a_random_16_char_uppercase_code() {
    let mut d = draft(DiscountType::Percentage, 1000);
    d.code = None;
    let code = make(d).unwrap().code;
    assert_eq!(code.len(), 16);
    assert_eq!(code, code.to_uppercase());
}

#[test]
fn percentage_over_10000_bps_is_refused_naming_amount() {
    let err = make(draft(DiscountType::Percentage, 10_001)).unwrap_err();
    assert_eq!(err.field(), Some("amount".into()));
}

#[test]
fn flat_discount_needs_a_currency_option() {
    let err = make(draft(DiscountType::Flat, 500)).unwrap_err();
    assert_eq!(err.field(), Some("currency_options".into()));
}

#[test]
fn start_must_precede_expiry() {
    let mut d = draft(DiscountType::Percentage, 100);
    d.starts_at = Some(NOW);
    d.expires_at = Some(NOW);
    assert_eq!(make(d).unwrap_err().field(), Some("starts_at".into()));
}

#[test]
fn usage_limit_and_schedule_decide_activity() {
    let mut d = draft(DiscountType::Percentage, 100);
    d.usage_limit = Some(1);
    d.expires_at = Some(NOW + time::Duration::days(1));
    let mut discount = make(d).unwrap();
    assert!(discount.is_active(NOW));
    assert!(!discount.is_active(NOW + time::Duration::days(1)));
    discount.times_used = 1;
    assert!(!discount.is_active(NOW));
}

#[test]
fn percentage_rounds_half_away_from_zero_and_respects_cap() {
    let mut d = draft(DiscountType::Percentage, 1_250); // 12.5 %
    d.currency_options = vec![CurrencyOption {
        currency: usd(),
        is_default: false,
        max_amount_possible: Some(Amount::new("x", 100).unwrap()),
        minimum_subtotal: Amount::new("x", 10).unwrap(),
    }];
    let discount = make(d).unwrap();
    assert_eq!(discount.deduction(Money::new(12, usd())).unwrap().minor, 2); // 1.5 -> 2
    // A half with an even floor: half-to-even would give 2.
    assert_eq!(discount.deduction(Money::new(20, usd())).unwrap().minor, 3); // 2.5 -> 3
    assert_eq!(discount.deduction(Money::new(36, usd())).unwrap().minor, 5); // 4.5 -> 5
    assert_eq!(discount.deduction(Money::new(19, usd())).unwrap().minor, 2); // 2.375 -> 2
    assert_eq!(
        discount.deduction(Money::new(5_000, usd())).unwrap().minor,
        100
    ); // capped
    assert_eq!(discount.deduction(Money::new(9, usd())).unwrap().minor, 0); // below minimum
}

#[test]
fn flat_discount_never_exceeds_the_subtotal() {
    assert_eq!(
        flat(500).deduction(Money::new(300, usd())).unwrap().minor,
        300
    );
}

#[test]
fn flat_discount_in_an_unconfigured_currency_is_an_error() {
    let eur = Money::new(1_000, Currency::parse("EUR").unwrap());
    assert!(flat(500).deduction(eur).is_err());
}

proptest! {
    #[test]
    fn a_stack_of_discounts_never_drifts_or_goes_negative(
        subtotal in 0i64..=Amount::MAX,
        rates in proptest::collection::vec(1i64..=10_000, 0..5),
        flats in proptest::collection::vec(1i64..=Amount::MAX, 0..3),
    ) {
        let mut codes: Vec<Discount> = rates
            .iter()
            .map(|r| make(draft(DiscountType::Percentage, *r)).unwrap())
            .collect();
        codes.extend(flats.iter().map(|f| flat(*f)));
        let refs: Vec<&Discount> = codes.iter().collect();
        let start = Money::new(subtotal, usd());
        let offs = apply_in_order(start, &refs).unwrap();
        let total_off: i64 = offs.iter().map(|m| m.minor).sum();
        prop_assert!(offs.iter().all(|m| m.minor >= 0));
        prop_assert!(total_off <= subtotal);
        // Applying step by step lands on the same remainder as the sum says.
        let mut remaining = subtotal;
        for (code, off) in refs.iter().zip(&offs) {
            prop_assert_eq!(code.deduction(Money::new(remaining, usd())).unwrap().minor, off.minor);
            remaining -= off.minor;
        }
        prop_assert_eq!(remaining, subtotal - total_off);
    }

    #[test]
    fn deduction_never_panics_for_any_subtotal(minor in any::<i64>(), rate in 1i64..=10_000) {
        let discount = make(draft(DiscountType::Percentage, rate)).unwrap();
        let off = discount.deduction(Money::new(minor, usd())).unwrap();
        prop_assert!(off.minor >= 0 && off.minor <= minor.max(0));
    }
}
