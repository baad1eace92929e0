//! Schemas the purchase operations (`/checkouts`, `/payments`) share beyond
//! their wire structs: mirrors of core enums, the shapes of a customer
//! reference, URLs, theme colours and payment method types. Each states
//! the rule the domain enforces, so that the document accepts exactly what
//! the handlers do (see [`crate::openapi`]).
//!
//! Ids in bodies and queries carry the pattern `^<prefix>_[0-9A-Za-z]{21}$`
//! (`kassa_core::id`): any other shape is refused there with a 422, while a
//! well-formed id of nothing is a 404. Path ids are plain strings: a
//! malformed one is a 404 like any unknown id.

use std::borrow::Cow;

use kassa_core::checkout::{FieldType, PAYMENT_METHOD_TYPES, THEME_COLOUR_KEYS, Theme};
use kassa_core::payment::PaymentStatus;
use utoipa::openapi::schema::{
    AnyOfBuilder, ArrayBuilder, ObjectBuilder, Schema, SchemaType, Type,
};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

use crate::openapi::Email;

/// An `http`/`https` URL with a host (`kassa_core::checkout::web_url`).
/// Narrower than what the URL parser takes (no IP hosts, user info or
/// spaces), so that every URL this pattern allows is accepted: host labels
/// of letters, digits and single hyphens, the last one starting with a
/// letter; an optional port; then printable ASCII.
pub const WEB_URL_PATTERN: &str = r"^https?://(?:[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\.)*[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*(?::[0-9]{1,4})?(?:[/?#][!-~]*)?$";

crate::openapi::mirror! {
    /// The hosted page's colour mode.
    ThemeSchema as ThemeMode for Theme {
        Light = "light",
        Dark = "dark",
        System = "system",
    }
}

crate::openapi::mirror! {
    /// What a custom field asks for, and how its answer is checked.
    FieldTypeSchema as CustomFieldType for FieldType {
        Text = "text",
        Number = "number",
        Email = "email",
        Url = "url",
        Date = "date",
        Dropdown = "dropdown",
        Boolean = "boolean",
    }
}

crate::openapi::mirror! {
    /// A payment's state. Kassa's payments take only these of Dodo's
    /// `IntentStatus` values.
    PaymentStatusSchema as IntentStatus for PaymentStatus {
        RequiresPaymentMethod = "requires_payment_method",
        RequiresCustomerAction = "requires_customer_action",
        Processing = "processing",
        Succeeded = "succeeded",
        Failed = "failed",
        Cancelled = "cancelled",
    }
}

/// `crate::openapi::named_schema!` for a schema that references others:
/// implements `ToSchema` for a schema-only type named `$name`, whose schema
/// is `$schema` and which references the named schemas `$refs` (added to
/// the document with it).
macro_rules! schema_with_refs {
    ($(#[$doc:meta])* $ty:ident as $name:literal => $schema:expr $(; refs $($r:ty),*)?) => {
        $(#[$doc])*
        #[allow(dead_code)] // a schema only
        pub struct $ty;

        impl PartialSchema for $ty {
            fn schema() -> RefOr<Schema> {
                RefOr::T($schema)
            }
        }

        impl ToSchema for $ty {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }

            #[allow(unused_variables)]
            fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
                $($(
                    schemas.push((
                        <$r as ToSchema>::name().into_owned(),
                        <$r as PartialSchema>::schema(),
                    ));
                    <$r as ToSchema>::schemas(schemas);
                )*)?
            }
        }
    };
}

crate::openapi::named_schema! {
    /// A payment method type Kassa can take: fewer than Dodo's
    /// `PaymentMethodTypes`, and any other is refused (422) rather than
    /// ignored.
    PaymentMethodType as "PaymentMethodTypes" => Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(PAYMENT_METHOD_TYPES))
            .description(Some("A payment method type Kassa can take (a subset of Dodo's; others are refused)."))
            .build(),
    )
}

crate::openapi::named_schema! {
    /// A URL the customer's browser is sent to.
    WebUrl as "WebUrl" => Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(WEB_URL_PATTERN))
            .description(Some(
                "An http(s) URL with a host name (Kassa refuses other URLs; this pattern is a little narrower still: no IP hosts, user info or spaces).",
            ))
            .build(),
    )
}

crate::openapi::named_schema! {
    /// Colours of one theme mode: only Dodo's `ThemeModeConfig` keys (any
    /// other key is refused), each a CSS colour or null (unset).
    ThemeColours as "ThemeModeConfig" => {
        let mut object = ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(
                "Colours of one mode, each a CSS colour (kept as given; the page renders only safe CSS) or null. Keys other than these are refused.",
            ))
            .property_names(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(THEME_COLOUR_KEYS))
                    .build(),
            ));
        for key in THEME_COLOUR_KEYS {
            object = object.property(key, nullable(Type::String));
        }
        Schema::Object(object.build())
    }
}

/// `{"type": [t, "null"]}`.
fn nullable(t: Type) -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([t, Type::Null]))
            .build(),
    )
}

/// A field Kassa does not serve yet: only `null` (or leaving it out) is
/// accepted. Use with `#[schema(schema_with = unsupported)]`.
pub fn unsupported() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::Null)
            .description(Some(
                "Not supported by Kassa yet: only null is accepted (any other value is refused with a 422).",
            ))
            .build(),
    )
}

/// A list Kassa does not serve yet: `null` or empty. Use with
/// `#[schema(schema_with = empty_list)]`.
pub fn empty_list() -> Schema {
    Schema::Array(
        ArrayBuilder::new()
            .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
            .items(RefOr::T(Schema::Object(ObjectBuilder::new().build())))
            .max_items(Some(0))
            .description(Some(
                "Not supported by Kassa yet: only null or an empty list is accepted.",
            ))
            .build(),
    )
}

/// An existing customer. With `customer_id` the other fields are ignored
/// (they must still be strings or null).
#[derive(ToSchema)]
#[schema(as = AttachExistingCustomer)]
#[allow(dead_code)] // a schema only; `request::CustomerIn` is parsed
pub struct ExistingCustomerSchema {
    /// A customer id (`cus_…`); a malformed one is a 422, an unknown one
    /// a 404.
    #[schema(pattern = "^cus_[0-9A-Za-z]{21}$")]
    customer_id: String,
    /// Ignored with `customer_id`.
    email: Option<String>,
    /// Ignored with `customer_id`.
    name: Option<String>,
    /// Ignored with `customer_id`.
    phone_number: Option<String>,
}

/// A new customer for a checkout session, by email. The name and phone
/// number are kept as given on the session and checked when a customer
/// is made from them (at payment, or at once with `confirm: true`, unless
/// a customer with this email exists): the name then 1 to 200 characters
/// not all blank, the phone number 6 to 15 digits.
#[derive(ToSchema)]
#[schema(as = NewCustomer)]
#[allow(dead_code)] // a schema only
pub struct NewCustomerSchema {
    /// Absent or null: a `customer_id` makes this an existing customer.
    #[schema(schema_with = no_customer_id)]
    customer_id: Option<String>,
    #[schema(value_type = Email)]
    email: String,
    name: Option<String>,
    phone_number: Option<String>,
}

/// A new customer for a one-time payment, by email: the customer with this
/// email if there is one (then `name` and `phone_number` are ignored),
/// else a new one made from these fields.
#[derive(ToSchema)]
#[schema(as = NewPaymentCustomer)]
#[allow(dead_code)] // a schema only
pub struct NewPaymentCustomerSchema {
    /// Absent or null: a `customer_id` makes this an existing customer.
    #[schema(schema_with = no_customer_id)]
    customer_id: Option<String>,
    #[schema(value_type = Email)]
    email: String,
    /// 1 to 200 characters, not all blank; the email when absent.
    #[schema(
        max_length = 200,
        pattern = r"[^\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
    )]
    name: Option<String>,
    /// Digits with an optional leading `+`, and spaces, dashes, dots or
    /// parentheses; 6 to 15 digits.
    #[schema(
        pattern = r"^[\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*\+?[-. ()]*([0-9][-. ()]*){6,15}[\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    phone_number: Option<String>,
}

fn no_customer_id() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::Null)
            .description(Some(
                "Absent or null: a `customer_id` makes this an existing customer.",
            ))
            .build(),
    )
}

/// `anyOf` the two named schemas: an object may match both (a
/// `customer_id` with a valid email), and then `customer_id` wins.
fn either<A: ToSchema, B: ToSchema>(description: &str) -> Schema {
    Schema::AnyOf(
        AnyOfBuilder::new()
            .item(Ref::from_schema_name(A::name()))
            .item(Ref::from_schema_name(B::name()))
            .description(Some(description))
            .build(),
    )
}

schema_with_refs! {
    /// Who pays for a checkout session: an existing customer by id, or a
    /// new one by email.
    CheckoutCustomer as "CustomerRequest" => either::<ExistingCustomerSchema, NewCustomerSchema>(
        "An existing customer by `customer_id`, or a new one by `email`; with both, `customer_id` wins.",
    ); refs ExistingCustomerSchema, NewCustomerSchema
}

schema_with_refs! {
    /// Who pays a one-time payment: an existing customer by id, or one by
    /// email (found or made).
    PaymentCustomer as "PaymentCustomerRequest" => either::<ExistingCustomerSchema, NewPaymentCustomerSchema>(
        "An existing customer by `customer_id`, or the customer with this `email` (made from these fields if there is none); with both, `customer_id` wins.",
    ); refs ExistingCustomerSchema, NewPaymentCustomerSchema
}

/// Declares `$ty`, the schema named `$name`: `$inner`'s (a derived struct
/// schema, inlined) together with `$rules`, the rules between its fields
/// that JSON Schema can state, as `allOf`. `$refs` are named schemas the
/// rules reference.
macro_rules! with_rules {
    ($(#[$doc:meta])* $ty:ident as $name:literal for $inner:ty => [$($rule:expr),* $(,)?] $(; refs $($r:ty),*)?) => {
        $(#[$doc])*
        #[allow(dead_code)] // a schema only
        pub struct $ty;

        impl utoipa::PartialSchema for $ty {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::AllOfBuilder::new()
                    .item(<$inner as utoipa::PartialSchema>::schema())
                    $(.item($rule))*
                    .into()
            }
        }

        impl utoipa::ToSchema for $ty {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed($name)
            }

            fn schemas(
                schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>,
            ) {
                <$inner as utoipa::ToSchema>::schemas(schemas);
                $($(
                    schemas.push((
                        <$r as utoipa::ToSchema>::name().into_owned(),
                        <$r as utoipa::PartialSchema>::schema(),
                    ));
                    <$r as utoipa::ToSchema>::schemas(schemas);
                )*)?
            }
        }
    };
}

pub(crate) use with_rules;

/// Building blocks of the rules between fields: each is a constraint on an
/// object that leaves its type (and every property it does not name) alone.
pub mod rule {
    use serde_json::Value;
    use utoipa::openapi::schema::{AnyOfBuilder, ObjectBuilder, Schema, SchemaType, Type};
    use utoipa::openapi::{Ref, RefOr};

    use crate::openapi::WHITE_SPACE;

    /// A constraint: an untyped schema to add properties and `required` to.
    pub fn on() -> ObjectBuilder {
        ObjectBuilder::new().schema_type(SchemaType::AnyValue)
    }

    /// The property is absent or null (a property constraint).
    pub fn unset() -> Schema {
        Schema::Object(ObjectBuilder::new().schema_type(Type::Null).build())
    }

    /// Exactly this value.
    pub fn is(value: impl Into<Value>) -> Schema {
        Schema::Object(
            ObjectBuilder::new()
                .schema_type(SchemaType::AnyValue)
                .enum_values(Some([value.into()]))
                .build(),
        )
    }

    /// `false`, `null`, or absent: the flag is not set.
    pub fn not_true() -> Schema {
        Schema::Object(
            ObjectBuilder::new()
                .schema_type(SchemaType::AnyValue)
                .enum_values(Some([Value::Bool(false), Value::Null]))
                .build(),
        )
    }

    /// `true`, `null`, or absent: the flag is not turned off.
    pub fn not_false() -> Schema {
        Schema::Object(
            ObjectBuilder::new()
                .schema_type(SchemaType::AnyValue)
                .enum_values(Some([Value::Bool(true), Value::Null]))
                .build(),
        )
    }

    pub fn of_type(t: Type) -> Schema {
        Schema::Object(ObjectBuilder::new().schema_type(t).build())
    }

    /// A string that is not all white space (as Rust trims it).
    pub fn not_blank() -> Schema {
        Schema::Object(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(format!("[^{WHITE_SPACE}]")))
                .build(),
        )
    }

    /// The named schema.
    pub fn named(name: &str) -> RefOr<Schema> {
        RefOr::Ref(Ref::from_schema_name(name))
    }

    /// At least one of the alternatives holds.
    pub fn any(alternatives: impl IntoIterator<Item = Schema>, description: &str) -> Schema {
        let mut any = AnyOfBuilder::new().description(Some(description));
        for a in alternatives {
            any = any.item(a);
        }
        Schema::AnyOf(any.build())
    }

    /// `a` and `b` are not both given (non-null).
    pub fn not_both(a: &str, b: &str) -> Schema {
        any(
            [
                on().property(a, unset()).build().into(),
                on().property(b, unset()).build().into(),
            ],
            &format!("`{a}` and `{b}` are not both given."),
        )
    }

    /// When `field` is given (non-null), so is `needed` (any non-null
    /// value of `needed_type`).
    pub fn needs(field: &str, needed: &str, needed_type: Type) -> Schema {
        any(
            [
                on().property(field, unset()).build().into(),
                on().required(needed)
                    .property(needed, of_type(needed_type))
                    .build()
                    .into(),
            ],
            &format!("`{field}` needs `{needed}`."),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_mirror_names_its_variants_as_core_serializes_them() {
        let all = [
            ThemeSchema::serde_names(),
            FieldTypeSchema::serde_names(),
            PaymentStatusSchema::serde_names(),
        ];
        for (serde, wire) in all.into_iter().flatten() {
            assert_eq!(serde, serde_json::Value::from(wire));
        }
        for (status, wire) in PaymentStatusSchema::serde_names() {
            let parsed = PaymentStatus::parse(wire).expect("a status parses by its wire name");
            assert_eq!(serde_json::to_value(parsed).unwrap(), status);
        }
    }

    #[test]
    fn the_url_pattern_allows_only_urls_the_domain_accepts() {
        // Shapes the pattern allows; each must pass the domain rule.
        for url in [
            "https://example.com",
            "http://localhost:3000/return?x=1#top",
            "https://a-b.c0.example/path/%zz\\x",
            "http://x",
        ] {
            assert!(
                kassa_core::checkout::web_url("return_url", url).is_ok(),
                "{url}"
            );
        }
        // Shapes the pattern refuses, and so does the domain.
        for url in [
            "ftp://example.com",
            "example.com",
            "http://",
            "http://a b.co",
        ] {
            assert!(
                kassa_core::checkout::web_url("return_url", url).is_err(),
                "{url}"
            );
        }
    }
}
