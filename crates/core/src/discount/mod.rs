//! Discount codes: percentage (basis points) or flat per currency, with
//! limits, schedules and product restrictions, and the arithmetic that
//! applies them.

mod apply;

pub use apply::apply_in_order;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::DomainError;
use crate::id::{BusinessId, DiscountId, ProductId};
use crate::metadata::Metadata;
use crate::money::{Amount, Currency};

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiscountType {
    Percentage,
    Flat,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerEligibility {
    #[default]
    Any,
    FirstTime,
    Existing,
    Specific,
}

/// Per-currency settings: for flat codes `max_amount_possible` is the
/// deduction; for percentage codes it caps the deduction.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct CurrencyOption {
    pub currency: Currency,
    pub is_default: bool,
    pub max_amount_possible: Option<Amount>,
    pub minimum_subtotal: Amount,
}

#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Discount {
    pub id: DiscountId,
    pub business: BusinessId,
    pub code: String,
    pub name: Option<String>,
    pub discount_type: DiscountType,
    /// Basis points for percentage codes (1..=10000); kept as sent for flat.
    pub amount: u32,
    pub currency_options: Vec<CurrencyOption>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub starts_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires_at: Option<OffsetDateTime>,
    pub usage_limit: Option<u32>,
    pub per_customer_usage_limit: Option<u32>,
    pub restricted_to: Vec<ProductId>,
    pub subscription_cycles: Option<u32>,
    pub preserve_on_plan_change: bool,
    pub customer_eligibility: CustomerEligibility,
    pub metadata: Metadata,
    pub times_used: u32,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When the merchant deleted it: a deleted code is kept (its uses are
    /// history) but is never found, listed or redeemed, and frees its code.
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub deleted_at: Option<OffsetDateTime>,
}

/// The merchant-chosen fields of a discount, for create and (merged) update.
#[derive(Clone, PartialEq, Debug)]
pub struct DiscountDraft {
    pub code: Option<String>,
    pub name: Option<String>,
    pub discount_type: DiscountType,
    pub amount: i64,
    pub currency_options: Vec<CurrencyOption>,
    pub starts_at: Option<OffsetDateTime>,
    pub expires_at: Option<OffsetDateTime>,
    pub usage_limit: Option<i64>,
    pub per_customer_usage_limit: Option<i64>,
    pub restricted_to: Vec<ProductId>,
    pub subscription_cycles: Option<i64>,
    pub preserve_on_plan_change: bool,
    pub customer_eligibility: CustomerEligibility,
    pub metadata: Metadata,
}

/// A partial update; `Some(None)` clears a nullable field.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct DiscountPatch {
    pub code: Option<String>,
    pub name: Option<Option<String>>,
    pub discount_type: Option<DiscountType>,
    pub amount: Option<i64>,
    pub currency_options: Option<Vec<CurrencyOption>>,
    pub starts_at: Option<Option<OffsetDateTime>>,
    pub expires_at: Option<Option<OffsetDateTime>>,
    pub usage_limit: Option<Option<i64>>,
    pub per_customer_usage_limit: Option<Option<i64>>,
    pub restricted_to: Option<Vec<ProductId>>,
    pub subscription_cycles: Option<Option<i64>>,
    pub preserve_on_plan_change: Option<bool>,
    pub customer_eligibility: Option<CustomerEligibility>,
    pub metadata: Option<Metadata>,
}

/// List filters (`GET /discounts`).
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct DiscountFilter {
    /// Case-insensitive substring of the code.
    pub code: Option<String>,
    pub discount_type: Option<DiscountType>,
    /// `Some((true, now))`: only codes redeemable at `now`.
    pub active: Option<(bool, OffsetDateTime)>,
    /// Only codes that apply to this product (restricted to it, or unrestricted).
    pub product: Option<ProductId>,
}

const CODE_MIN: usize = 3;
const CODE_MAX: usize = 16;

impl Discount {
    pub fn create(
        id: DiscountId,
        business: BusinessId,
        draft: DiscountDraft,
        now: OffsetDateTime,
    ) -> Result<Discount, DomainError> {
        let code = match draft.code {
            Some(code) => parse_code(&code)?,
            None => crate::id::random_base62(CODE_MAX).to_uppercase(),
        };
        let discount = Discount {
            id,
            business,
            code,
            name: draft.name,
            discount_type: draft.discount_type,
            amount: positive_u32("amount", draft.amount)?,
            currency_options: draft.currency_options,
            starts_at: draft.starts_at,
            expires_at: draft.expires_at,
            usage_limit: draft
                .usage_limit
                .map(|v| positive_u32("usage_limit", v))
                .transpose()?,
            per_customer_usage_limit: draft
                .per_customer_usage_limit
                .map(|v| positive_u32("per_customer_usage_limit", v))
                .transpose()?,
            restricted_to: draft.restricted_to,
            subscription_cycles: draft
                .subscription_cycles
                .map(|v| positive_u32("subscription_cycles", v))
                .transpose()?,
            preserve_on_plan_change: draft.preserve_on_plan_change,
            customer_eligibility: draft.customer_eligibility,
            metadata: draft.metadata,
            times_used: 0,
            deleted_at: None,
            created_at: now,
        };
        discount.check()?;
        Ok(discount)
    }

    /// Applies a patch by re-running creation's rules on the merged draft.
    pub fn apply(&mut self, patch: DiscountPatch) -> Result<(), DomainError> {
        let draft = DiscountDraft {
            code: Some(patch.code.unwrap_or_else(|| self.code.clone())),
            name: patch.name.unwrap_or_else(|| self.name.clone()),
            discount_type: patch.discount_type.unwrap_or(self.discount_type),
            amount: patch.amount.unwrap_or(self.amount as i64),
            currency_options: patch
                .currency_options
                .unwrap_or_else(|| self.currency_options.clone()),
            starts_at: patch.starts_at.unwrap_or(self.starts_at),
            expires_at: patch.expires_at.unwrap_or(self.expires_at),
            usage_limit: patch.usage_limit.unwrap_or(self.usage_limit.map(i64::from)),
            per_customer_usage_limit: patch
                .per_customer_usage_limit
                .unwrap_or(self.per_customer_usage_limit.map(i64::from)),
            restricted_to: patch
                .restricted_to
                .unwrap_or_else(|| self.restricted_to.clone()),
            subscription_cycles: patch
                .subscription_cycles
                .unwrap_or(self.subscription_cycles.map(i64::from)),
            preserve_on_plan_change: patch
                .preserve_on_plan_change
                .unwrap_or(self.preserve_on_plan_change),
            customer_eligibility: patch
                .customer_eligibility
                .unwrap_or(self.customer_eligibility),
            metadata: patch.metadata.unwrap_or_else(|| self.metadata.clone()),
        };
        let mut next = Discount::create(
            self.id.clone(),
            self.business.clone(),
            draft,
            self.created_at,
        )?;
        next.times_used = self.times_used;
        *self = next;
        Ok(())
    }

    /// Redeemable at `now`: started, not expired, uses left.
    pub fn is_active(&self, now: OffsetDateTime) -> bool {
        self.starts_at.is_none_or(|s| s <= now)
            && self.expires_at.is_none_or(|e| now < e)
            && self.usage_limit.is_none_or(|l| self.times_used < l)
    }

    pub fn option_for(&self, currency: Currency) -> Option<&CurrencyOption> {
        self.currency_options
            .iter()
            .find(|o| o.currency == currency)
    }

    fn check(&self) -> Result<(), DomainError> {
        if self.discount_type == DiscountType::Percentage && self.amount > 10_000 {
            return Err(DomainError::invalid(
                "amount",
                format!(
                    "a percentage discount is at most 10000 basis points (100%), got {}",
                    self.amount
                ),
            ));
        }
        if let (Some(start), Some(end)) = (self.starts_at, self.expires_at)
            && start >= end
        {
            return Err(DomainError::invalid(
                "starts_at",
                "must be before expires_at",
            ));
        }
        if let (Some(per_customer), Some(total)) = (self.per_customer_usage_limit, self.usage_limit)
            && per_customer > total
        {
            return Err(DomainError::invalid(
                "per_customer_usage_limit",
                "must not exceed usage_limit",
            ));
        }
        if let Some(name) = &self.name {
            crate::text::bounded("name", name, 100)?;
        }
        self.check_currency_options()
    }

    fn check_currency_options(&self) -> Result<(), DomainError> {
        let options = &self.currency_options;
        let mut seen = std::collections::HashSet::new();
        for (i, option) in options.iter().enumerate() {
            if !seen.insert(option.currency) {
                return Err(DomainError::invalid(
                    format!("currency_options[{i}].currency"),
                    format!("{} is listed twice", option.currency),
                ));
            }
            if option.max_amount_possible.is_some_and(|m| m.minor() == 0) {
                return Err(DomainError::invalid(
                    format!("currency_options[{i}].max_amount_possible"),
                    "must be greater than 0",
                ));
            }
            if self.discount_type == DiscountType::Flat && option.max_amount_possible.is_none() {
                return Err(DomainError::invalid(
                    format!("currency_options[{i}].max_amount_possible"),
                    "is the deduction of a flat discount and is required",
                ));
            }
        }
        if options.iter().filter(|o| o.is_default).count() > 1 {
            return Err(DomainError::invalid(
                "currency_options",
                "at most one option may be the default",
            ));
        }
        if self.discount_type == DiscountType::Flat {
            let resolvable = options.len() == 1 || options.iter().any(|o| o.is_default);
            if !resolvable {
                return Err(DomainError::invalid(
                    "currency_options",
                    "a flat discount needs one option, or one marked is_default",
                ));
            }
        }
        Ok(())
    }
}

/// Upper-cases and checks a merchant-chosen code.
pub fn parse_code(code: &str) -> Result<String, DomainError> {
    let code = code.trim().to_uppercase();
    let len = code.chars().count();
    if !(CODE_MIN..=CODE_MAX).contains(&len) {
        return Err(DomainError::invalid(
            "code",
            format!("must be {CODE_MIN} to {CODE_MAX} characters"),
        ));
    }
    if !code
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(DomainError::invalid(
            "code",
            "may contain only letters, digits, `-` and `_`",
        ));
    }
    Ok(code)
}

fn positive_u32(field: &str, value: i64) -> Result<u32, DomainError> {
    if !(1..=i32::MAX as i64).contains(&value) {
        return Err(DomainError::invalid(
            field,
            format!("must be between 1 and {}", i32::MAX),
        ));
    }
    Ok(value as u32)
}

#[cfg(test)]
mod tests;
