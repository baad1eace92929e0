//! Pricing a session: products resolved, codes applied in order, tax by the
//! buyer's country, split into what is due today and what recurs.

use crate::DomainError;
use crate::catalog::{Addon, Period, Price, Product, TaxCategory};
use crate::country::Country;
use crate::discount::Discount;
use crate::field::{self, FieldPath};
use crate::id::{AddonId, ProductId};
use crate::money::{Amount, Currency};
use crate::pricing::{CartBreakdown, LineInput, price_cart};
use crate::tax::{EuVatId, TaxRate, TaxTable};

/// One cart line with its product looked up.
pub struct QuoteItem<'a> {
    pub product: &'a Product,
    pub quantity: u32,
    /// A pay-what-you-want amount (at least the product's minimum).
    pub amount: Option<Amount>,
    /// A subscription's addons and their quantities; each is priced as a
    /// line of its own that bills with (and trials like) its product.
    pub addons: Vec<(&'a Addon, u32)>,
}

/// Where the buyer is and who they are, for tax.
pub struct TaxContext<'a> {
    pub table: &'a TaxTable,
    pub country: Country,
    pub region: Option<&'a str>,
    pub tax_id: Option<&'a str>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuotedLine {
    /// The product, or for an addon line the product it goes with.
    pub product: ProductId,
    /// Set on an addon's line, which follows its product's line.
    pub addon: Option<AddonId>,
    pub name: String,
    pub description: Option<String>,
    pub quantity: u32,
    /// List (or chosen) price per unit.
    pub unit_amount: i64,
    pub tax_rate: TaxRate,
    pub tax_category: TaxCategory,
    pub tax_inclusive: bool,
    pub is_subscription: bool,
    pub is_usage_based: bool,
    pub trial_days: u32,
    /// How often a subscription line bills.
    pub payment_frequency: Option<Period>,
    /// This line in today's charge (zeroed while in a free trial).
    pub subtotal: i64,
    pub discount: i64,
    pub tax: i64,
    pub total: i64,
    /// `subtotal` in the product's own currency, before adaptive pricing
    /// converted it (Dodo's `og_price`/`og_currency`); the same as
    /// `subtotal` in the quote's currency when nothing was converted.
    pub original: (i64, Currency),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quote {
    pub currency: Currency,
    pub country: Country,
    pub lines: Vec<QuotedLine>,
    /// What is charged today.
    pub today: CartBreakdown,
    /// What each subscription period charges, when the cart has subscriptions.
    pub recurring: Option<CartBreakdown>,
    /// The trial of the cart's subscriptions (when exactly one has one).
    pub trial_days: Option<u32>,
    /// Set when a tax id was given but cannot exempt this sale.
    pub tax_id_error: Option<String>,
    pub reverse_charge: bool,
}

/// Prices the cart. `trial_override` is the session's
/// `subscription_data.trial_period_days`.
pub fn quote(
    items: &[QuoteItem<'_>],
    discounts: &[&Discount],
    tax: &TaxContext<'_>,
    trial_override: Option<u32>,
) -> Result<Quote, DomainError> {
    let currency = single_currency(items)?;
    let (reverse_charge, tax_id_error) = match tax.tax_id {
        None => (false, None),
        Some(id) => match EuVatId::parse(id) {
            Ok(vat) if vat.country() == tax.country => (true, None),
            Ok(_) => (
                false,
                Some("the VAT number is not from the billing country".into()),
            ),
            Err(e) => (false, Some(e.to_string())),
        },
    };
    let entries = entries(items, tax, reverse_charge, trial_override, currency)?;
    // Today: one-time lines, and subscriptions not in a free trial.
    let today_inputs: Vec<LineInput> = entries
        .iter()
        .map(|e| LineInput {
            unit_amount: if e.trial > 0 {
                Amount::ZERO
            } else {
                e.input.unit_amount
            },
            ..e.input.clone()
        })
        .collect();
    let today = price_cart(currency, &today_inputs, discounts)?;
    let recurring_inputs: Vec<LineInput> = entries
        .iter()
        .filter(|e| e.product.price.is_recurring())
        .map(|e| e.input.clone())
        .collect();
    let recurring = if recurring_inputs.is_empty() {
        None
    } else {
        Some(price_cart(currency, &recurring_inputs, discounts)?)
    };
    let lines = entries
        .iter()
        .zip(&today.lines)
        .map(|(e, line)| QuotedLine {
            product: e.product.id.clone(),
            addon: e.addon.map(|a| a.id.clone()),
            name: e.addon.map_or(&e.product.name, |a| &a.name).clone(),
            description: e
                .addon
                .map_or(&e.product.description, |a| &a.description)
                .clone(),
            quantity: e.input.quantity,
            unit_amount: e.input.unit_amount.minor(),
            tax_rate: e.input.tax_rate,
            tax_category: e.addon.map_or(e.product.tax_category, |a| a.tax_category),
            tax_inclusive: e.input.tax_inclusive,
            is_subscription: e.product.price.is_recurring(),
            is_usage_based: matches!(e.product.price, Price::UsageBased(_)),
            trial_days: e.trial,
            payment_frequency: match &e.product.price {
                Price::Recurring(r) => Some(r.payment_frequency),
                Price::UsageBased(u) => Some(u.payment_frequency),
                Price::OneTime(_) => None,
            },
            subtotal: line.subtotal,
            discount: line.discount,
            tax: line.tax,
            total: line.total,
            original: (line.subtotal, currency),
        })
        .collect();
    let trials: Vec<u32> = entries
        .iter()
        .filter(|e| e.addon.is_none())
        .map(|e| e.trial)
        .collect();
    let with_trial: Vec<u32> = trials.iter().copied().filter(|&t| t > 0).collect();
    Ok(Quote {
        currency,
        country: tax.country,
        lines,
        today,
        recurring,
        trial_days: (with_trial.len() == 1).then(|| with_trial[0]),
        tax_id_error,
        reverse_charge,
    })
}

impl Quote {
    /// Records, line by line, what `unconverted` (this cart priced before
    /// adaptive pricing re-expressed it) charged before discounts.
    pub fn with_originals_from(mut self, unconverted: &Quote) -> Quote {
        for (line, before) in self.lines.iter_mut().zip(&unconverted.lines) {
            line.original = (before.subtotal, unconverted.currency);
        }
        self
    }
}

/// One priced line before discounts: a product, or one of its addons.
struct Entry<'a> {
    product: &'a Product,
    addon: Option<&'a Addon>,
    trial: u32,
    input: LineInput,
}

fn entries<'a>(
    items: &[QuoteItem<'a>],
    tax: &TaxContext<'_>,
    reverse_charge: bool,
    trial_override: Option<u32>,
    currency: Currency,
) -> Result<Vec<Entry<'a>>, DomainError> {
    let rate = |category| {
        if reverse_charge {
            TaxRate::ZERO
        } else {
            tax.table.rate(tax.country, tax.region, category)
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let p = item.product;
        let trial = match &p.price {
            Price::Recurring(r) => trial_override.unwrap_or(r.trial_period_days),
            _ => 0,
        };
        let tax_inclusive = p.price.tax_inclusive().unwrap_or(false);
        out.push(Entry {
            product: p,
            addon: None,
            trial,
            input: LineInput {
                product: p.id.clone(),
                unit_amount: unit_amount(i, p, item.amount)?,
                quantity: item.quantity,
                tax_rate: rate(p.tax_category),
                tax_inclusive,
            },
        });
        for (j, (addon, quantity)) in item.addons.iter().enumerate() {
            if addon.currency != currency {
                return Err(DomainError::invalid(
                    FieldPath::cart_line(i)
                        .field(field::ADDONS)
                        .at(j)
                        .field(field::ADDON),
                    format!(
                        "is priced in {}, the cart in {}; one cart, one currency",
                        addon.currency.code(),
                        currency.code()
                    ),
                ));
            }
            out.push(Entry {
                product: p,
                addon: Some(addon),
                trial,
                input: LineInput {
                    product: p.id.clone(),
                    unit_amount: addon.price,
                    quantity: *quantity,
                    tax_rate: rate(addon.tax_category),
                    tax_inclusive,
                },
            });
        }
    }
    Ok(out)
}

/// Kassa does not convert currencies inside one cart (adaptive pricing is
/// a separate, operator-loaded rates table): every product must share one.
fn single_currency(items: &[QuoteItem<'_>]) -> Result<Currency, DomainError> {
    let first = items
        .first()
        .ok_or_else(|| {
            DomainError::invalid(
                FieldPath::named(field::CART),
                "must hold at least one product",
            )
        })?
        .product
        .price
        .currency();
    match items
        .iter()
        .position(|i| i.product.price.currency() != first)
    {
        None => Ok(first),
        Some(at) => Err(DomainError::invalid(
            FieldPath::cart_line(at).field(field::PRODUCT),
            format!(
                "is priced in {}, the rest of the cart in {}; one cart, one currency",
                items[at].product.price.currency().code(),
                first.code()
            ),
        )),
    }
}

fn unit_amount(
    at: usize,
    product: &Product,
    chosen: Option<Amount>,
) -> Result<Amount, DomainError> {
    match (&product.price, chosen) {
        (Price::OneTime(p), Some(amount)) if p.pay_what_you_want => {
            if amount.minor() < p.amount.minor() {
                return Err(DomainError::invalid(
                    FieldPath::cart_line(at).field("amount"),
                    format!("is below the product's minimum of {}", p.amount.minor()),
                ));
            }
            Ok(amount)
        }
        (Price::OneTime(p), None) if p.pay_what_you_want => {
            Ok(p.suggested_price.unwrap_or(p.amount))
        }
        (price, _) => Ok(price.amount()),
    }
}
