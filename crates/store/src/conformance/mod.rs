//! The behaviour every backend must show, as async checks over a fresh store.
//!
//! A backend runs the whole suite with one line in its tests:
//! `kassa_store::conformance_tests!(fresh_store);` where `fresh_store` is an
//! `async fn() -> Option<(impl Store, Guard)>` returning an empty, migrated
//! store and whatever must live as long as it (a temp dir; dropped after the
//! check), or `None` to skip, e.g. PostgreSQL when no database is configured.
//! Each check panics with a message naming the broken rule.

mod catalog;
mod checkout;
mod customers;
mod discounts;
mod links;
mod payments;
mod tenancy;
mod webhooks;

pub use catalog::*;
pub use checkout::*;
pub use customers::*;
pub use discounts::*;
pub use links::*;
pub use payments::*;
pub use tenancy::*;
pub use webhooks::*;

use kassa_core::catalog::{
    Brand, BrandDraft, LicenseKeySettings, OneTimePrice, Price, Product, ProductDraft,
    RecurringPrice, TaxCategory,
};
use kassa_core::catalog::{Period, TimeInterval};
use kassa_core::id::{BrandId, BusinessId, ProductId};
use kassa_core::metadata::Metadata;
use kassa_core::money::{Amount, Currency};
use kassa_core::page::Page;
use kassa_core::tenancy::{Business, Mode, Scope};
use time::{Duration, OffsetDateTime};

use crate::Store;

/// Runs every conformance check against `$fresh`, one `#[tokio::test]` each.
#[macro_export]
macro_rules! conformance_tests {
    ($fresh:path) => {
        $crate::conformance_tests!(@each $fresh;
            businesses_are_listed_oldest_first,
            api_keys_are_found_by_hash_only,
            products_round_trip_and_updates_replace_them,
            reads_racing_an_update_never_outlive_it,
            updating_a_missing_object_is_not_found,
            objects_are_invisible_outside_their_business_and_mode,
            lists_are_newest_first_and_paged_without_overlap,
            product_lists_filter_by_archived_recurring_and_brand,
            archived_addons_are_not_listed,
            customers_filter_by_email_name_and_creation_time,
            discount_codes_are_unique_per_scope_until_deleted,
            discount_lists_filter_by_code_type_activity_and_product,
            brands_list_primary_first_and_archiving_moves_products,
            concurrent_writes_all_land,
            checkout_sessions_round_trip_and_are_found_by_id_alone,
            idempotency_keys_replay_refuse_mismatches_and_expire,
            concurrent_claims_of_one_key_let_exactly_one_through,
            payments_round_trip_and_list_by_every_filter,
            a_purchase_commits_everything_or_nothing,
            an_opened_payment_writes_customer_payment_and_session_together,
            saved_methods_are_kept_per_customer_and_saved_with_their_purchase,
            racing_purchases_for_the_last_use_of_a_code_let_one_win,
            a_product_is_found_by_id_alone_with_its_scope,
            short_link_slugs_are_unique_across_businesses_and_found_alone,
            webhook_endpoints_page_by_cursor_within_the_limit_and_idempotency_key,
            events_reach_only_enabled_endpoints_that_want_them_and_only_if_the_change_commits,
            a_leased_delivery_is_attempted_once_per_lease_and_retried_on_schedule,
            failed_deliveries_replay_from_a_time_and_a_resend_makes_one_due,
        );
    };
    (@each $fresh:path; $($name:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                match $fresh().await {
                    Some((store, _guard)) => $crate::conformance::$name(&store).await,
                    None => eprintln!("skipped: backend not configured"),
                }
            }
        )*
    };
}

/// A business with its primary brands, as the app creates one.
pub struct Tenant {
    pub business: Business,
    pub test: Scope,
    pub live: Scope,
    pub test_brand: Brand,
}

/// A fixed instant with whole microseconds, so every backend keeps it exactly.
pub fn base_time() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_764_000_000).expect("valid time")
        + Duration::microseconds(123_456)
}

pub async fn tenant<S: Store + ?Sized>(store: &S, name: &str, at: OffsetDateTime) -> Tenant {
    let business = Business {
        id: BusinessId::generate(),
        name: name.to_owned(),
        created_at: at,
    };
    let brand = |primary| {
        let draft = BrandDraft {
            name: Some(name.to_owned()),
            ..BrandDraft::default()
        };
        Brand::create(BrandId::generate(), business.id.clone(), draft, primary, at)
            .expect("valid brand")
    };
    let (test_brand, live_brand) = (brand(true), brand(true));
    store
        .create_business(
            &business,
            &[(Mode::Test, test_brand.clone()), (Mode::Live, live_brand)],
        )
        .await
        .expect("create business");
    Tenant {
        test: Scope {
            business: business.id.clone(),
            mode: Mode::Test,
        },
        live: Scope {
            business: business.id.clone(),
            mode: Mode::Live,
        },
        business,
        test_brand,
    }
}

pub fn one_time(minor: i64) -> Price {
    Price::OneTime(OneTimePrice {
        amount: Amount::new("price", minor).expect("valid amount"),
        currency: Currency::USD,
        discount_percent: 0,
        purchasing_power_parity: false,
        pay_what_you_want: false,
        suggested_price: None,
        tax_inclusive: None,
    })
}

pub fn monthly(minor: i64) -> Price {
    let month = Period::new("period", 1, TimeInterval::Month).expect("valid period");
    Price::Recurring(RecurringPrice {
        amount: Amount::new("price", minor).expect("valid amount"),
        currency: Currency::EUR,
        discount_percent: 0,
        purchasing_power_parity: false,
        payment_frequency: month,
        subscription_period: Period::new("period", 12, TimeInterval::Month).expect("valid"),
        trial_period_days: 7,
        trial_amount: None,
        trial_apply_discounts: None,
        tax_inclusive: Some(true),
    })
}

pub fn product(t: &Tenant, name: &str, price: Price, at: OffsetDateTime) -> Product {
    let draft = ProductDraft {
        name: name.to_owned(),
        description: Some("a description".to_owned()),
        price,
        tax_category: TaxCategory::Saas,
        brand: None,
        pricing_mode: None,
        addons: Vec::new(),
        metadata: Metadata::default(),
        license_key: LicenseKeySettings::default(),
        digital_delivery: None,
    };
    Product::create(
        ProductId::generate(),
        t.business.id.clone(),
        t.test_brand.id.clone(),
        draft,
        at,
    )
    .expect("valid product")
}

pub fn page(number: i64, size: i64) -> Page {
    Page::new(Some(number), Some(size)).expect("valid page")
}
