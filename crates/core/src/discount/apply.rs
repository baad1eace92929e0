//! Discount arithmetic: what a code takes off a subtotal, and stacking.
//!
//! Invariants (property-tested): a deduction is never negative and never
//! more than what it applies to, so a stack of codes can bring a subtotal
//! to zero but not below, and `subtotal - Σ deductions` is exact.

use super::{Discount, DiscountType};
use crate::DomainError;
use crate::money::{BasisPoints, Money};

impl Discount {
    /// The amount this code takes off `subtotal`, in the subtotal's currency.
    ///
    /// A percentage code takes `amount` basis points (rounded half away from
    /// zero) capped by its currency option's `max_amount_possible`; a flat
    /// code takes its option's `max_amount_possible`. Below the option's
    /// `minimum_subtotal` the code takes nothing.
    pub fn deduction(&self, subtotal: Money) -> Result<Money, DomainError> {
        let currency = subtotal.currency;
        if subtotal.minor <= 0 {
            return Ok(Money::zero(currency));
        }
        let option = self.option_for(currency);
        if option.is_some_and(|o| subtotal.minor < o.minimum_subtotal.minor()) {
            return Ok(Money::zero(currency));
        }
        let cap = option
            .and_then(|o| o.max_amount_possible)
            .map(|a| a.minor());
        let raw = match self.discount_type {
            DiscountType::Percentage => {
                let rate = BasisPoints::new("amount", self.amount as i64)?;
                let off = rate.of(subtotal.minor);
                cap.map_or(off, |c| off.min(c))
            }
            DiscountType::Flat => cap.ok_or_else(|| {
                DomainError::invalid(
                    "currency",
                    format!("discount {} has no flat amount in {currency}", self.code),
                )
            })?,
        };
        Ok(Money::new(raw.clamp(0, subtotal.minor), currency))
    }
}

/// Applies codes in the given order, each to what the previous ones left.
/// Returns one deduction per code.
pub fn apply_in_order(subtotal: Money, discounts: &[&Discount]) -> Result<Vec<Money>, DomainError> {
    let mut remaining = subtotal;
    let mut deductions = Vec::with_capacity(discounts.len());
    for discount in discounts {
        let off = discount.deduction(remaining)?;
        remaining = remaining.checked_sub(off)?;
        deductions.push(off);
    }
    Ok(deductions)
}
