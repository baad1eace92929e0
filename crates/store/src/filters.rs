//! The domain's list filters as store filters: what each query parameter
//! means in columns, written once for every backend.

use kassa_core::catalog::ProductFilter;
use kassa_core::customer::CustomerFilter;
use kassa_core::discount::DiscountFilter;
use kassa_core::id::{CustomerId, ProductId};
use kassa_core::payment::PaymentFilter;

use crate::filter::{Cmp, Cond, Filter};
use crate::record::discount_type_name;
use crate::table::Val;

/// `archived == Some(true)` lists archived products only; anything else
/// lists active ones only.
pub fn products(f: &ProductFilter) -> Filter {
    Filter::new()
        .eq("archived", f.archived == Some(true))
        .and_some(f.recurring.map(|r| Cond::Eq("is_recurring", r.into())))
        .and_some(
            f.brand
                .as_ref()
                .map(|b| Cond::Eq("brand_id", b.as_str().into())),
        )
}

/// Active (not archived) addons.
pub fn active_addons() -> Filter {
    Filter::new().eq("archived", false)
}

/// `email` matches exactly ignoring ASCII case; `name` is a
/// case-insensitive substring; date bounds are inclusive.
pub fn customers(f: &CustomerFilter) -> Filter {
    Filter::new()
        .and_some(
            f.email
                .as_ref()
                .map(|e| Cond::Eq("email_lower", e.trim().to_ascii_lowercase().into())),
        )
        .and_some(f.name.as_ref().map(|n| Cond::Contains("name", n.clone())))
        .and_some(created_from(f.created_at_gte))
        .and_some(created_to(f.created_at_lte))
}

/// Live discounts: `code` is a case-insensitive substring; `active`
/// compares against the instant the filter carries (started, not expired,
/// a use left); `product` keeps codes for any product or for that one.
pub fn discounts(f: &DiscountFilter) -> Filter {
    let mut filter = live_discounts()
        .and_some(
            f.code
                .as_ref()
                .map(|c| Cond::Contains("code", c.trim().to_owned())),
        )
        .and_some(
            f.discount_type
                .map(|t| Cond::Eq("discount_type", discount_type_name(t).into())),
        );
    if let Some((active, now)) = f.active {
        let now = Val::time(now);
        let redeemable = Cond::All(vec![
            Cond::Any(vec![
                Cond::Null("starts_at"),
                Cond::Cmp("starts_at", Cmp::Le, now.clone()),
            ]),
            Cond::Any(vec![
                Cond::Null("expires_at"),
                Cond::Cmp("expires_at", Cmp::Gt, now),
            ]),
            Cond::Under {
                count: "times_used",
                limit: "usage_limit",
            },
        ]);
        filter = filter.and(if active { redeemable } else { redeemable.not() });
    }
    if let Some(product) = &f.product {
        filter = filter.and(Cond::Any(vec![
            Cond::Empty("restricted_to"),
            Cond::Has("restricted_to", product.to_string()),
        ]));
    }
    filter
}

/// Discounts not deleted.
pub fn live_discounts() -> Filter {
    Filter::new().eq("deleted", false)
}

/// The live discount with exactly this (normalised) code.
pub fn discount_code(code: &str) -> Filter {
    live_discounts().eq("code", code)
}

/// Every field of the filter, applied by the backend.
pub fn payments(f: &PaymentFilter) -> Filter {
    Filter::new()
        .and_some(f.status.map(|s| Cond::Eq("status", s.as_str().into())))
        .and_some(
            f.customer
                .as_ref()
                .map(|c| Cond::Eq("customer_id", c.as_str().into())),
        )
        .and_some(
            f.brand
                .as_ref()
                .map(|b| Cond::Eq("brand_id", b.as_str().into())),
        )
        .and_some(f.currency.map(|c| Cond::Eq("currency", c.code().into())))
        .and_some(
            f.product
                .as_ref()
                .map(|p| Cond::Has("products", p.to_string())),
        )
        .and_some(created_from(f.created_at_gte))
        .and_some(created_to(f.created_at_lte))
}

/// A customer's saved methods.
pub fn methods_of(customer: &CustomerId) -> Filter {
    Filter::new().eq("customer_id", customer.as_str())
}

/// Product links (not sessions'); only that product's when given.
pub fn product_links(product: Option<&ProductId>) -> Filter {
    match product {
        Some(p) => Filter::new().eq("product_id", p.as_str()),
        None => Filter::new().and(Cond::Null("product_id").not()),
    }
}

fn created_from(t: Option<time::OffsetDateTime>) -> Option<Cond> {
    t.map(|t| Cond::Cmp("created_at", Cmp::Ge, Val::time(t)))
}

fn created_to(t: Option<time::OffsetDateTime>) -> Option<Cond> {
    t.map(|t| Cond::Cmp("created_at", Cmp::Le, Val::time(t)))
}
