//! Request extractors that fail in Dodo's error shape: the authenticated
//! caller, JSON bodies that name the offending field, query strings, ids.
//!
//! Bodies and query strings also name the fields Kassa does not know: by
//! default they are ignored and reported to the server's edge, which lists
//! them in `Kassa-Ignored-Fields` and the log; under `--strict-fields` they
//! are a 422 before the handler runs, so nothing is written
//! (see [`kassa_app::request_fields`]).

use std::sync::Arc;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use kassa_app::{App, AppError};
use kassa_core::tenancy::Scope;
use serde::de::DeserializeOwned;

use crate::ApiError;
use crate::objects_only::ObjectsOnly;

/// The business and mode of the request's `Authorization: Bearer` key.
pub struct Caller(pub Scope);

impl FromRequestParts<Arc<App>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Caller, ApiError> {
        let secret = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or(AppError::Unauthorized)?;
        Ok(Caller(app.authenticate(secret.trim()).await?))
    }
}

/// A JSON body. Malformed JSON is a 400; JSON of the wrong shape is a 422
/// naming the path of the offending field (`price.price`); unknown fields
/// are ignored and reported, or refused under `--strict-fields`.
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Body<T>, ApiError> {
        let RawBody(bytes) = RawBody::from_request(req, state).await?;
        parse_json(&bytes).map(Body)
    }
}

/// axum's default body limit, which the server keeps.
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// A body read whole, for a handler that parses it itself (an optional
/// body); a body over [`BODY_LIMIT`] is refused in the JSON error shape
/// like any other.
pub struct RawBody(pub axum::body::Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<RawBody, ApiError> {
        axum::body::Bytes::from_request(req, state)
            .await
            .map(RawBody)
            .map_err(|e| match e.status() {
                axum::http::StatusCode::PAYLOAD_TOO_LARGE => ApiError::BodyTooLarge(BODY_LIMIT),
                _ => ApiError::MalformedJson(e.body_text()),
            })
    }
}

/// Parses JSON, telling syntax errors from shape errors, and reports the
/// fields `T` does not know (or refuses them under `--strict-fields`).
///
/// Fields `T` takes as `serde_json::Value` or a map (`metadata`) accept
/// anything and are never unknown. Fields inside an internally tagged union
/// (a product's `price`, told apart by `type`) are buffered by serde before
/// the variant is known, out of the tracker's sight: an unknown one there
/// is ignored unreported.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // Good bodies take one pass, through serde_ignored: it costs about 0.3 µs
    // on a checkout body (a key copied per object member) over plain
    // serde_json, and allocates nothing more unless a field is unknown.
    // Only a refused body pays for the syntax check and the path-tracking
    // pass that name the problem.
    let mut unknown = Vec::new();
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let parsed = serde_ignored::deserialize(ObjectsOnly(&mut *de), |path| {
        unknown.push(field_path(&path))
    })
    .and_then(|value| de.end().map(|()| value));
    if let Ok(value) = parsed {
        return accept_unknown(unknown, ApiError::UnknownFields).map(|()| value);
    }
    let mut tree = match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(tree) => tree,
        Err(e) => return Err(ApiError::MalformedJson(e.to_string())),
    };
    // JSON (and JSON Schema) count `328.0` as the integer 328; serde's
    // integers do not. A body refused only for that is read again with
    // such numbers written as integers.
    if integral_floats_as_integers(&mut tree) {
        let mut unknown = Vec::new();
        let parsed =
            serde_ignored::deserialize(ObjectsOnly(tree), |path| unknown.push(field_path(&path)));
        if let Ok(value) = parsed {
            return accept_unknown(unknown, ApiError::UnknownFields).map(|()| value);
        }
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(ObjectsOnly(de)).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { "body".to_owned() } else { path };
        let reason = strip_position(&e.into_inner().to_string());
        ApiError::InvalidBody { field, reason }
    })
}

/// Rewrites every number with no fractional part (`5.0`, `1e3`) that fits
/// an `i64` as an integer; says whether any was rewritten.
fn integral_floats_as_integers(value: &mut serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            // i64::MAX is not an f64; 2^63 is the first value past it.
            if f.fract() == 0.0
                && (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f)
            {
                *value = Value::from(f as i64);
                true
            } else {
                false
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |any, v| integral_floats_as_integers(v) | any),
        Value::Object(map) => map
            .values_mut()
            .fold(false, |any, v| integral_floats_as_integers(v) | any),
        _ => false,
    }
}

/// serde_json appends " at line L column C"; the field path says more.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Query parameters; a malformed one is `INVALID_QUERY_PARAMS`, and so is
/// an unknown one under `--strict-fields` (otherwise it is reported).
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Query<T>, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        let mut unknown = Vec::new();
        let mut report = |path: serde_ignored::Path| unknown.push(field_path(&path));
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        let parsed =
            serde_path_to_error::deserialize(serde_ignored::Deserializer::new(de, &mut report))
                .map_err(|e| ApiError::InvalidQuery(format!("{}: {}", e.path(), e.inner())))?;
        accept_unknown(unknown, |names| {
            ApiError::InvalidQuery(format!(
                "unknown parameters: {} (this server runs with --strict-fields)",
                kassa_app::request_fields::list(&names)
            ))
        })?;
        Ok(Query(parsed))
    }
}

/// Reports `unknown` to the edge, or refuses them with `refuse` when the
/// request is strict.
fn accept_unknown(
    unknown: Vec<String>,
    refuse: impl FnOnce(Vec<String>) -> ApiError,
) -> Result<(), ApiError> {
    if unknown.is_empty() {
        Ok(())
    } else if kassa_app::request_fields::strict() {
        Err(refuse(unknown))
    } else {
        kassa_app::request_fields::report_ignored(unknown);
        Ok(())
    }
}

/// `customer.foo`, `product_cart[0].extra`: object keys dotted, array
/// elements by index; options and newtypes leave no trace.
fn field_path(path: &serde_ignored::Path) -> String {
    fn write(path: &serde_ignored::Path, out: &mut String) {
        use serde_ignored::Path;
        match path {
            Path::Root => {}
            Path::Seq { parent, index } => {
                write(parent, out);
                out.push_str(&format!("[{index}]"));
            }
            Path::Map { parent, key } => {
                write(parent, out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Path::Some { parent }
            | Path::NewtypeStruct { parent }
            | Path::NewtypeVariant { parent } => write(parent, out),
        }
    }
    let mut out = String::new();
    write(path, &mut out);
    out
}

/// Parses an id from the path. An id of the wrong shape cannot exist, so
/// it is a 404 like any other unknown id.
pub fn path_id<T>(
    what: &'static str,
    raw: &str,
    parse: impl Fn(&str) -> Result<T, kassa_core::id::IdError>,
) -> Result<T, ApiError> {
    parse(raw).map_err(|_| ApiError::App(AppError::not_found(what, raw)))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use kassa_app::request_fields::RequestFields;
    use serde::Deserialize;

    use super::*;

    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Order {
        items: Vec<Item>,
        customer: Option<Customer>,
        metadata: Option<BTreeMap<String, serde_json::Value>>,
        extra: Option<serde_json::Value>,
    }

    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Item {
        id: String,
    }

    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Customer {
        email: String,
    }

    /// Parses `body` inside a request and returns what it reported.
    fn reported(strict: bool, body: &str) -> (Result<Order, ApiError>, Vec<String>) {
        let mut fields = RequestFields::new(strict);
        let parsed = fields.enter(|| parse_json::<Order>(body.as_bytes()));
        (parsed, fields.ignored().to_vec())
    }

    #[test]
    fn unknown_fields_are_named_by_dotted_path_with_array_indexes() {
        let body = r#"{"items": [{"id": "a"}, {"id": "b", "colour": 1}], "bogus": {"x": 1},
                       "customer": {"email": "e", "phone": null}}"#;
        let (parsed, ignored) = reported(false, body);
        assert!(parsed.is_ok());
        assert_eq!(ignored, ["items[1].colour", "bogus", "customer.phone"]);
    }

    #[test]
    fn values_and_maps_take_any_key_and_report_none() {
        let body = r#"{"items": [], "metadata": {"anything": {"deep": 1}}, "extra": {"k": [1]}}"#;
        let (parsed, ignored) = reported(false, body);
        assert!(parsed.is_ok());
        assert!(ignored.is_empty(), "{ignored:?}");
    }

    #[test]
    fn strict_requests_refuse_every_unknown_field_by_name() {
        let (parsed, ignored) = reported(true, r#"{"items": [], "a": 1, "b": 2}"#);
        let Err(ApiError::UnknownFields(names)) = parsed else {
            panic!("not refused");
        };
        assert_eq!(names, ["a", "b"]);
        assert!(ignored.is_empty(), "refused, not ignored");
    }

    #[test]
    fn a_wrong_type_is_still_named_by_path_with_unknown_fields_beside_it() {
        let (parsed, _) = reported(false, r#"{"items": [{"id": 5}], "bogus": 1}"#);
        match parsed {
            Err(ApiError::InvalidBody { field, .. }) => assert_eq!(field, "items[0].id"),
            _ => panic!("not refused by path"),
        }
    }

    #[test]
    fn trailing_garbage_is_still_malformed() {
        let (parsed, _) = reported(false, r#"{"items": []} x"#);
        assert!(matches!(parsed, Err(ApiError::MalformedJson(_))));
    }

    #[test]
    fn an_integer_written_with_a_fraction_of_zero_is_taken_as_that_integer() {
        #[derive(Deserialize, Debug)]
        struct Price {
            price: i64,
            tags: Vec<u32>,
        }
        let parsed: Price = parse_json(br#"{"price": 328.0, "tags": [1e3, 2]}"#).unwrap();
        assert_eq!((parsed.price, parsed.tags), (328, vec![1000, 2]));
        let refused = parse_json::<Price>(br#"{"price": 328.5, "tags": []}"#).unwrap_err();
        assert!(refused.to_string().starts_with("price:"), "{refused}");
    }
}
