//! Tax: a rate table (data, with its sources and date, replaceable by the
//! operator), the lookup that picks the rates for a sale, and the exact
//! integer arithmetic that turns a rate into minor units.

mod table;
mod vat_id;

pub(crate) use table::data_lines;
pub use table::{TaxComponent, TaxTable};
pub use vat_id::EuVatId;

use crate::DomainError;

/// A tax rate in parts per million (190 000 = 19 %). Finer than basis
/// points because real rates need it (Québec's QST is 9.975 %).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct TaxRate(u32);

impl TaxRate {
    pub const ZERO: TaxRate = TaxRate(0);
    const MILLION: i128 = 1_000_000;

    /// Rates above 100 % are refused: no sales tax is that high, so such a
    /// row is a typo in an operator's table.
    pub fn from_ppm(ppm: i64) -> Result<TaxRate, DomainError> {
        if !(0..=1_000_000).contains(&ppm) {
            return Err(DomainError::invalid(
                "rate_ppm",
                format!("must be between 0 and 1000000, got {ppm}"),
            ));
        }
        Ok(TaxRate(ppm as u32))
    }

    pub fn ppm(self) -> u32 {
        self.0
    }

    /// Basis points, for wire fields that carry them (rounded half up).
    pub fn basis_points(self) -> u32 {
        (self.0 + 50) / 100
    }

    /// Tax on a tax-exclusive net amount, rounded half away from zero.
    pub fn on_net(self, net: i64) -> i64 {
        round_div(net as i128 * self.0 as i128, Self::MILLION)
    }

    /// The tax contained in a tax-inclusive gross amount:
    /// `gross − gross / (1 + rate)`, the division rounded half away from
    /// zero, so `net + tax == gross` exactly.
    pub fn within_gross(self, gross: i64) -> i64 {
        let net = round_div(
            gross as i128 * Self::MILLION,
            Self::MILLION + self.0 as i128,
        );
        gross - net
    }

    pub fn checked_add(self, other: TaxRate) -> Option<TaxRate> {
        self.0
            .checked_add(other.0)
            .filter(|sum| *sum <= 1_000_000)
            .map(TaxRate)
    }
}

/// `n / d` rounded half away from zero; `d > 0`. The result fits in i64
/// whenever `|n / d| <= |i64|`, which holds for every caller here (rates
/// are at most 100 %).
fn round_div(n: i128, d: i128) -> i64 {
    let q = (n.abs() + d / 2) / d;
    (q * n.signum()) as i64
}

#[cfg(test)]
mod tests;
