//! Dodo's `Price` union on the wire (`type`: one_time_price, recurring_price,
//! usage_based_price) and its mapping to the domain price.

use kassa_core::catalog::{
    OneTimePrice, Period, Price, RecurringPrice, TimeInterval, UsageBasedPrice,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ApiError;
use crate::openapi::{CurrencyCode, MinorUnits, TimeIntervalSchema};
use crate::wire::{amount, currency};

/// Dodo's `Price`, by its `type`. Amounts are minor units, `discount` a
/// percentage; periods count 1 to 1000 of their interval.
#[derive(Deserialize, ToSchema)]
#[serde(tag = "type")]
#[schema(as = Price)]
pub enum PriceIn {
    #[serde(rename = "one_time_price")]
    OneTime {
        #[schema(value_type = MinorUnits)]
        price: i64,
        #[schema(value_type = CurrencyCode)]
        currency: String,
        #[serde(default)]
        #[schema(minimum = 0, maximum = 100)]
        discount: i64,
        #[serde(default)]
        purchasing_power_parity: bool,
        pay_what_you_want: Option<bool>,
        #[schema(value_type = Option<MinorUnits>)]
        suggested_price: Option<i64>,
        tax_inclusive: Option<bool>,
    },
    #[serde(rename = "recurring_price")]
    Recurring {
        #[schema(value_type = MinorUnits)]
        price: i64,
        #[schema(value_type = CurrencyCode)]
        currency: String,
        #[serde(default)]
        #[schema(minimum = 0, maximum = 100)]
        discount: i64,
        #[serde(default)]
        purchasing_power_parity: bool,
        #[schema(minimum = 1, maximum = 1000)]
        payment_frequency_count: i64,
        #[schema(value_type = TimeIntervalSchema)]
        payment_frequency_interval: TimeInterval,
        #[schema(minimum = 1, maximum = 1000)]
        subscription_period_count: i64,
        #[schema(value_type = TimeIntervalSchema)]
        subscription_period_interval: TimeInterval,
        #[schema(minimum = 0, maximum = 3650)]
        trial_period_days: Option<i64>,
        #[schema(value_type = Option<MinorUnits>)]
        trial_amount: Option<i64>,
        trial_apply_discounts: Option<bool>,
        tax_inclusive: Option<bool>,
    },
    #[serde(rename = "usage_based_price")]
    UsageBased {
        #[schema(value_type = MinorUnits)]
        fixed_price: i64,
        #[schema(value_type = CurrencyCode)]
        currency: String,
        #[serde(default)]
        #[schema(minimum = 0, maximum = 100)]
        discount: i64,
        #[serde(default)]
        purchasing_power_parity: bool,
        #[schema(minimum = 1, maximum = 1000)]
        payment_frequency_count: i64,
        #[schema(value_type = TimeIntervalSchema)]
        payment_frequency_interval: TimeInterval,
        #[schema(minimum = 1, maximum = 1000)]
        subscription_period_count: i64,
        #[schema(value_type = TimeIntervalSchema)]
        subscription_period_interval: TimeInterval,
        /// Meters are not served yet: any meter named here is a 404.
        #[schema(max_items = 0)]
        meters: Option<Vec<serde_json::Value>>,
        tax_inclusive: Option<bool>,
    },
}

impl PriceIn {
    pub fn into_domain(self) -> Result<Price, ApiError> {
        let price = match self {
            PriceIn::OneTime {
                price,
                currency: code,
                discount,
                purchasing_power_parity,
                pay_what_you_want,
                suggested_price,
                tax_inclusive,
            } => Price::OneTime(OneTimePrice {
                amount: amount("price.price", price)?,
                currency: currency("price.currency", &code)?,
                discount_percent: Price::discount_percent("price.discount", discount)?,
                purchasing_power_parity,
                pay_what_you_want: pay_what_you_want.unwrap_or(false),
                suggested_price: suggested_price
                    .map(|s| amount("price.suggested_price", s))
                    .transpose()?,
                tax_inclusive,
            }),
            PriceIn::Recurring {
                price,
                currency: code,
                discount,
                purchasing_power_parity,
                payment_frequency_count,
                payment_frequency_interval,
                subscription_period_count,
                subscription_period_interval,
                trial_period_days,
                trial_amount,
                trial_apply_discounts,
                tax_inclusive,
            } => Price::Recurring(RecurringPrice {
                amount: amount("price.price", price)?,
                currency: currency("price.currency", &code)?,
                discount_percent: Price::discount_percent("price.discount", discount)?,
                purchasing_power_parity,
                payment_frequency: Period::new(
                    "price.payment_frequency_count",
                    payment_frequency_count,
                    payment_frequency_interval,
                )?,
                subscription_period: Period::new(
                    "price.subscription_period_count",
                    subscription_period_count,
                    subscription_period_interval,
                )?,
                trial_period_days: Price::trial_days(
                    "price.trial_period_days",
                    trial_period_days.unwrap_or(0),
                )?,
                trial_amount: trial_amount
                    .map(|t| amount("price.trial_amount", t))
                    .transpose()?,
                trial_apply_discounts,
                tax_inclusive,
            }),
            PriceIn::UsageBased {
                fixed_price,
                currency: code,
                discount,
                purchasing_power_parity,
                payment_frequency_count,
                payment_frequency_interval,
                subscription_period_count,
                subscription_period_interval,
                meters,
                tax_inclusive,
            } => {
                if let Some(meter) = meters.unwrap_or_default().first() {
                    let id = meter.get("meter_id").and_then(|v| v.as_str()).unwrap_or("");
                    return Err(ApiError::App(kassa_app::AppError::not_found("meter", id)));
                }
                Price::UsageBased(UsageBasedPrice {
                    fixed_price: amount("price.fixed_price", fixed_price)?,
                    currency: currency("price.currency", &code)?,
                    discount_percent: Price::discount_percent("price.discount", discount)?,
                    purchasing_power_parity,
                    payment_frequency: Period::new(
                        "price.payment_frequency_count",
                        payment_frequency_count,
                        payment_frequency_interval,
                    )?,
                    subscription_period: Period::new(
                        "price.subscription_period_count",
                        subscription_period_count,
                        subscription_period_interval,
                    )?,
                    tax_inclusive,
                })
            }
        };
        Ok(price)
    }
}

#[derive(Serialize, ToSchema)]
#[serde(tag = "type")]
#[schema(as = PriceOut)]
pub enum PriceOut {
    #[serde(rename = "one_time_price")]
    OneTime {
        price: i64,
        #[schema(value_type = CurrencyCode)]
        currency: &'static str,
        discount: u8,
        purchasing_power_parity: bool,
        pay_what_you_want: bool,
        suggested_price: Option<i64>,
        tax_inclusive: Option<bool>,
    },
    #[serde(rename = "recurring_price")]
    Recurring {
        price: i64,
        #[schema(value_type = CurrencyCode)]
        currency: &'static str,
        discount: u8,
        purchasing_power_parity: bool,
        payment_frequency_count: u32,
        #[schema(value_type = TimeIntervalSchema)]
        payment_frequency_interval: TimeInterval,
        subscription_period_count: u32,
        #[schema(value_type = TimeIntervalSchema)]
        subscription_period_interval: TimeInterval,
        trial_period_days: u32,
        trial_amount: Option<i64>,
        trial_apply_discounts: Option<bool>,
        tax_inclusive: Option<bool>,
    },
    #[serde(rename = "usage_based_price")]
    UsageBased {
        fixed_price: i64,
        #[schema(value_type = CurrencyCode)]
        currency: &'static str,
        discount: u8,
        purchasing_power_parity: bool,
        payment_frequency_count: u32,
        #[schema(value_type = TimeIntervalSchema)]
        payment_frequency_interval: TimeInterval,
        subscription_period_count: u32,
        #[schema(value_type = TimeIntervalSchema)]
        subscription_period_interval: TimeInterval,
        meters: Vec<serde_json::Value>,
        tax_inclusive: Option<bool>,
    },
}

impl From<&Price> for PriceOut {
    fn from(price: &Price) -> PriceOut {
        match price {
            Price::OneTime(p) => PriceOut::OneTime {
                price: p.amount.minor(),
                currency: p.currency.code(),
                discount: p.discount_percent,
                purchasing_power_parity: p.purchasing_power_parity,
                pay_what_you_want: p.pay_what_you_want,
                suggested_price: p.suggested_price.map(|a| a.minor()),
                tax_inclusive: p.tax_inclusive,
            },
            Price::Recurring(p) => PriceOut::Recurring {
                price: p.amount.minor(),
                currency: p.currency.code(),
                discount: p.discount_percent,
                purchasing_power_parity: p.purchasing_power_parity,
                payment_frequency_count: p.payment_frequency.count,
                payment_frequency_interval: p.payment_frequency.interval,
                subscription_period_count: p.subscription_period.count,
                subscription_period_interval: p.subscription_period.interval,
                trial_period_days: p.trial_period_days,
                trial_amount: p.trial_amount.map(|a| a.minor()),
                trial_apply_discounts: p.trial_apply_discounts,
                tax_inclusive: p.tax_inclusive,
            },
            Price::UsageBased(p) => PriceOut::UsageBased {
                fixed_price: p.fixed_price.minor(),
                currency: p.currency.code(),
                discount: p.discount_percent,
                purchasing_power_parity: p.purchasing_power_parity,
                payment_frequency_count: p.payment_frequency.count,
                payment_frequency_interval: p.payment_frequency.interval,
                subscription_period_count: p.subscription_period.count,
                subscription_period_interval: p.subscription_period.interval,
                meters: vec![],
                tax_inclusive: p.tax_inclusive,
            },
        }
    }
}
