//! Links on the page side: static payment links
//! (`GET /buy/{product_id}?quantity=&redirect_url=&…`) open a fresh checkout
//! session for the product and send the browser to its page, taking the
//! query parameters Dodo's static links take; short links (`/l/{slug}`)
//! lead on to wherever they point.
//!
//! The product id is the whole capability, as on Dodo: anyone with the link
//! may buy. Unknown parameters (`utm_*` and the like) are ignored.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use kassa_app::{App, AppError};

use kassa_core::checkout::{BillingAddress, CartItem, CustomerRef, FeatureFlags, SessionDraft};
use kassa_core::country::Country;
use kassa_core::metadata::{Metadata, MetadataValue};
use kassa_core::money::{Amount, Currency};

use super::{accept_language, html, not_found};

/// The query of a static link, parsed. `Err` names the parameter at fault.
pub fn draft_from_query(
    product: kassa_core::id::ProductId,
    pairs: &[(String, String)],
) -> Result<SessionDraft, String> {
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    };
    let off = |name: &str| get(name).is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let not_false = |name: &str| !get(name).is_some_and(|v| v.eq_ignore_ascii_case("false"));

    let quantity = match get("quantity") {
        None => 1,
        Some(q) => q
            .parse::<u32>()
            .ok()
            .filter(|q| *q > 0)
            .ok_or_else(|| format!("quantity: `{q}` is not a positive whole number"))?,
    };
    let amount = get("paymentAmount")
        .map(|a| {
            a.parse::<i64>()
                .map_err(|_| format!("paymentAmount: `{a}` is not an amount in minor units"))
                .and_then(|m| Amount::new("paymentAmount", m).map_err(|e| e.to_string()))
        })
        .transpose()?;
    let name = get("fullName").map(str::to_owned).or_else(|| {
        let parts: Vec<&str> = [get("firstName"), get("lastName")]
            .into_iter()
            .flatten()
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    });
    let customer = get("email").map(|email| CustomerRef::New {
        email: email.to_owned(),
        name,
        phone_number: None,
    });
    let billing = get("country")
        .map(|c| {
            Country::parse(&c.to_ascii_uppercase())
                .map(|country| BillingAddress {
                    country,
                    street: get("addressLine").map(str::to_owned),
                    city: get("city").map(str::to_owned),
                    state: get("state").map(str::to_owned),
                    zipcode: get("zipCode").map(str::to_owned),
                })
                .map_err(|_| format!("country: `{c}` is not a supported country code"))
        })
        .transpose()?;
    let billing_currency = get("paymentCurrency")
        .map(|c| {
            Currency::parse(&c.to_ascii_uppercase())
                .ok_or_else(|| format!("paymentCurrency: `{c}` is not a currency"))
        })
        .transpose()?;
    let metadata = pairs
        .iter()
        .filter_map(|(k, v)| {
            let key = k.strip_prefix("metadata_")?;
            Some((key.to_owned(), MetadataValue::String(v.clone())))
        })
        .collect::<BTreeMap<_, _>>();
    let metadata = Metadata::new(metadata).map_err(|e| e.to_string())?;
    let name_locked = off("disableFullName") || off("disableFirstName") || off("disableLastName");
    let flags = FeatureFlags {
        allow_customer_editing_name: !name_locked,
        allow_customer_editing_email: !off("disableEmail"),
        allow_customer_editing_country: !off("disableCountry"),
        allow_customer_editing_street: !off("disableAddressLine"),
        allow_customer_editing_city: !off("disableCity"),
        allow_customer_editing_state: !off("disableState"),
        allow_customer_editing_zipcode: !off("disableZipCode"),
        allow_discount_code: not_false("showDiscounts"),
        allow_currency_selection: not_false("showCurrencySelector"),
        ..FeatureFlags::default()
    };
    Ok(SessionDraft {
        cart: vec![CartItem {
            product,
            quantity,
            amount,
            addons: Vec::new(),
        }],
        customer,
        billing,
        minimal_address: None,
        confirm: false,
        payment_method_id: None,
        return_url: get("redirect_url").map(str::to_owned),
        cancel_url: None,
        billing_currency,
        allowed_payment_method_types: Vec::new(),
        show_saved_payment_methods: false,
        discount_codes: Vec::new(),
        custom_fields: Vec::new(),
        metadata,
        tax_id: None,
        customer_business_name: None,
        short_link: false,
        trial_period_days: None,
        force_3ds: None,
        customization: Default::default(),
        flags,
    })
}

fn link_problem(headers: &HeaderMap, status: StatusCode, problem: String) -> Response {
    let lang = kassa_web::negotiate(None, accept_language(headers));
    html(
        status,
        kassa_web::render_link_problem(&kassa_web::LinkProblemPage { lang, problem }),
    )
}

/// A short link: on to wherever it leads.
pub(super) async fn short_link(
    State(app): State<Arc<App>>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Ok(slug) = kassa_core::link::Slug::parse("slug", &slug) else {
        return not_found(&headers);
    };
    match app.resolve_short_link(&slug).await {
        Ok(target) => Redirect::to(&target).into_response(),
        Err(_) => not_found(&headers),
    }
}

/// A static payment link: a new session for the product, then its page.
pub(super) async fn buy(
    State(app): State<Arc<App>>,
    Path(product_id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let Ok(product) = kassa_core::id::ProductId::parse(&product_id) else {
        return not_found(&headers);
    };
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    let draft = match draft_from_query(product.clone(), &pairs) {
        Ok(draft) => draft,
        Err(problem) => return link_problem(&headers, StatusCode::UNPROCESSABLE_ENTITY, problem),
    };
    let scope = match app.product_anywhere(&product).await {
        Ok((scope, _)) => scope,
        Err(_) => return not_found(&headers),
    };
    match app.create_checkout(&scope, draft).await {
        Ok(priced) => Redirect::to(&format!("/session/{}", priced.session.id)).into_response(),
        Err(AppError::NotFound { .. }) => not_found(&headers),
        Err(e) => link_problem(&headers, StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn prefill_and_lock_parameters_become_customer_billing_and_flags() {
        let id = kassa_core::id::ProductId::generate();
        let d = draft_from_query(
            id.clone(),
            &q(&[
                ("quantity", "3"),
                ("email", "a@example.com"),
                ("firstName", "Ada"),
                ("lastName", "Lovelace"),
                ("country", "de"),
                ("zipCode", "10115"),
                ("disableEmail", "true"),
                ("showDiscounts", "false"),
                ("redirect_url", "https://shop.example/ok"),
                ("metadata_campaign", "winter"),
                ("utm_source", "ignored"),
            ]),
        )
        .unwrap();
        assert_eq!(d.cart[0].quantity, 3);
        assert_eq!(d.cart[0].product, id);
        match d.customer {
            Some(CustomerRef::New { email, name, .. }) => {
                assert_eq!(email, "a@example.com");
                assert_eq!(name.as_deref(), Some("Ada Lovelace"));
            }
            _ => panic!("a new customer"),
        }
        assert_eq!(d.billing.unwrap().country.as_str(), "DE");
        assert!(!d.flags.allow_customer_editing_email);
        assert!(d.flags.allow_customer_editing_name);
        assert!(!d.flags.allow_discount_code);
        assert_eq!(d.return_url.as_deref(), Some("https://shop.example/ok"));
        assert_eq!(d.metadata.pairs().len(), 1);
    }

    #[test]
    fn a_bad_quantity_or_country_names_the_parameter() {
        let id = kassa_core::id::ProductId::generate();
        let e = draft_from_query(id.clone(), &q(&[("quantity", "0")])).unwrap_err();
        assert!(e.starts_with("quantity"), "{e}");
        let e = draft_from_query(id, &q(&[("country", "ZZ")])).unwrap_err();
        assert!(e.starts_with("country"), "{e}");
    }
}
