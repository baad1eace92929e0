//! The behaviour every backend must show, as async checks over a fresh store.
//!
//! A backend runs the whole suite with one line in its tests:
//! `kassa_store::conformance_tests!(fresh_store);` where `fresh_store` is an
//! `async fn(test: &'static str) -> Option<(impl Store, G)>` returning an
//! empty, migrated store and whatever must live as long as it (a temp dir,
//! a schema; dropped after the check), or `None` to skip. Only
//! [`testing::postgres_url`](crate::testing::postgres_url) may decide a
//! skip (it is told `test`, the check's name, and records the skip or
//! fails under CI), so no check passes without having run unnoticed. Each
//! check panics with a message naming the broken rule.
//!
//! The checks speak the generic API only: records through
//! [`Records`](crate::Records), every multi-row write as one
//! [`Changes`](crate::Changes), the domain's list filters through
//! [`filters`](crate::filters). The generic operations, every condition and
//! every [`Conflict`](crate::Conflict) are checked once here, so a backend
//! that passes needs no tests of its own for them.

mod atomicity;
mod brands;
mod catalog;
mod changes;
mod checkout;
mod clocks;
mod conditions;
mod counters;
mod customers;
mod deliveries;
mod delivery_jobs;
mod discounts;
mod endpoints;
mod fixtures;
mod job_changes;
mod jobs;
mod links;
mod logic;
mod paging;
mod payments;
mod product_reads;
mod purchase;
mod tenancy;
mod webhooks;

pub use atomicity::*;
pub use brands::*;
pub use catalog::*;
pub use changes::*;
pub use checkout::*;
pub use clocks::*;
pub use conditions::{
    comparisons_honour_all_four_operators_and_skip_nulls,
    contains_ignores_ascii_case_and_takes_wildcards_literally,
    equality_matches_text_bools_and_numbers_but_never_null,
    null_matches_exactly_the_missing_values, set_columns_answer_membership_and_emptiness,
};
pub use counters::*;
pub use customers::*;
pub use deliveries::*;
pub use delivery_jobs::*;
pub use discounts::*;
pub use endpoints::*;
pub use fixtures::*;
pub use job_changes::*;
pub use jobs::{
    a_retried_job_is_due_again_at_its_time_and_a_deferred_one_keeps_its_attempt,
    a_scheduled_job_is_written_only_if_its_change_commits,
    lease_jobs_takes_only_due_jobs_of_its_kinds_earliest_first_and_each_once_per_lease,
    only_the_worker_holding_its_lease_ends_a_job, scheduling_a_key_twice_keeps_the_first,
};
pub use links::*;
pub use logic::*;
pub use paging::*;
pub use payments::*;
pub use product_reads::*;
pub use purchase::{
    a_purchase_commits_everything_or_nothing,
    racing_purchases_for_the_last_use_of_a_code_let_one_win,
};
pub use tenancy::*;
pub use webhooks::*;

/// Runs every conformance check against `$fresh`, one `#[tokio::test]` each.
#[macro_export]
macro_rules! conformance_tests {
    ($fresh:path) => {
        $crate::conformance_tests!(@each $fresh;
            // tenancy
            businesses_are_listed_oldest_first,
            api_keys_are_found_by_hash_only,
            a_revoked_key_keeps_its_first_revocation_and_only_its_business_can_revoke_it,
            objects_are_invisible_outside_their_business_and_mode,
            a_row_is_found_by_id_alone_with_the_scope_that_holds_it,
            // generic writes and their conflicts
            inserting_a_taken_id_is_refused_as_exists_in_any_scope,
            writing_a_missing_row_is_refused_as_missing_and_writes_nothing,
            a_stale_version_refuses_the_whole_change,
            every_write_of_a_row_advances_its_version_by_one,
            an_unchanged_guard_holds_only_at_the_version_it_read,
            a_fewer_guard_refuses_at_its_limit_counting_matching_rows_of_the_scope,
            a_failing_step_anywhere_leaves_nothing_of_the_change,
            counted_uses_stop_at_the_limit_and_the_body_follows_the_count,
            a_null_limit_never_runs_out,
            a_released_use_is_given_back_but_never_below_zero,
            // filters, order and pages
            equality_matches_text_bools_and_numbers_but_never_null,
            comparisons_honour_all_four_operators_and_skip_nulls,
            null_matches_exactly_the_missing_values,
            contains_ignores_ascii_case_and_takes_wildcards_literally,
            set_columns_answer_membership_and_emptiness,
            under_holds_below_the_limit_or_without_one,
            any_and_all_combine_conditions_and_empty_ones_are_false_and_true,
            not_negates_any_condition_and_a_null_column_makes_it_true,
            a_filter_naming_a_column_its_table_lacks_is_an_error,
            lists_are_newest_first_and_paged_without_overlap,
            lists_run_oldest_first_on_request_and_whole_without_a_page,
            // catalog
            products_round_trip_and_updates_replace_them,
            a_product_is_found_by_id_alone_with_its_scope,
            product_lists_filter_by_archived_recurring_and_brand,
            archived_addons_are_not_listed,
            concurrent_writes_all_land,
            reads_racing_an_update_never_outlive_it,
            get_product_agrees_with_get_after_every_kind_of_write,
            an_update_whose_caller_stopped_waiting_still_reaches_get_product,
            brands_list_primary_first_and_archiving_moves_products,
            // customers, discounts, checkout, payments, links
            customers_filter_by_email_name_and_creation_time,
            discount_codes_are_unique_per_scope_until_deleted,
            discount_lists_filter_by_code_type_activity_and_product,
            checkout_sessions_round_trip_and_are_found_by_id_alone,
            idempotency_keys_replay_refuse_mismatches_and_expire,
            concurrent_claims_of_one_key_let_exactly_one_through,
            payments_round_trip_and_list_by_every_filter,
            a_purchase_commits_everything_or_nothing,
            an_opened_payment_writes_customer_payment_and_session_together,
            saved_methods_are_kept_per_customer_and_saved_with_their_purchase,
            racing_purchases_for_the_last_use_of_a_code_let_one_win,
            short_link_slugs_are_unique_across_businesses_and_found_alone,
            // webhooks
            webhook_endpoints_page_by_cursor_within_the_limit_and_idempotency_key,
            deleting_an_endpoint_removes_its_deliveries_and_attempts,
            events_reach_only_enabled_endpoints_that_want_them_and_only_if_the_change_commits,
            a_leased_delivery_is_attempted_once_per_lease_and_retried_on_schedule,
            failed_deliveries_replay_from_a_time_and_a_resend_makes_one_due,
            deliveries_to_a_disabled_endpoint_are_held_neither_leased_nor_due,
            deleting_an_endpoint_deletes_its_delivery_jobs,
            // the job queue and test clocks
            a_scheduled_job_is_written_only_if_its_change_commits,
            scheduling_a_key_twice_keeps_the_first,
            lease_jobs_takes_only_due_jobs_of_its_kinds_earliest_first_and_each_once_per_lease,
            only_the_worker_holding_its_lease_ends_a_job,
            a_retried_job_is_due_again_at_its_time_and_a_deferred_one_keeps_its_attempt,
            a_change_finishing_a_job_commits_its_effect_and_ends_the_job_together,
            a_change_whose_job_lease_was_lost_is_refused_whole,
            cancelling_a_job_stops_it_only_while_it_is_pending,
            a_test_mode_job_follows_its_business_clock_and_live_mode_the_wall,
            a_test_clock_never_goes_back,
            next_due_gives_the_scopes_earliest_pending_job_up_to_a_time_and_how_many,
        );
    };
    (@each $fresh:path; $($name:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let test = concat!(module_path!(), "::", stringify!($name));
                // `None`: skipped, and already recorded as such by `$fresh`.
                if let Some((store, _guard)) = $fresh(test).await {
                    $crate::conformance::$name(&store).await;
                }
            }
        )*
    };
}
