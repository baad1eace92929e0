use proptest::prelude::*;
use time::macros::datetime;

use super::*;
use crate::discount::{CurrencyOption, CustomerEligibility, DiscountDraft, DiscountType};
use crate::id::BusinessId;
use crate::metadata::Metadata;

fn usd() -> Currency {
    Currency::parse("USD").unwrap()
}

fn line(product: &ProductId, unit: i64, qty: u32, ppm: i64, inclusive: bool) -> LineInput {
    LineInput {
        product: product.clone(),
        unit_amount: Amount::new("x", unit).unwrap(),
        quantity: qty,
        tax_rate: TaxRate::from_ppm(ppm).unwrap(),
        tax_inclusive: inclusive,
    }
}

fn code(
    kind: DiscountType,
    amount: i64,
    flat: Option<(Currency, i64)>,
    only: Vec<ProductId>,
) -> Discount {
    let draft = DiscountDraft {
        code: None,
        name: None,
        discount_type: kind,
        amount,
        currency_options: flat
            .map(|(currency, minor)| {
                vec![CurrencyOption {
                    currency,
                    is_default: true,
                    max_amount_possible: Some(Amount::new("x", minor).unwrap()),
                    minimum_subtotal: Amount::ZERO,
                }]
            })
            .unwrap_or_default(),
        starts_at: None,
        expires_at: None,
        usage_limit: None,
        per_customer_usage_limit: None,
        restricted_to: only,
        subscription_cycles: None,
        preserve_on_plan_change: false,
        customer_eligibility: CustomerEligibility::Any,
        metadata: Metadata::default(),
    };
    Discount::create(
        DiscountId::generate(),
        BusinessId::generate(),
        draft,
        datetime!(2026-01-01 00:00 UTC),
    )
    .unwrap()
}

#[test]
fn two_lines_two_stacked_codes_worked_example() {
    let (a, b) = (ProductId::generate(), ProductId::generate());
    let lines = [
        line(&a, 1_000, 2, 190_000, false),
        line(&b, 500, 1, 190_000, false),
    ];
    let ten = code(DiscountType::Percentage, 1_000, None, vec![]);
    let five_off_a = code(DiscountType::Flat, 1, Some((usd(), 500)), vec![a.clone()]);
    let cart = price_cart(usd(), &lines, &[&ten, &five_off_a]).unwrap();
    // 10 % of 2500 = 250, split 200 / 50; then 500 off line a (1800 left).
    assert_eq!(cart.discounts[0].1, 250);
    assert_eq!(cart.discounts[1].1, 500);
    assert_eq!((cart.lines[0].discount, cart.lines[1].discount), (700, 50));
    assert_eq!((cart.lines[0].tax, cart.lines[1].tax), (247, 86)); // 19 % of 1300, 450
    assert_eq!(cart.subtotal, 2_500);
    assert_eq!(cart.total, 1_300 + 247 + 450 + 86);
}

#[test]
fn tax_inclusive_lines_carve_tax_out_of_the_price() {
    let a = ProductId::generate();
    let cart = price_cart(usd(), &[line(&a, 1_190, 1, 190_000, true)], &[]).unwrap();
    assert_eq!((cart.tax, cart.total), (190, 1_190));
}

#[test]
fn split_is_exact_and_bounded() {
    assert_eq!(split(10, &[1, 1, 1]), vec![4, 3, 3]);
    assert_eq!(split(0, &[5, 5]), vec![0, 0]);
    assert_eq!(split(7, &[7, 0]), vec![7, 0]);
}

fn any_currency() -> impl Strategy<Value = Currency> {
    proptest::sample::select(Currency::ACCEPTED.to_vec())
}

proptest! {
    #[test]
    fn a_carts_total_is_the_sum_of_its_lines_in_every_currency(
        currency in any_currency(),
        raw_lines in proptest::collection::vec(
            (0i64..=100_000_000, 1u32..=50, 0i64..=300_000, any::<bool>()), 1..6),
        rates in proptest::collection::vec(1i64..=10_000, 0..4),
        flat in proptest::option::of(1i64..=1_000_000),
        restrict_first in any::<bool>(),
    ) {
        let products: Vec<ProductId> = raw_lines.iter().map(|_| ProductId::generate()).collect();
        let lines: Vec<LineInput> = raw_lines
            .iter()
            .zip(&products)
            .map(|((unit, qty, ppm, inc), p)| line(p, *unit, *qty, *ppm, *inc))
            .collect();
        let mut codes: Vec<Discount> = rates
            .iter()
            .map(|r| code(DiscountType::Percentage, *r, None, vec![]))
            .collect();
        if let Some(minor) = flat {
            let only = if restrict_first { vec![products[0].clone()] } else { vec![] };
            codes.push(code(DiscountType::Flat, 1, Some((currency, minor)), only));
        }
        let refs: Vec<&Discount> = codes.iter().collect();
        let cart = price_cart(currency, &lines, &refs).unwrap();

        prop_assert_eq!(cart.total, cart.lines.iter().map(|l| l.total).sum::<i64>());
        prop_assert_eq!(cart.tax, cart.lines.iter().map(|l| l.tax).sum::<i64>());
        prop_assert_eq!(cart.discount, cart.discounts.iter().map(|d| d.1).sum::<i64>());
        for (l, input) in cart.lines.iter().zip(&lines) {
            prop_assert!(l.discount >= 0 && l.discount <= l.subtotal);
            prop_assert!(l.tax >= 0);
            let net = l.subtotal - l.discount;
            let expected = if input.tax_inclusive { net } else { net + l.tax };
            prop_assert_eq!(l.total, expected);
        }
        if restrict_first && flat.is_some() {
            // A restricted flat code only ever touches its product's line.
            let percentage_only = price_cart(currency, &lines, &refs[..refs.len() - 1]).unwrap();
            for i in 1..lines.len() {
                prop_assert_eq!(cart.lines[i].discount, percentage_only.lines[i].discount);
            }
        }
    }

    #[test]
    fn split_adds_up_and_never_exceeds_a_weight(
        weights in proptest::collection::vec(0i64..=1_000_000_000, 1..8),
        frac in 0.0f64..=1.0,
    ) {
        let total: i64 = weights.iter().sum();
        let amount = (total as f64 * frac) as i64; // test input only
        let shares = split(amount, &weights);
        prop_assert_eq!(shares.iter().sum::<i64>(), amount);
        for (s, w) in shares.iter().zip(&weights) {
            prop_assert!(*s >= 0 && s <= w);
        }
    }
}
