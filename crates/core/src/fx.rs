//! Currency conversion for adaptive pricing: a rates table the operator
//! loads (Kassa ships none — rates are the operator's business decision).
//!
//! A rate is kept as an integer number of billionths, so converting is
//! integer arithmetic with one rounding (half away from zero) per amount.

use std::collections::HashMap;

use crate::DomainError;
use crate::catalog::Price;
use crate::money::{Amount, Currency};

/// Billionths in one unit of a rate.
const SCALE: i128 = 1_000_000_000;

#[derive(Clone, Debug, Default)]
pub struct FxRates {
    as_of: String,
    /// Units of `to` per unit of `from`, in billionths.
    rates: HashMap<(Currency, Currency), i128>,
}

impl FxRates {
    /// Parses `FROM,TO,RATE` lines (`USD,EUR,0.92`: one US dollar buys 0.92
    /// euro); `#` comments and one `@as_of,YYYY-MM-DD` line. A pair given
    /// one way is also used the other way, inverted.
    pub fn parse(text: &str) -> Result<FxRates, DomainError> {
        let mut table = FxRates::default();
        for (n, line) in crate::tax::data_lines(text, &mut table.as_of) {
            let at = |reason: String| DomainError::invalid(format!("line {n}"), reason);
            let cols: Vec<&str> = line.split(',').map(str::trim).collect();
            let [from, to, rate] = cols[..] else {
                return Err(at("expected FROM,TO,RATE".into()));
            };
            let currency = |code: &str| {
                Currency::parse(code).ok_or_else(|| at(format!("`{code}` is not a currency")))
            };
            let (from, to) = (currency(from)?, currency(to)?);
            let rate = billionths(rate)
                .filter(|r| *r > 0)
                .ok_or_else(|| at(format!("`{rate}` is not a positive decimal rate")))?;
            table.rates.insert((from, to), rate);
        }
        Ok(table)
    }

    pub fn as_of(&self) -> &str {
        &self.as_of
    }

    /// Every currency a price in `from` can be shown in (`from` included),
    /// ordered by code: what a page may offer the customer.
    pub fn reachable_from(&self, from: Currency) -> Vec<Currency> {
        let mut out: Vec<Currency> = self
            .rates
            .keys()
            .filter_map(|&(a, b)| match (a == from, b == from) {
                (true, false) => Some(b),
                (false, true) => Some(a),
                _ => None,
            })
            .collect();
        out.push(from);
        out.sort_by_key(|c| c.code());
        out.dedup();
        out
    }

    /// Units of `to` per unit of `from` in billionths, if the table knows.
    fn rate(&self, from: Currency, to: Currency) -> Option<Rate> {
        if from == to {
            return Some(Rate::Direct(SCALE));
        }
        if let Some(r) = self.rates.get(&(from, to)) {
            return Some(Rate::Direct(*r));
        }
        self.rates.get(&(to, from)).map(|r| Rate::Inverse(*r))
    }

    /// `amount` of `from` in `to`'s minor units, rounded half away from zero.
    pub fn convert(
        &self,
        field: &str,
        amount: Amount,
        from: Currency,
        to: Currency,
    ) -> Result<Amount, DomainError> {
        let rate = self.rate(from, to).ok_or_else(|| {
            DomainError::invalid(
                field,
                format!(
                    "no exchange rate from {} to {} in the operator's table",
                    from.code(),
                    to.code()
                ),
            )
        })?;
        let scale_to = 10i128.pow(to.exponent());
        let scale_from = 10i128.pow(from.exponent());
        let minor = i128::from(amount.minor());
        let (num, den) = match rate {
            Rate::Direct(r) => (minor * r * scale_to, SCALE * scale_from),
            Rate::Inverse(r) => (minor * SCALE * scale_to, r * scale_from),
        };
        let rounded = (2 * num + den) / (2 * den);
        let converted = i64::try_from(rounded)
            .map_err(|_| DomainError::invalid(field, "the converted amount is too large"))?;
        Amount::new(field, converted)
    }

    /// `price` re-expressed in `to`: every amount converted, nothing else
    /// changed.
    pub fn convert_price(
        &self,
        field: &str,
        price: &Price,
        to: Currency,
    ) -> Result<Price, DomainError> {
        let from = price.currency();
        let conv = |a: Amount| self.convert(field, a, from, to);
        Ok(match price {
            Price::OneTime(p) => {
                let mut p = p.clone();
                p.amount = conv(p.amount)?;
                p.suggested_price = p.suggested_price.map(conv).transpose()?;
                p.currency = to;
                Price::OneTime(p)
            }
            Price::Recurring(p) => {
                let mut p = p.clone();
                p.amount = conv(p.amount)?;
                p.trial_amount = p.trial_amount.map(conv).transpose()?;
                p.currency = to;
                Price::Recurring(p)
            }
            Price::UsageBased(p) => {
                let mut p = p.clone();
                p.fixed_price = conv(p.fixed_price)?;
                p.currency = to;
                Price::UsageBased(p)
            }
        })
    }
}

enum Rate {
    Direct(i128),
    Inverse(i128),
}

/// `"0.92"` → 920_000_000; at most nine decimals.
fn billionths(raw: &str) -> Option<i128> {
    let (whole, frac) = raw.split_once('.').unwrap_or((raw, ""));
    if frac.len() > 9 || whole.is_empty() && frac.is_empty() {
        return None;
    }
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(frac) {
        return None;
    }
    let whole: i128 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let frac_val: i128 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    Some(whole * SCALE + frac_val * 10i128.pow(9 - frac.len() as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> FxRates {
        FxRates::parse(
            "@as_of,2026-11-01\n# sample\nUSD,EUR,0.92\nUSD,JPY,150.5\nEUR,INR,98.123456789\n",
        )
        .unwrap()
    }

    fn amt(minor: i64) -> Amount {
        Amount::new("amount", minor).unwrap()
    }

    #[test]
    fn conversion_scales_between_currency_exponents_and_rounds_once() {
        let t = table();
        assert_eq!(t.as_of(), "2026-11-01");
        // 19.99 USD × 0.92 = 18.3908 EUR
        assert_eq!(
            t.convert("x", amt(1999), Currency::USD, Currency::EUR)
                .unwrap(),
            amt(1839)
        );
        // 19.99 USD × 150.5 = 3008.495 JPY → 3008 (no minor unit in yen)
        assert_eq!(
            t.convert("x", amt(1999), Currency::USD, Currency::JPY)
                .unwrap(),
            amt(3008)
        );
        // 0.50 USD × 0.92 = 0.46 EUR, exact
        assert_eq!(
            t.convert("x", amt(50), Currency::USD, Currency::EUR)
                .unwrap(),
            amt(46)
        );
        assert_eq!(
            t.convert("x", amt(1), Currency::USD, Currency::JPY)
                .unwrap(),
            amt(2)
        );
    }

    #[test]
    fn half_way_conversions_round_away_from_zero_even_from_an_even_floor() {
        let t = table();
        // 1.00 USD × 150.5 = 150.5 JPY → 151 (half-to-even would give 150)
        assert_eq!(
            t.convert("x", amt(100), Currency::USD, Currency::JPY)
                .unwrap(),
            amt(151)
        );
        // 3.00 USD × 150.5 = 451.5 JPY → 452 (an odd floor: both rules agree)
        assert_eq!(
            t.convert("x", amt(300), Currency::USD, Currency::JPY)
                .unwrap(),
            amt(452)
        );
        let t = FxRates::parse("KWD,USD,5\nUSD,EUR,2.5\nUSD,JPY,200\n").unwrap();
        // 0.01 USD × 2.5 = 0.025 EUR → 0.03
        assert_eq!(
            t.convert("x", amt(1), Currency::USD, Currency::EUR)
                .unwrap(),
            amt(3)
        );
        // Across exponents: 0.001 KWD × 5 = 0.005 USD → 0.01
        assert_eq!(
            t.convert("x", amt(1), Currency::KWD, Currency::USD)
                .unwrap(),
            amt(1)
        );
        // Inverted: 5 JPY / 200 = 0.025 USD → 0.03
        assert_eq!(
            t.convert("x", amt(5), Currency::JPY, Currency::USD)
                .unwrap(),
            amt(3)
        );
    }

    #[test]
    fn the_currencies_a_price_can_be_shown_in_are_the_pairs_it_is_part_of() {
        let t = table();
        let codes = |from| {
            t.reachable_from(from)
                .into_iter()
                .map(|c| c.code())
                .collect::<Vec<_>>()
        };
        assert_eq!(codes(Currency::USD), ["EUR", "JPY", "USD"]);
        assert_eq!(codes(Currency::JPY), ["JPY", "USD"]);
        assert_eq!(codes(Currency::GBP), ["GBP"]);
    }

    #[test]
    fn a_pair_given_one_way_converts_the_other_way_inverted() {
        let t = table();
        // 1000 JPY / 150.5 = 6.6445 USD
        assert_eq!(
            t.convert("x", amt(1000), Currency::JPY, Currency::USD)
                .unwrap(),
            amt(664)
        );
        assert_eq!(
            t.convert("x", amt(777), Currency::EUR, Currency::EUR)
                .unwrap(),
            amt(777)
        );
    }

    #[test]
    fn an_unknown_pair_or_a_bad_line_is_an_error_naming_it() {
        let t = table();
        let e = t
            .convert("billing_currency", amt(1), Currency::USD, Currency::GBP)
            .unwrap_err();
        assert!(e.to_string().contains("USD to GBP"), "{e}");
        let e = FxRates::parse("USD,EUR,-1").unwrap_err();
        assert!(e.to_string().contains("line 1"), "{e}");
        assert!(FxRates::parse("USD,XYZ,1.0").is_err());
        assert!(FxRates::parse("USD,EUR").is_err());
    }
}
