use proptest::prelude::*;
use proptest::strategy::ValueTree;

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
    // Halves with an even floor: half-to-even would give 2 and -2.
    assert_eq!(ten_pct.of(25), 3); // 2.5 -> 3
    assert_eq!(ten_pct.of(-25), -3); // -2.5 -> -3
    assert_eq!(ten_pct.of(26), 3); // 2.6 -> 3
    assert_eq!(ten_pct.of(-24), -2); // -2.4 -> -2
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

/// Whether `minor × bps / 10 000` lies exactly half-way between two whole
/// minor units: the only case where a rate and its complement both round
/// away from zero, so their parts overshoot the amount by one.
fn lands_on_a_half(minor: i64, bps: u32) -> bool {
    (minor as i128 * bps as i128).rem_euclid(10_000) == 5_000
}

/// Pairs whose product lands on a half (random pairs almost never do).
/// `minor × bps ≡ 5 000 (mod 10 000)` exactly when, with 5 000 = 2³·5⁴,
/// `bps = 2^(3−i)·5^(4−j)·u` and `minor = 2^i·5^j·v` for odd `u` and `v`.
fn half_way_pairs() -> impl Strategy<Value = (i64, u32)> {
    (0u32..=3, 0u32..=4, 0u32..5_000, -Amount::MAX..=Amount::MAX).prop_map(|(i, j, u, v)| {
        let unit = 2u32.pow(3 - i) * 5u32.pow(4 - j);
        let u = (u % (10_000 / unit)) | 1; // odd, and bps <= 10 000
        let scale = 2i64.pow(i) * 5i64.pow(j);
        let k = v / scale / 2;
        let v = if k > 0 { 2 * k - 1 } else { 2 * k + 1 }; // odd, |minor| <= Amount::MAX
        (v * scale, unit * u)
    })
}

#[test]
fn the_drawn_half_way_pairs_do_land_on_halves() {
    assert!(lands_on_a_half(25, 1_000));
    assert!(lands_on_a_half(-25, 1_000));
    assert!(!lands_on_a_half(24, 1_000));
    assert!(!lands_on_a_half(0, 5_000));
    let mut runner = proptest::test_runner::TestRunner::default();
    for _ in 0..1_000 {
        let (minor, bps) = half_way_pairs().new_tree(&mut runner).unwrap().current();
        assert!(lands_on_a_half(minor, bps), "{minor} × {bps}");
        assert!(minor.unsigned_abs() <= Amount::MAX as u64 && bps <= 10_000);
    }
}

proptest! {
    /// `of(bps) + of(10 000 − bps)` gives back the amount exactly, except
    /// where both parts land on a half: then both round away from zero
    /// and together they overshoot by exactly one minor unit.
    #[test]
    fn a_rate_and_its_complement_split_an_amount_without_drift_but_a_shared_half(
        minor in -Amount::MAX..=Amount::MAX, bps in 0u32..=10_000
    ) {
        let part = BasisPoints(bps).of(minor);
        let rest = BasisPoints(10_000 - bps).of(minor);
        prop_assert!(part.unsigned_abs() <= minor.unsigned_abs());
        prop_assert!(part == 0 || part.signum() == minor.signum());
        let overshoot = if lands_on_a_half(minor, bps) { minor.signum() } else { 0 };
        prop_assert_eq!(part + rest, minor + overshoot);
    }

    #[test]
    fn on_a_half_a_rate_and_its_complement_overshoot_by_one_minor_unit(
        (minor, bps) in half_way_pairs()
    ) {
        let part = BasisPoints(bps).of(minor);
        let rest = BasisPoints(10_000 - bps).of(minor);
        // Each part is its exact value moved half a unit away from zero.
        let exact_twice = 2 * minor as i128 * bps as i128 / 10_000;
        prop_assert_eq!(2 * part as i128, exact_twice + minor.signum() as i128);
        prop_assert_eq!(part + rest, minor + minor.signum());
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

    /// `checked_mul` is the exact product, in the same currency, whenever
    /// that fits in an i64, and an overflow error (never a wrap) otherwise.
    #[test]
    fn checked_mul_is_the_exact_product_or_an_overflow_error(
        a in prop_oneof![any::<i64>(), -Amount::MAX..=Amount::MAX],
        k in prop_oneof![any::<i64>(), -1_000i64..=1_000],
    ) {
        let jpy = Currency::parse("JPY").unwrap();
        let exact = a as i128 * k as i128;
        match Money::new(a, jpy).checked_mul(k) {
            Ok(product) => {
                prop_assert_eq!(product.minor as i128, exact);
                prop_assert_eq!(product.currency, jpy);
            }
            Err(e) => {
                prop_assert!(i64::try_from(exact).is_err(), "{} × {} fits, yet: {}", a, k, e);
                prop_assert!(matches!(e, DomainError::Overflow("multiplication")), "{:?}", e);
            }
        }
    }
}
