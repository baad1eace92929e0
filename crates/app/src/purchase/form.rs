//! The hosted page's form: what the customer typed, merged with what the
//! session fixed, checked field by field so every problem is shown at once.

use std::collections::BTreeMap;

use kassa_core::checkout::{BillingAddress, CheckoutSession};
use kassa_core::country::Country;
use kassa_core::id::PaymentMethodId;
use kassa_core::payment::CardSummary;
use kassa_processor::{Card, CardInput, PaymentMethod};

/// A saved card's choice value on the page: `saved:<payment method id>`.
pub const SAVED_PREFIX: &str = "saved:";

/// What the customer typed on the page (field names as the form's).
#[derive(Clone, Debug, Default)]
pub struct PayForm {
    pub email: Option<String>,
    pub name: Option<String>,
    pub phone_number: Option<String>,
    pub country: Option<String>,
    pub street: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zipcode: Option<String>,
    pub tax_id: Option<String>,
    pub business_name: Option<String>,
    /// `card` or `upi`.
    pub payment_method: Option<String>,
    pub card_number: Option<String>,
    /// `MM/YY` or `MM/YYYY`.
    pub card_expiry: Option<String>,
    pub card_cvc: Option<String>,
    pub cardholder_name: Option<String>,
    pub upi_vpa: Option<String>,
    /// Custom field answers by key.
    pub custom: BTreeMap<String, String>,
}

pub(super) fn summary(card: &Card) -> CardSummary {
    let s = card.summary();
    CardSummary {
        network: s.brand.network().to_owned(),
        last_four: s.last_four.clone(),
        exp_month: s.exp_month,
        exp_year: s.exp_year,
        card_type: "credit".to_owned(),
        holder: s.holder.clone(),
    }
}

/// The customer's checked details.
pub(super) struct Details {
    pub(super) email: String,
    pub(super) name: String,
    pub(super) phone: Option<String>,
    pub(super) billing: BillingAddress,
    pub(super) business_name: Option<String>,
    pub(super) custom: Vec<(String, String)>,
}

fn given(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Merges what the session fixed with what the customer typed (only where
/// editing is allowed) and checks it all, collecting every problem.
pub(super) fn check_form(
    session: &CheckoutSession,
    form: &PayForm,
) -> Result<Details, Vec<(String, String)>> {
    let flags = &session.flags;
    let mut errors = Vec::new();
    let pick = |fixed: Option<String>, typed: &Option<String>, editable: bool| match fixed {
        Some(f) if !editable => Some(f),
        fixed => given(typed).or(fixed),
    };
    let email = pick(
        session.customer_email.clone(),
        &form.email,
        flags.allow_customer_editing_email,
    );
    let email = match email.map(|e| kassa_core::text::email("email", &e)) {
        Some(Ok(e)) => e,
        Some(Err(_)) => {
            errors.push(("email".into(), "Enter a valid email address.".into()));
            String::new()
        }
        None => {
            errors.push(("email".into(), "Enter your email address.".into()));
            String::new()
        }
    };
    let name = pick(
        session.customer_name.clone(),
        &form.name,
        flags.allow_customer_editing_name,
    )
    .unwrap_or_else(|| {
        errors.push(("name".into(), "Enter your name.".into()));
        String::new()
    });
    let phone = given(&form.phone_number).filter(|_| flags.allow_phone_number_collection);
    if flags.require_phone_number && phone.is_none() {
        errors.push(("phone_number".into(), "Enter your phone number.".into()));
    }
    let fixed = session.billing.clone();
    let field =
        |f: fn(&BillingAddress) -> Option<String>, typed: &Option<String>, editable: bool| {
            pick(fixed.as_ref().and_then(f), typed, editable)
        };
    let country = field(
        |b| Some(b.country.as_str().to_owned()),
        &form.country,
        flags.allow_customer_editing_country,
    );
    let country = match country.map(|c| Country::parse(&c.to_ascii_uppercase())) {
        Some(Ok(c)) => Some(c),
        _ => {
            errors.push(("country".into(), "Choose your country.".into()));
            None
        }
    };
    let street = field(
        |b| b.street.clone(),
        &form.street,
        flags.allow_customer_editing_street,
    );
    let city = field(
        |b| b.city.clone(),
        &form.city,
        flags.allow_customer_editing_city,
    );
    let state = field(
        |b| b.state.clone(),
        &form.state,
        flags.allow_customer_editing_state,
    );
    let zipcode = field(
        |b| b.zipcode.clone(),
        &form.zipcode,
        flags.allow_customer_editing_zipcode,
    );
    if zipcode.is_none() {
        errors.push(("zipcode".into(), "Enter your postal code.".into()));
    }
    // The page asks for a full address unless the session said minimal.
    if !session.minimal_address {
        if street.is_none() {
            errors.push(("street".into(), "Enter your street address.".into()));
        }
        if city.is_none() {
            errors.push(("city".into(), "Enter your city.".into()));
        }
    }
    if flags.require_tax_id && given(&form.tax_id).or(session.tax_id.clone()).is_none() {
        errors.push(("tax_id".into(), "Enter your tax ID.".into()));
    }
    let mut custom = Vec::new();
    for f in &session.custom_fields {
        let answer = form.custom.get(&f.key).map(String::as_str);
        match f.check_answer(answer) {
            Ok(()) => {
                if let Some(a) = answer.map(str::trim).filter(|a| !a.is_empty()) {
                    custom.push((f.key.clone(), a.to_owned()));
                }
            }
            Err(why) => errors.push((format!("custom_{}", f.key), format!("{} {why}.", f.label))),
        }
    }
    match (errors.is_empty(), country) {
        (true, Some(country)) => Ok(Details {
            email,
            name,
            phone,
            billing: BillingAddress {
                country,
                street,
                city,
                state,
                zipcode,
            },
            business_name: given(&form.business_name).or(session.customer_business_name.clone()),
            custom,
        }),
        _ => Err(errors),
    }
}

/// The method the customer chose: details typed now, or a saved card
/// (which the caller must check belongs to this session's customer).
pub(super) enum Chosen {
    Fresh(PaymentMethod),
    Saved(PaymentMethodId),
}

pub(super) fn payment_method(
    form: &PayForm,
    today: (i32, u32),
) -> Result<Chosen, Vec<(String, String)>> {
    let err = |field: &str, msg: &str| vec![(field.to_owned(), msg.to_owned())];
    let choice = form.payment_method.as_deref().unwrap_or("card");
    if let Some(id) = choice.strip_prefix(SAVED_PREFIX) {
        return PaymentMethodId::parse(id)
            .map(Chosen::Saved)
            .map_err(|_| err("payment_method", "That saved card is not available."));
    }
    fresh_method(form, today).map(Chosen::Fresh)
}

fn fresh_method(form: &PayForm, today: (i32, u32)) -> Result<PaymentMethod, Vec<(String, String)>> {
    let err = |field: &str, msg: &str| vec![(field.to_owned(), msg.to_owned())];
    match form.payment_method.as_deref().unwrap_or("card") {
        "upi" => match given(&form.upi_vpa) {
            Some(vpa) if vpa.contains('@') => Ok(PaymentMethod::Upi { vpa }),
            _ => Err(err("upi_vpa", "Enter your UPI ID (name@bank).")),
        },
        "card" => {
            let expiry = given(&form.card_expiry).unwrap_or_default();
            let (month, year) = expiry
                .split_once('/')
                .and_then(|(m, y)| Some((m.trim().parse().ok()?, y.trim().parse().ok()?)))
                .ok_or_else(|| err("card_expiry", "Enter the expiry date as MM/YY."))?;
            let input = CardInput {
                number: form.card_number.as_deref().unwrap_or(""),
                exp_month: month,
                exp_year: year,
                cvc: form.card_cvc.as_deref().unwrap_or("").trim(),
                holder: form.cardholder_name.as_deref(),
            };
            Card::parse(&input, today)
                .map(PaymentMethod::Card)
                .map_err(|e| err(e.field(), &e.to_string()))
        }
        other => Err(err(
            "payment_method",
            &format!("`{other}` is not offered here."),
        )),
    }
}
