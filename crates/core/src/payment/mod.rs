//! Payments: one attempt to collect a checkout's amount, its state machine
//! (Dodo's `IntentStatus` vocabulary), and what it records of the method.

mod decline;
mod lifecycle;

pub use decline::DeclineReason;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::checkout::BillingAddress;
use crate::id::{
    BrandId, BusinessId, CheckoutSessionId, CustomerId, DiscountId, PaymentId, PaymentMethodId,
    ProductId,
};
use crate::metadata::Metadata;
use crate::money::Currency;

#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// Created, waiting for the customer to pay (payment links).
    RequiresPaymentMethod,
    /// Waiting for the customer to pass a 3-D Secure challenge.
    RequiresCustomerAction,
    /// The processor has been (or is about to be) asked to charge; the
    /// outcome is not recorded yet.
    Processing,
    Succeeded,
    Failed,
    Cancelled,
}

impl PaymentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::RequiresPaymentMethod => "requires_payment_method",
            PaymentStatus::RequiresCustomerAction => "requires_customer_action",
            PaymentStatus::Processing => "processing",
            PaymentStatus::Succeeded => "succeeded",
            PaymentStatus::Failed => "failed",
            PaymentStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<PaymentStatus> {
        [
            PaymentStatus::RequiresPaymentMethod,
            PaymentStatus::RequiresCustomerAction,
            PaymentStatus::Processing,
            PaymentStatus::Succeeded,
            PaymentStatus::Failed,
            PaymentStatus::Cancelled,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }

    /// The payment holds its session and its discount uses: a charge is
    /// under way or waits for the customer's challenge.
    pub fn holds_claims(self) -> bool {
        matches!(
            self,
            PaymentStatus::Processing | PaymentStatus::RequiresCustomerAction
        )
    }

    /// No further transition is possible.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            PaymentStatus::Succeeded | PaymentStatus::Failed | PaymentStatus::Cancelled
        )
    }
}

/// One product line as charged.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct PaymentLine {
    pub product: ProductId,
    pub name: String,
    pub description: Option<String>,
    pub quantity: u32,
    /// The line's charge, tax-inclusive, after discounts.
    pub amount: i64,
    pub tax: i64,
}

/// What is kept of a card: never the number or the security code.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct CardSummary {
    pub network: String,
    pub last_four: String,
    pub exp_month: u32,
    pub exp_year: u32,
    /// `credit` or `debit`.
    pub card_type: String,
    pub holder: Option<String>,
}

#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Payment {
    pub id: PaymentId,
    pub business: BusinessId,
    pub brand: BrandId,
    pub checkout_session: Option<CheckoutSessionId>,
    pub customer: CustomerId,
    pub status: PaymentStatus,
    pub currency: Currency,
    /// Charged in total, tax included, in minor units.
    pub total_amount: i64,
    pub tax: i64,
    pub lines: Vec<PaymentLine>,
    pub discounts: Vec<DiscountId>,
    pub billing: BillingAddress,
    pub metadata: Metadata,
    pub payment_method_type: Option<String>,
    pub card: Option<CardSummary>,
    /// The customer's saved method this payment used or saved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saved_method: Option<PaymentMethodId>,
    /// `test`, or the real processor's name.
    pub provider: String,
    pub processor_reference: Option<String>,
    /// The pending 3-D Secure challenge, while `RequiresCustomerAction`.
    pub challenge: Option<String>,
    /// The processor's reusable token for the card being challenged, kept
    /// only until the challenge ends, so a card that passes is saved like
    /// any other (Kassa never holds the card number to mint it later).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenged_card_token: Option<String>,
    /// Why the processor refused it, when it did.
    pub error_code: Option<DeclineReason>,
    pub error_message: Option<String>,
    pub custom_field_responses: Vec<(String, String)>,
    pub tax_id: Option<String>,
    pub customer_business_name: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// List filters (`GET /payments`).
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct PaymentFilter {
    pub status: Option<PaymentStatus>,
    pub customer: Option<CustomerId>,
    pub brand: Option<BrandId>,
    pub product: Option<ProductId>,
    pub currency: Option<Currency>,
    pub created_at_gte: Option<OffsetDateTime>,
    pub created_at_lte: Option<OffsetDateTime>,
}

impl PaymentFilter {
    /// The filters the store cannot index are applied here too, so every
    /// backend agrees.
    pub fn matches(&self, p: &Payment) -> bool {
        self.status.is_none_or(|s| s == p.status)
            && self.customer.as_ref().is_none_or(|c| *c == p.customer)
            && self.brand.as_ref().is_none_or(|b| *b == p.brand)
            && self
                .product
                .as_ref()
                .is_none_or(|pr| p.lines.iter().any(|l| l.product == *pr))
            && self.currency.is_none_or(|c| c == p.currency)
            && self.created_at_gte.is_none_or(|t| p.created_at >= t)
            && self.created_at_lte.is_none_or(|t| p.created_at <= t)
    }
}

/// A card kept for a returning customer: what the page shows of it, and the
/// processor's reusable reference (never the card number).
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct SavedMethod {
    pub id: PaymentMethodId,
    pub business: BusinessId,
    pub customer: CustomerId,
    /// Dodo's `payment_method_type` (`credit`, `debit`).
    pub method_type: String,
    pub card: CardSummary,
    /// The processor that can charge `token`.
    pub provider: String,
    pub token: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub last_used_at: Option<OffsetDateTime>,
}
