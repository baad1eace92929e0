use proptest::prelude::*;

use super::*;

#[test]
fn exponents_follow_iso_4217() {
    assert_eq!(Currency::parse("JPY").unwrap().exponent(), 0);
    assert_eq!(Currency::parse("USD").unwrap().exponent(), 2);
    assert_eq!(Currency::parse("KWD").unwrap().exponent(), 3);
    assert_eq!(Currency::ACCEPTED.len(), 145);
    assert_eq!(Currency::parse("XYZ"), None);
}

#[test]
fn money_displays_exactly_for_every_exponent() {
    let jpy = Currency::parse("JPY").unwrap();
    let kwd = Currency::parse("KWD").unwrap();
    let usd = Currency::parse("USD").unwrap();
    assert_eq!(Money::new(1000, jpy).to_string(), "1000 JPY");
    assert_eq!(Money::new(1005, kwd).to_string(), "1.005 KWD");
    assert_eq!(Money::new(-5, usd).to_string(), "-0.05 USD");
}

#[test]
fn basis_points_round_half_away_from_zero() {
    let ten_pct = BasisPoints::new("x", 1000).unwrap();
    assert_eq!(ten_pct.of(15), 2); // 1.5 -> 2
    assert_eq!(ten_pct.of(14), 1); // 1.4 -> 1
    assert_eq!(ten_pct.of(-15), -2);
    assert_eq!(BasisPoints::FULL.of(i64::MAX), i64::MAX);
}

#[test]
fn mixing_currencies_is_an_error_not_a_sum() {
    let usd = Money::new(1, Currency::parse("USD").unwrap());
    let eur = Money::new(1, Currency::parse("EUR").unwrap());
    assert!(usd.checked_add(eur).is_err());
}

#[test]
fn amounts_and_rates_out_of_range_are_refused() {
    assert!(Amount::new("price", -1).is_err());
    assert!(Amount::new("price", Amount::MAX + 1).is_err());
    assert!(BasisPoints::new("amount", 10_001).is_err());
}

proptest! {
    #[test]
    fn a_rate_and_its_complement_split_an_amount_without_drift(
        minor in 0i64..=Amount::MAX, bps in 0u32..=10_000
    ) {
        let part = BasisPoints(bps).of(minor);
        let rest = minor - part;
        prop_assert!((0..=minor).contains(&part));
        prop_assert_eq!(part + rest, minor);
    }

    #[test]
    fn applying_a_rate_never_panics_or_grows_the_amount(minor in any::<i64>(), bps in 0u32..=10_000) {
        let part = BasisPoints(bps).of(minor);
        prop_assert!(part.unsigned_abs() <= minor.unsigned_abs());
    }

    #[test]
    fn checked_arithmetic_never_panics(a in any::<i64>(), b in any::<i64>(), k in any::<i64>()) {
        let usd = Currency::parse("USD").unwrap();
        let (x, y) = (Money::new(a, usd), Money::new(b, usd));
        let _ = x.checked_add(y);
        let _ = x.checked_sub(y);
        let _ = x.checked_mul(k);
        if let Ok(sum) = x.checked_add(y) {
            prop_assert_eq!(sum.checked_sub(y).unwrap(), x);
        }
    }
}
