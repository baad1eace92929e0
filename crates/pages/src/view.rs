//! Maps a session (as the app sees it) onto the web crate's view models.

use kassa_app::{AppError, SAVED_PREFIX, SessionView};
use kassa_core::checkout::{
    CheckoutSession, Quote, Theme as SessionTheme, ThemeConfig as SessionThemeConfig,
};
use kassa_core::country::Country;
use kassa_core::tenancy::Mode;
use kassa_web::{
    AddressForm, CheckoutPage, CurrencyChoice, CustomFieldView, CustomerForm, FieldError,
    FieldType, Lang, PaymentMethodChoice, SummaryLine, Theme, ThemeConfig, ThemeModeConfig,
};

/// What the customer typed last, to fill the form in again after an error.
#[derive(Default)]
pub struct Entered {
    pub values: Vec<(String, String)>,
}

impl Entered {
    fn get(&self, name: &str) -> Option<String> {
        self.values
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    }
}

pub fn theme(session: &CheckoutSession) -> (Theme, ThemeConfig) {
    let c = &session.customization;
    let theme = match c.theme {
        Some(SessionTheme::Dark) => Theme::Dark,
        Some(SessionTheme::System) => Theme::System,
        Some(SessionTheme::Light) | None => Theme::Light,
    };
    let config = c
        .theme_config
        .as_ref()
        .map(theme_config)
        .unwrap_or_default();
    (theme, config)
}

fn theme_config(t: &SessionThemeConfig) -> ThemeConfig {
    let mode = |m: &std::collections::BTreeMap<String, String>| {
        let get = |k: &str| m.get(k).cloned();
        ThemeModeConfig {
            bg_primary: get("bg_primary"),
            bg_secondary: get("bg_secondary"),
            border_primary: get("border_primary"),
            border_secondary: get("border_secondary"),
            button_primary: get("button_primary"),
            button_primary_hover: get("button_primary_hover"),
            button_secondary: get("button_secondary"),
            button_secondary_hover: get("button_secondary_hover"),
            button_text_primary: get("button_text_primary"),
            button_text_secondary: get("button_text_secondary"),
            input_focus_border: get("input_focus_border"),
            text_error: get("text_error"),
            text_placeholder: get("text_placeholder"),
            text_primary: get("text_primary"),
            text_secondary: get("text_secondary"),
            text_success: get("text_success"),
        }
    };
    ThemeConfig {
        light: mode(&t.light),
        dark: mode(&t.dark),
        radius: t.radius.clone(),
        font_size: t.font_size.clone(),
        pay_button_text: t.pay_button_text.clone(),
    }
}

fn field_type(t: kassa_core::checkout::FieldType) -> FieldType {
    use kassa_core::checkout::FieldType as F;
    match t {
        F::Text => FieldType::Text,
        F::Number => FieldType::Number,
        F::Email => FieldType::Email,
        F::Url => FieldType::Url,
        F::Date => FieldType::Date,
        F::Dropdown => FieldType::Dropdown,
        F::Boolean => FieldType::Boolean,
    }
}

/// The checkout page for an open session.
pub fn checkout_page(
    view: &SessionView,
    quote: &Quote,
    lang: Lang,
    entered: &Entered,
    errors: Vec<(String, String)>,
    notice: Option<String>,
) -> CheckoutPage {
    let s = &view.session;
    let f = &s.flags;
    let (theme, theme_config) = theme(s);
    let billing = s.billing.as_ref();
    let typed_or = |name: &str, fixed: Option<String>| entered.get(name).or(fixed);
    let methods = if s.allowed_payment_method_types.is_empty()
        || s.allowed_payment_method_types
            .iter()
            .any(|t| t == "credit" || t == "debit")
    {
        vec![PaymentMethodChoice {
            id: "card".into(),
            label: "Card".into(),
            // Chosen unless something else was, or a saved card leads.
            selected: match entered.get("payment_method") {
                Some(chosen) => chosen == "card",
                None => view.saved_methods.is_empty(),
            },
        }]
    } else {
        Vec::new()
    };
    let upi = s
        .allowed_payment_method_types
        .iter()
        .any(|t| t.starts_with("upi"))
        || (s.allowed_payment_method_types.is_empty() && quote.currency.code() == "INR");
    // A returning customer's saved cards come first, the newest chosen.
    let mut payment_methods: Vec<PaymentMethodChoice> = view
        .saved_methods
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let id = format!("{SAVED_PREFIX}{}", m.id);
            PaymentMethodChoice {
                selected: match entered.get("payment_method") {
                    Some(chosen) => chosen == id,
                    None => i == 0,
                },
                label: format!(
                    "{} •••• {} ({:02}/{:02})",
                    m.card.network,
                    m.card.last_four,
                    m.card.exp_month,
                    m.card.exp_year % 100
                ),
                id,
            }
        })
        .collect();
    payment_methods.extend(methods);
    if upi {
        payment_methods.push(PaymentMethodChoice {
            id: "upi".into(),
            label: "UPI".into(),
            selected: entered.get("payment_method").as_deref() == Some("upi"),
        });
    }
    CheckoutPage {
        lang,
        session_id: s.id.to_string(),
        business_name: view.business_name.clone(),
        theme,
        theme_config,
        show_order_details: s.customization.show_order_details,
        lines: quote
            .lines
            .iter()
            .map(|l| SummaryLine {
                name: l.name.clone(),
                description: l.description.clone(),
                quantity: l.quantity,
                unit_amount: l.unit_amount,
                subtotal: l.subtotal,
                discount: l.discount,
                tax: l.tax,
                total: l.total,
                is_subscription: l.is_subscription,
                billing_note: l
                    .payment_frequency
                    .map(|p| format!("every {} {:?}", p.count, p.interval)),
                trial_days: (l.trial_days > 0).then_some(l.trial_days),
            })
            .collect(),
        currency: quote.currency.code().to_owned(),
        exponent: quote.currency.exponent() as u8,
        subtotal: quote.today.subtotal,
        discount: quote.today.discount,
        tax: quote.today.tax,
        total: quote.today.total,
        tax_inclusive: quote.lines.iter().all(|l| l.tax_inclusive),
        applied_codes: s.discount_codes.clone(),
        allow_discount_code: f.allow_discount_code,
        customer: CustomerForm {
            email: typed_or("email", s.customer_email.clone()),
            name: typed_or("name", s.customer_name.clone()),
            phone: entered.get("phone_number"),
            email_editable: f.allow_customer_editing_email || s.customer_email.is_none(),
            name_editable: f.allow_customer_editing_name || s.customer_name.is_none(),
            show_phone: f.allow_phone_number_collection,
            require_phone: f.require_phone_number,
        },
        address: AddressForm {
            country: typed_or("country", billing.map(|b| b.country.as_str().to_owned())),
            street: typed_or("street", billing.and_then(|b| b.street.clone())),
            city: typed_or("city", billing.and_then(|b| b.city.clone())),
            state: typed_or("state", billing.and_then(|b| b.state.clone())),
            zipcode: typed_or("zipcode", billing.and_then(|b| b.zipcode.clone())),
            country_editable: f.allow_customer_editing_country || billing.is_none(),
            street_editable: f.allow_customer_editing_street,
            city_editable: f.allow_customer_editing_city,
            state_editable: f.allow_customer_editing_state,
            zipcode_editable: f.allow_customer_editing_zipcode,
            minimal: s.minimal_address,
        },
        countries: Country::all()
            .map(|c| (c.as_str().to_owned(), c.as_str().to_owned()))
            .collect(),
        show_tax_id: f.allow_tax_id,
        require_tax_id: f.require_tax_id,
        tax_id: typed_or("tax_id", s.tax_id.clone()),
        show_business_name: f.allow_tax_id,
        business_name_value: typed_or("business_name", s.customer_business_name.clone()),
        custom_fields: s
            .custom_fields
            .iter()
            .map(|c| CustomFieldView {
                key: c.key.clone(),
                label: c.label.clone(),
                field_type: field_type(c.field_type),
                options: c.options.clone(),
                placeholder: c.placeholder.clone(),
                required: c.required,
                value: entered.get(&format!("custom_{}", c.key)),
            })
            .collect(),
        payment_methods,
        require_cardholder_name: f.require_cardholder_name,
        errors: errors
            .into_iter()
            .map(|(field, message)| FieldError {
                field: Some(field),
                message,
            })
            .collect(),
        notice,
        cancel_url: s.cancel_url.clone(),
        form_action: format!("/session/{}/pay", s.id),
        discount_action: format!("/session/{}/discount", s.id),
        currency_choice: (!view.currencies.is_empty()).then(|| CurrencyChoice {
            options: view
                .currencies
                .iter()
                .map(|c| c.code().to_owned())
                .collect(),
            action: format!("/session/{}/currency", s.id),
        }),
        submit_token: s.id.to_string(),
        test_mode: view.scope.mode == Mode::Test,
    }
}

/// A message for the customer when the cart cannot be priced any more.
pub fn unpriceable(e: &AppError) -> String {
    format!("This checkout cannot be completed: {e}")
}
