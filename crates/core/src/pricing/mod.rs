//! Pricing: a cart of lines, a stack of discount codes and per-line tax
//! rates in; an exact breakdown per line and per cart out.
//!
//! Rules, in order:
//! 1. A line's subtotal is unit amount × quantity.
//! 2. Codes apply in the order given. Each code takes its deduction from
//!    what earlier codes left of the lines it is eligible for (all lines,
//!    or those of `restricted_to`), computed once on that eligible sum and
//!    split across those lines in proportion to what is left of them, by
//!    largest remainder, so the split adds up to the deduction exactly.
//! 3. Tax is per line on what is left: added on top for tax-exclusive
//!    prices, carved out of it for tax-inclusive ones.
//! 4. Cart figures are sums of line figures, so a cart's total is the sum
//!    of its lines' totals by construction: no drift in any currency.

#[cfg(test)]
mod tests;

use crate::DomainError;
use crate::discount::Discount;
use crate::id::{DiscountId, ProductId};
use crate::money::{Amount, Currency, Money};
use crate::tax::TaxRate;

/// One line of a cart, with its prices already resolved (list price or
/// the pay-what-you-want amount) and its tax rate looked up.
#[derive(Clone, Debug, PartialEq)]
pub struct LineInput {
    pub product: ProductId,
    pub unit_amount: Amount,
    pub quantity: u32,
    pub tax_rate: TaxRate,
    pub tax_inclusive: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineBreakdown {
    pub product: ProductId,
    pub quantity: u32,
    pub subtotal: i64,
    pub discount: i64,
    pub tax: i64,
    pub total: i64,
    pub tax_rate: TaxRate,
    pub tax_inclusive: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CartBreakdown {
    pub currency: Currency,
    pub lines: Vec<LineBreakdown>,
    /// Per code, in the order applied: what it took off the cart.
    pub discounts: Vec<(DiscountId, i64)>,
    pub subtotal: i64,
    pub discount: i64,
    pub tax: i64,
    pub total: i64,
}

/// Prices a cart. Errors only on arithmetic overflow or a flat code with
/// no amount in `currency`.
pub fn price_cart(
    currency: Currency,
    lines: &[LineInput],
    discounts: &[&Discount],
) -> Result<CartBreakdown, DomainError> {
    let subtotals = lines
        .iter()
        .map(|l| {
            l.unit_amount
                .minor()
                .checked_mul(l.quantity as i64)
                .ok_or(DomainError::Overflow("line subtotal"))
        })
        .collect::<Result<Vec<i64>, _>>()?;
    let mut left = subtotals.clone();
    let mut taken = vec![0i64; lines.len()];
    let mut per_code = Vec::with_capacity(discounts.len());
    for code in discounts {
        let eligible: Vec<usize> = (0..lines.len())
            .filter(|&i| {
                code.restricted_to.is_empty() || code.restricted_to.contains(&lines[i].product)
            })
            .collect();
        let base: i64 = eligible.iter().map(|&i| left[i]).sum();
        let off = code.deduction(Money::new(base, currency))?.minor;
        for (i, share) in split(off, &eligible.iter().map(|&i| left[i]).collect::<Vec<_>>())
            .into_iter()
            .enumerate()
        {
            let line = eligible[i];
            left[line] -= share;
            taken[line] += share;
        }
        per_code.push((code.id.clone(), off));
    }
    let mut out = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let net = left[i];
        let (tax, total) = if line.tax_inclusive {
            (line.tax_rate.within_gross(net), net)
        } else {
            let tax = line.tax_rate.on_net(net);
            (
                tax,
                net.checked_add(tax)
                    .ok_or(DomainError::Overflow("line total"))?,
            )
        };
        out.push(LineBreakdown {
            product: line.product.clone(),
            quantity: line.quantity,
            subtotal: subtotals[i],
            discount: taken[i],
            tax,
            total,
            tax_rate: line.tax_rate,
            tax_inclusive: line.tax_inclusive,
        });
    }
    let sum = |f: fn(&LineBreakdown) -> i64| -> Result<i64, DomainError> {
        out.iter()
            .try_fold(0i64, |acc, l| acc.checked_add(f(l)))
            .ok_or(DomainError::Overflow("cart sum"))
    };
    Ok(CartBreakdown {
        currency,
        subtotal: sum(|l| l.subtotal)?,
        discount: sum(|l| l.discount)?,
        tax: sum(|l| l.tax)?,
        total: sum(|l| l.total)?,
        lines: out,
        discounts: per_code,
    })
}

/// Splits `amount` over `weights` proportionally, by largest remainder
/// (ties to the earlier weight). Requires `0 <= amount <= Σ weights` and
/// non-negative weights; each share is then at most its weight and the
/// shares add up to `amount` exactly.
pub fn split(amount: i64, weights: &[i64]) -> Vec<i64> {
    let total: i128 = weights.iter().map(|w| *w as i128).sum();
    if total == 0 || amount == 0 {
        return vec![0; weights.len()];
    }
    let mut shares: Vec<(i64, i128, usize)> = weights
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let exact = amount as i128 * *w as i128;
            ((exact / total) as i64, exact % total, i)
        })
        .collect();
    let mut short = amount - shares.iter().map(|s| s.0).sum::<i64>();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| shares[b].1.cmp(&shares[a].1).then(a.cmp(&b)));
    for i in order {
        if short == 0 {
            break;
        }
        shares[i].0 += 1;
        short -= 1;
    }
    shares.into_iter().map(|s| s.0).collect()
}
