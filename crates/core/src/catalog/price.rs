//! Prices: one-time, recurring, usage-based. Amounts are minor units.

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::money::{Amount, Currency};

/// Calendar unit of a billing or subscription period.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
pub enum TimeInterval {
    Day,
    Week,
    Month,
    Year,
}

/// `count` × `interval`, e.g. every 3 Months.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
pub struct Period {
    pub count: u32,
    pub interval: TimeInterval,
}

impl Period {
    /// Upper bound on a period count: a thousand years of days is plenty.
    pub const MAX_COUNT: i64 = 1_000;

    /// The instant one period after `from`, by the calendar: a month after
    /// 31 January is the last day of February.
    pub fn after(self, from: time::OffsetDateTime) -> time::OffsetDateTime {
        let n = i64::from(self.count);
        match self.interval {
            TimeInterval::Day => from + time::Duration::days(n),
            TimeInterval::Week => from + time::Duration::weeks(n),
            TimeInterval::Month => add_months(from, n),
            TimeInterval::Year => add_months(from, 12 * n),
        }
    }

    pub fn new(field: &str, count: i64, interval: TimeInterval) -> Result<Period, DomainError> {
        if !(1..=Self::MAX_COUNT).contains(&count) {
            return Err(DomainError::invalid(
                field,
                format!("must be between 1 and {}", Self::MAX_COUNT),
            ));
        }
        Ok(Period {
            count: count as u32,
            interval,
        })
    }
}

#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct OneTimePrice {
    pub amount: Amount,
    pub currency: Currency,
    /// Dodo's legacy percentage (0–100) shown as a strike-through.
    pub discount_percent: u8,
    pub purchasing_power_parity: bool,
    /// The customer chooses the amount; `amount` is then the minimum.
    pub pay_what_you_want: bool,
    pub suggested_price: Option<Amount>,
    pub tax_inclusive: Option<bool>,
}

#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct RecurringPrice {
    pub amount: Amount,
    pub currency: Currency,
    pub discount_percent: u8,
    pub purchasing_power_parity: bool,
    pub payment_frequency: Period,
    pub subscription_period: Period,
    pub trial_period_days: u32,
    /// Charged today for a paid trial.
    pub trial_amount: Option<Amount>,
    pub trial_apply_discounts: Option<bool>,
    pub tax_inclusive: Option<bool>,
}

#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct UsageBasedPrice {
    pub fixed_price: Amount,
    pub currency: Currency,
    pub discount_percent: u8,
    pub purchasing_power_parity: bool,
    pub payment_frequency: Period,
    pub subscription_period: Period,
    pub tax_inclusive: Option<bool>,
}

#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Price {
    OneTime(OneTimePrice),
    Recurring(RecurringPrice),
    UsageBased(UsageBasedPrice),
}

/// Longest free trial Kassa accepts (ten years).
pub const MAX_TRIAL_DAYS: i64 = 3_650;

impl Price {
    pub fn currency(&self) -> Currency {
        match self {
            Price::OneTime(p) => p.currency,
            Price::Recurring(p) => p.currency,
            Price::UsageBased(p) => p.currency,
        }
    }

    /// The headline amount: the price, or the fixed part of a usage price.
    pub fn amount(&self) -> Amount {
        match self {
            Price::OneTime(p) => p.amount,
            Price::Recurring(p) => p.amount,
            Price::UsageBased(p) => p.fixed_price,
        }
    }

    pub fn tax_inclusive(&self) -> Option<bool> {
        match self {
            Price::OneTime(p) => p.tax_inclusive,
            Price::Recurring(p) => p.tax_inclusive,
            Price::UsageBased(p) => p.tax_inclusive,
        }
    }

    /// Subscriptions (recurring and usage-based) renew; one-time prices don't.
    pub fn is_recurring(&self) -> bool {
        !matches!(self, Price::OneTime(_))
    }

    /// Parses the legacy percentage field shared by all price kinds.
    pub fn discount_percent(field: &str, value: i64) -> Result<u8, DomainError> {
        if !(0..=100).contains(&value) {
            return Err(DomainError::invalid(
                field,
                "must be a percentage between 0 and 100",
            ));
        }
        Ok(value as u8)
    }

    pub fn trial_days(field: &str, value: i64) -> Result<u32, DomainError> {
        if !(0..=MAX_TRIAL_DAYS).contains(&value) {
            return Err(DomainError::invalid(
                field,
                format!("must be between 0 and {MAX_TRIAL_DAYS} days"),
            ));
        }
        Ok(value as u32)
    }

    /// Rules that relate several fields of one price.
    pub fn check(&self) -> Result<(), DomainError> {
        match self {
            Price::OneTime(p) => {
                if let Some(suggested) = p.suggested_price {
                    if !p.pay_what_you_want {
                        return Err(DomainError::invalid(
                            "price.suggested_price",
                            "is only allowed with pay_what_you_want",
                        ));
                    }
                    if suggested < p.amount {
                        return Err(DomainError::invalid(
                            "price.suggested_price",
                            "must not be below the minimum price",
                        ));
                    }
                }
                Ok(())
            }
            Price::Recurring(p) => match p.trial_amount {
                Some(trial) if trial > p.amount => Err(DomainError::invalid(
                    "price.trial_amount",
                    "must not exceed the recurring price",
                )),
                Some(_) if p.trial_period_days == 0 => Err(DomainError::invalid(
                    "price.trial_amount",
                    "needs trial_period_days greater than 0",
                )),
                _ => Ok(()),
            },
            Price::UsageBased(_) => Ok(()),
        }
    }
}

fn add_months(from: time::OffsetDateTime, months: i64) -> time::OffsetDateTime {
    let total = i64::from(from.year()) * 12 + i64::from(from.month() as u8 - 1) + months;
    let year = total.div_euclid(12) as i32;
    let month = time::Month::try_from((total.rem_euclid(12) + 1) as u8).expect("1..=12");
    let last_day = time::util::days_in_month(month, year);
    let date = time::Date::from_calendar_date(year, month, from.day().min(last_day))
        .expect("a clamped day is valid");
    from.replace_date(date)
}

#[cfg(test)]
mod period_tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_month_after_january_31st_is_the_end_of_february() {
        let p = Period {
            count: 1,
            interval: TimeInterval::Month,
        };
        assert_eq!(
            p.after(datetime!(2027-01-31 10:00 UTC)),
            datetime!(2027-02-28 10:00 UTC)
        );
        assert_eq!(
            p.after(datetime!(2028-01-31 10:00 UTC)),
            datetime!(2028-02-29 10:00 UTC)
        );
        let year = Period {
            count: 1,
            interval: TimeInterval::Year,
        };
        assert_eq!(
            year.after(datetime!(2028-02-29 00:00 UTC)),
            datetime!(2029-02-28 00:00 UTC)
        );
        let quarter = Period {
            count: 3,
            interval: TimeInterval::Month,
        };
        assert_eq!(
            quarter.after(datetime!(2026-11-30 00:00 UTC)),
            datetime!(2027-02-28 00:00 UTC)
        );
    }
}
