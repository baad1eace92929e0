//! Money: integer minor units tagged with an ISO 4217 currency.
//!
//! No floats on a money path. Amounts are `i64` minor units (cents, yen,
//! fils); percentages are basis points; every division rounds explicitly
//! (half away from zero) in one place, [`BasisPoints::of`].

mod currencies;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// Generates [`Currency`] from a `CODE = exponent` table.
#[macro_export]
#[doc(hidden)]
macro_rules! currency_table {
    ($($code:ident = $exp:literal,)*) => {
        /// An ISO 4217 currency that Kassa accepts.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
        pub enum Currency { $($code,)* }

        impl Currency {
            /// Every accepted currency, in code order.
            pub const ACCEPTED: &'static [Currency] = &[$(Currency::$code,)*];

            pub fn code(self) -> &'static str {
                match self { $(Currency::$code => stringify!($code),)* }
            }

            /// Digits after the decimal point: JPY 0, USD 2, KWD 3.
            pub fn exponent(self) -> u32 {
                match self { $(Currency::$code => $exp,)* }
            }

            pub fn parse(code: &str) -> Option<Currency> {
                match code { $(stringify!($code) => Some(Currency::$code),)* _ => None }
            }
        }
    };
}

pub use currencies::Currency;

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Currency::parse(&code)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown currency `{code}`")))
    }
}

/// A non-negative price amount in minor units, bounded by the wire's int32.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Amount(i64);

impl Amount {
    pub const ZERO: Amount = Amount(0);
    /// The largest amount any Dodo wire field can carry (`int32`).
    pub const MAX: i64 = i32::MAX as i64;

    pub fn new(field: &str, minor: i64) -> Result<Amount, DomainError> {
        if !(0..=Self::MAX).contains(&minor) {
            return Err(DomainError::invalid(
                field,
                format!(
                    "must be between 0 and {} minor units, got {minor}",
                    Self::MAX
                ),
            ));
        }
        Ok(Amount(minor))
    }

    pub fn minor(self) -> i64 {
        self.0
    }
}

impl TryFrom<i64> for Amount {
    type Error = DomainError;
    fn try_from(v: i64) -> Result<Self, DomainError> {
        Amount::new("amount", v)
    }
}

impl From<Amount> for i64 {
    fn from(a: Amount) -> i64 {
        a.0
    }
}

/// A signed amount of one currency. Arithmetic is checked: mixing
/// currencies or overflowing is an error, never a wrap or a panic.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    pub fn zero(currency: Currency) -> Money {
        Money { minor: 0, currency }
    }

    pub fn checked_add(self, other: Money) -> Result<Money, DomainError> {
        self.same_currency(other)?;
        self.minor
            .checked_add(other.minor)
            .map(|minor| Money::new(minor, self.currency))
            .ok_or(DomainError::Overflow("addition"))
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, DomainError> {
        self.same_currency(other)?;
        self.minor
            .checked_sub(other.minor)
            .map(|minor| Money::new(minor, self.currency))
            .ok_or(DomainError::Overflow("subtraction"))
    }

    pub fn checked_mul(self, factor: i64) -> Result<Money, DomainError> {
        self.minor
            .checked_mul(factor)
            .map(|minor| Money::new(minor, self.currency))
            .ok_or(DomainError::Overflow("multiplication"))
    }

    fn same_currency(self, other: Money) -> Result<(), DomainError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(DomainError::invalid(
                "currency",
                format!("cannot combine {} with {}", self.currency, other.currency),
            ))
        }
    }
}

impl fmt::Display for Money {
    /// `12.34 USD`, `1000 JPY`: exact, from the integer, no float.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let exp = self.currency.exponent();
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        if exp == 0 {
            return write!(f, "{sign}{abs} {}", self.currency);
        }
        let scale = 10u64.pow(exp);
        write!(
            f,
            "{sign}{}.{:0width$} {}",
            abs / scale,
            abs % scale,
            self.currency,
            width = exp as usize
        )
    }
}

/// A rate in basis points: 1 bp = 0.01 %, 10 000 bp = 100 %.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct BasisPoints(u32);

impl BasisPoints {
    pub const FULL: BasisPoints = BasisPoints(10_000);

    pub fn new(field: &str, bps: i64) -> Result<BasisPoints, DomainError> {
        if !(0..=10_000).contains(&bps) {
            return Err(DomainError::invalid(
                field,
                format!("must be between 0 and 10000 basis points, got {bps}"),
            ));
        }
        Ok(BasisPoints(bps as u32))
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// `amount × rate`, rounded half away from zero to a whole minor unit.
    /// Computed in i128, so it cannot overflow for any i64 amount, and the
    /// result's magnitude never exceeds the amount's.
    pub fn of(self, minor: i64) -> i64 {
        let product = minor as i128 * self.0 as i128;
        let half = 5_000i128 * product.signum();
        ((product + half) / 10_000) as i64
    }
}

impl TryFrom<u32> for BasisPoints {
    type Error = DomainError;
    fn try_from(v: u32) -> Result<Self, DomainError> {
        BasisPoints::new("basis_points", v as i64)
    }
}

impl From<BasisPoints> for u32 {
    fn from(b: BasisPoints) -> u32 {
        b.0
    }
}

#[cfg(test)]
mod tests;
