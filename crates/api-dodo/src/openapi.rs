//! The Dodo dialect's part of Kassa's OpenAPI document: its root (tags,
//! security, the error body), the schemas of core types the wire carries,
//! and the error responses every operation can give.
//!
//! Each handler describes itself with `#[utoipa::path]` beside its code and
//! is routed from that description (`utoipa_axum::routes!` in
//! [`crate::router`]), so the document cannot list a route that is not
//! served or miss one that is. A path parameter is described once, by the
//! handler's `params(…)` struct: utoipa's `axum_extras`, which would add
//! each `Path<…>` extractor again as a bare parameter, stays off (see the
//! workspace `Cargo.toml`). The schemas say what the handlers accept,
//! not only what they name: bounds, patterns and enums are those the
//! domain enforces, so that a request the document allows is not refused
//! for its shape (schemathesis checks both directions).

use kassa_core::catalog::{PricingMode, TaxCategory, TimeInterval};
use kassa_core::country::Country;
use kassa_core::money::{Amount, Currency};
use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, OpenApi, RefOr, ResponseBuilder};
use utoipa::{Modify, ToSchema};

/// Dodo's error body: `{"code": "UPPER_SNAKE", "message": "..."}`.
#[derive(ToSchema)]
#[schema(as = Error)]
#[allow(dead_code)] // a schema only; `error::ErrorBody` is what is sent
pub struct ErrorSchema {
    /// Dodo's error code, e.g. `NOT_FOUND`, `INVALID_REQUEST_BODY`.
    code: String,
    /// What went wrong, naming the field at fault.
    message: String,
}

/// The dialect's document root; the handlers' paths are added by the
/// router ([`crate::router`]).
#[derive(utoipa::OpenApi)]
#[openapi(
    components(schemas(ErrorSchema)),
    modifiers(&Security),
    tags(
        (name = "Dodo Payments", description = "The Dodo Payments API as the official `dodopayments` SDKs call it, served at the root."),
        (name = "Kassa", description = "Kassa's own extras under `/kassa/…`: test helpers and delivery tools Dodo does not have."),
    )
)]
pub struct DodoDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API key of one business and mode: `sk_test_…` or `sk_live_…`.",
                    ))
                    .build(),
            ),
        );
    }
}

/// Adds the error responses every operation can give, from what the
/// operation takes: 401 when it needs a key, 404 when it names an object in
/// its path, 400 and 422 when it takes a body, 422 when it takes a query,
/// 409 for a reused `Idempotency-Key` on a POST, and 500 for a storage
/// failure. Each is Dodo's `{code, message}`.
///
/// Every POST also takes an optional `Idempotency-Key` header (described
/// in the document's `info`, not listed as a parameter: a generator that
/// reuses short keys would be answered, rightly, with earlier responses).
pub fn add_error_responses(openapi: &mut OpenApi) {
    for (path, item) in openapi.paths.paths.iter_mut() {
        let has_path_params = path.contains('{');
        let ops: [&mut Option<Operation>; 4] = [
            &mut item.get,
            &mut item.post,
            &mut item.patch,
            &mut item.delete,
        ];
        for op in ops {
            let Some(op) = op.as_mut() else { continue };
            let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
            let has_body = op.request_body.is_some();
            let has_query =
                op.parameters.iter().flatten().any(
                    |p| matches!(p, RefOr::T(p) if matches!(p.parameter_in, ParameterIn::Query)),
                );
            let mut errors: Vec<(&str, &str)> = vec![];
            if has_body {
                errors.push(("400", "The body is not JSON."));
            }
            if secured {
                errors.push(("401", "No API key, or one Kassa does not know."));
            }
            if has_path_params || has_body {
                errors.push((
                    "404",
                    "No such object for this business and mode (in the path, or named in the body).",
                ));
            }
            if has_body {
                errors.push((
                    "409",
                    "A conflict with what is stored: a code or slug taken, an archived object named, or (on a POST) an `Idempotency-Key` used with another body or still running.",
                ));
            }
            if has_body || has_query || has_path_params {
                errors.push((
                    "422",
                    "A field or parameter is invalid; the message names it.",
                ));
            }
            errors.push(("500", "A storage failure; it is logged."));
            for (status, description) in errors {
                if op.responses.responses.contains_key(status) {
                    continue;
                }
                op.responses
                    .responses
                    .insert(status.to_owned(), RefOr::T(error_response(description)));
            }
        }
    }
}

/// What each create answers with and where its id leads: (the create's
/// operation id, the id's field in its 200 body, the path parameter it
/// fills, and the operations that take it). OpenAPI links, so a client
/// generator or schemathesis' stateful phase can follow a created object.
/// A discount's code is not linked: a PATCH may change it, so it does not
/// name the created object for good.
const LINKS: &[(&str, &str, &str, &[&str])] = &[
    (
        "create_product",
        "product_id",
        "id",
        &[
            "get_product_handler",
            "patch_product",
            "delete_product",
            "undelete_product",
            "create_short_link_handler",
        ],
    ),
    (
        "create_addon",
        "id",
        "id",
        &[
            "get_addon_handler",
            "patch_addon",
            "kassa_archive_addon",
            "kassa_unarchive_addon",
        ],
    ),
    (
        "create_customer",
        "customer_id",
        "customer_id",
        &[
            "get_customer_handler",
            "patch_customer",
            "get_customer_payment_methods",
        ],
    ),
    (
        "create_discount_handler",
        "discount_id",
        "discount_id",
        &[
            "get_discount_handler",
            "patch_discount_handler",
            "delete_discount_handler",
        ],
    ),
    (
        "create_brand_handler",
        "brand_id",
        "id",
        &[
            "get_brand_handler",
            "patch_brand_handler",
            "archive_brand_handler",
        ],
    ),
    (
        "create_webhook",
        "id",
        "webhook_id",
        &[
            "get_webhook",
            "patch_webhook",
            "delete_webhook",
            "get_webhook_secret",
            "get_webhook_headers",
            "patch_webhook_headers",
            "kassa_rotate_webhook_secret",
            "kassa_list_webhook_deliveries",
            "kassa_replay_webhook_deliveries",
            "kassa_trigger_webhook_event",
        ],
    ),
    (
        "create_session",
        "session_id",
        "id",
        &["get_checkout_sessions_status", "kassa_expire_checkout"],
    ),
    (
        "create_one_time_payment_handler",
        "payment_id",
        "payment_id",
        &["get_payment_handler", "get_payment_line_items_handler"],
    ),
];

/// Adds [`LINKS`] to the 200 response of each create.
pub fn add_links(openapi: &mut OpenApi) {
    let served: std::collections::BTreeSet<String> = openapi
        .paths
        .paths
        .values()
        .flat_map(|item| {
            [&item.get, &item.post, &item.patch, &item.delete]
                .into_iter()
                .flatten()
                .filter_map(|op| op.operation_id.clone())
        })
        .collect();
    for item in openapi.paths.paths.values_mut() {
        let Some(op) = item.post.as_mut() else {
            continue;
        };
        let Some(id) = op.operation_id.clone() else {
            continue;
        };
        let Some(RefOr::T(ok)) = op.responses.responses.get_mut("200") else {
            continue;
        };
        for (create, field, param, targets) in LINKS {
            if *create != id {
                continue;
            }
            for target in targets.iter().filter(|t| served.contains(**t)) {
                let link = LinkBuilder::new()
                    .operation_id(*target)
                    .parameter(*param, format!("$response.body#/{field}"))
                    .build();
                ok.links
                    .insert(format!("{target}_by_{field}"), RefOr::T(link));
            }
        }
    }
}

fn error_response(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            Content::new(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                "Error",
            )))),
        )
        .build()
}

pub(crate) fn string_schema(
    min: Option<usize>,
    max: Option<usize>,
    pattern: Option<&str>,
) -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::String))
            .min_length(min)
            .max_length(max)
            .pattern(pattern)
            .build(),
    )
}

pub(crate) fn string_enum(values: impl IntoIterator<Item = String>) -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::String))
            .enum_values(Some(values))
            .build(),
    )
}

/// `null` and nothing else: for fields that name objects Kassa does not
/// serve yet (an uploaded image), where any other value would be a 404.
pub fn null_only() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::Null))
            .build(),
    )
}

/// Declares a named schema for a wire value whose rules come from core
/// (a currency code, an amount…): use it as `#[schema(value_type = X)]`,
/// or `value_type = Option<X>` where `null` is accepted too.
macro_rules! named_schema {
    ($(#[$doc:meta])* $ty:ident as $name:literal => $schema:expr) => {
        $(#[$doc])*
        #[allow(dead_code)] // a schema only
        pub struct $ty;

        impl utoipa::PartialSchema for $ty {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::RefOr::T($schema)
            }
        }

        impl utoipa::ToSchema for $ty {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed($name)
            }
        }
    };
}

pub(crate) use named_schema;

named_schema! {
    /// An ISO 4217 code Kassa accepts (`UNSUPPORTED_CURRENCY` otherwise).
    CurrencyCode as "Currency" => string_enum(Currency::ACCEPTED.iter().map(|c| c.code().to_owned()))
}

named_schema! {
    /// An ISO 3166-1 alpha-2 code (`UNSUPPORTED_COUNTRY` otherwise).
    CountryCode as "CountryCode" => string_enum(Country::all().map(String::from))
}

named_schema! {
    /// An amount in minor units (cents, yen, fils): 0 to 2^31 - 1.
    MinorUnits as "MinorUnits" => Schema::Object(
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::Integer))
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Int64,
            )))
            .minimum(Some(0))
            .maximum(Some(Amount::MAX))
            .build(),
    )
}

/// Rust's white space (`char::is_whitespace`, Unicode's White_Space),
/// spelled out: a regex's `\s` differs between dialects, and names and
/// emails are trimmed by exactly this set.
pub const WHITE_SPACE: &str =
    "\\t\\n\\x0B\\f\\r \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";

/// An RFC 3339 date-time as `time` parses it, with a four-digit year from
/// 1001 to 9998 (so every offset still names a representable instant) and
/// days that exist in every year.
pub const DATE_TIME_PATTERN: &str = concat!(
    r"^(1\d{3}|[2-8]\d{3}|9[0-8]\d{2}|99[0-8]\d)-",
    r"((0[13578]|1[02])-(0[1-9]|[12]\d|3[01])|(0[469]|11)-(0[1-9]|[12]\d|30)|02-(0[1-9]|1\d|2[0-8]))",
    r"T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$",
);

named_schema! {
    /// An RFC 3339 date-time, e.g. `2026-12-02T18:30:00Z`.
    Rfc3339 as "DateTime" => Schema::Object(
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::String))
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::DateTime,
            )))
            .pattern(Some(DATE_TIME_PATTERN))
            .build(),
    )
}

/// The email shape Kassa accepts: no white space inside, one `@`, a dot
/// inside the domain (`kassa_core::text::email`); surrounding white space
/// is trimmed.
pub fn email_pattern() -> String {
    let ws = WHITE_SPACE;
    format!("^[{ws}]*[^{ws}@]+@[^{ws}@.][^{ws}@]*\\.[^{ws}@]*[^{ws}@.][{ws}]*$")
}

named_schema! {
    /// An email address: `local@domain.tld`, at most 254 characters.
    Email as "Email" => string_schema(None, Some(254), Some(email_pattern().as_str()))
}

named_schema! {
    /// Metadata: at most 50 keys of 1 to 40 characters, each value a
    /// string (at most 500 characters), number or boolean.
    MetadataSchema as "Metadata" => Schema::Object(
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::Object))
            .additional_properties(Some(Schema::Object(
                ObjectBuilder::new()
                    .schema_type(SchemaType::from_iter([
                        Type::String,
                        Type::Number,
                        Type::Boolean,
                    ]))
                    .max_length(Some(kassa_core::metadata::MAX_VALUE_LEN))
                    .build(),
            )))
            .property_names(Some(string_schema(
                Some(1),
                Some(kassa_core::metadata::MAX_KEY_LEN),
                None,
            )))
            .max_properties(Some(kassa_core::metadata::MAX_KEYS))
            .build(),
    )
}

/// Declares a schema-only mirror of a core enum, named as Dodo names it,
/// with an exhaustive conversion from the core type, so a variant added
/// to core does not compile until the document lists it; a test checks
/// each mirror name against core's serde name.
macro_rules! mirror {
    ($(#[$doc:meta])* $mirror:ident as $name:ident for $core:ty { $($variant:ident = $wire:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(utoipa::ToSchema)]
        #[schema(as = $name)]
        #[allow(dead_code)]
        pub enum $mirror {
            $(#[schema(rename = $wire)] $variant,)*
        }

        impl From<$core> for $mirror {
            fn from(value: $core) -> $mirror {
                match value {
                    $(<$core>::$variant => $mirror::$variant,)*
                }
            }
        }

        impl $mirror {
            #[cfg(test)]
            #[allow(dead_code)] // each mirror is listed in the test below
            pub fn serde_names() -> Vec<(serde_json::Value, &'static str)> {
                vec![$((serde_json::to_value(<$core>::$variant).unwrap(), $wire),)*]
            }
        }
    };
}

pub(crate) use mirror;

mirror! {
    /// How a product or addon is taxed.
    TaxCategorySchema as TaxCategory for TaxCategory {
        DigitalProducts = "digital_products",
        Saas = "saas",
        EBook = "e_book",
        Edtech = "edtech",
        LiveTutoring = "live_tutoring",
    }
}

mirror! {
    /// Whether localized prices are keyed by currency or by country.
    PricingModeSchema as PricingMode for PricingMode {
        ByCurrency = "by_currency",
        ByCountry = "by_country",
    }
}

mirror! {
    /// Calendar unit of a billing or subscription period.
    TimeIntervalSchema as TimeInterval for TimeInterval {
        Day = "Day",
        Week = "Week",
        Month = "Month",
        Year = "Year",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_mirror_names_its_variants_as_core_serializes_them() {
        let all = [
            TaxCategorySchema::serde_names(),
            PricingModeSchema::serde_names(),
            TimeIntervalSchema::serde_names(),
            crate::discounts::DiscountTypeSchema::serde_names(),
            crate::discounts::CustomerEligibilitySchema::serde_names(),
            crate::webhooks::log::DeliveryStatusSchema::serde_names(),
        ];
        for (serde, wire) in all.into_iter().flatten() {
            assert_eq!(serde, serde_json::Value::from(wire));
        }
    }

    #[test]
    fn the_email_pattern_agrees_with_the_domain_rule() {
        // The pattern is what schema validators check, the rule what the
        // server checks: on each shape they must agree.
        let pattern = regex::Regex::new(&email_pattern()).unwrap();
        for (email, ok) in [
            ("a@b.co", true),
            (" a@b.co ", true),
            ("\u{3000}a@b.co\t", true),
            ("a@b", false),
            ("a@.b", false),
            ("a@b.", false),
            ("a b@c.d", false),
            ("a\u{85}b@c.d", false),
            ("@b.co", false),
            ("a@b@c.d", false),
        ] {
            assert_eq!(
                kassa_core::text::email("email", email).is_ok(),
                ok,
                "rule: {email:?}"
            );
            assert_eq!(pattern.is_match(email), ok, "pattern: {email:?}");
        }
    }
}
