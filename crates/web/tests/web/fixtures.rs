//! A realistic checkout page to vary per test: a session and its quote as
//! the app would hand them over, and the page built on them.

use kassa_core::catalog::{Period, TaxCategory, TimeInterval};
use kassa_core::checkout::{
    CartItem, CheckoutSession, CustomField, Customization, FieldType, Quote, QuotedLine,
    SessionDraft, Theme,
};
use kassa_core::country::Country;
use kassa_core::id::{BusinessId, CheckoutSessionId, ProductId};
use kassa_core::money::Currency;
use kassa_core::pricing::CartBreakdown;
use kassa_core::tax::TaxRate;
use kassa_core::tenancy::Mode;
use kassa_web::view::*;
use kassa_web::{Lang, render_checkout};
use time::OffsetDateTime;

pub const SESSION_ID: &str = "cks_0123456789abcdefghijk";

/// An open session with Dodo's default flags, a light theme and one
/// applied code.
pub fn session() -> CheckoutSession {
    let draft = SessionDraft {
        cart: vec![CartItem {
            product: ProductId::generate(),
            quantity: 2,
            amount: None,
            addons: Vec::new(),
        }],
        discount_codes: vec!["SPRING10".into()],
        customization: Customization {
            theme: Some(Theme::Light),
            ..Customization::default()
        },
        ..SessionDraft::default()
    };
    CheckoutSession::create(
        CheckoutSessionId::parse(SESSION_ID).unwrap(),
        BusinessId::generate(),
        draft,
        None,
        OffsetDateTime::UNIX_EPOCH,
    )
    .unwrap()
}

fn line(name: &str, quantity: u32, unit_amount: i64) -> QuotedLine {
    let subtotal = unit_amount * i64::from(quantity);
    QuotedLine {
        product: ProductId::generate(),
        addon: None,
        name: name.into(),
        description: None,
        quantity,
        unit_amount,
        tax_rate: TaxRate::ZERO,
        tax_category: TaxCategory::DigitalProducts,
        tax_inclusive: false,
        is_subscription: false,
        is_usage_based: false,
        trial_days: 0,
        payment_frequency: None,
        subtotal,
        discount: 0,
        tax: 0,
        total: subtotal,
        original: (subtotal, Currency::USD),
    }
}

/// Two lines in US dollars: a discounted, taxed hammer and a monthly plan
/// with a trial.
pub fn quote() -> Quote {
    let hammer = QuotedLine {
        description: Some("A very good hammer".into()),
        discount: 200,
        tax: 180,
        total: 1980,
        ..line("Hammer", 2, 1000)
    };
    let plan = QuotedLine {
        is_subscription: true,
        payment_frequency: Some(Period {
            count: 1,
            interval: TimeInterval::Month,
        }),
        trial_days: 14,
        ..line("Pro plan", 1, 1500)
    };
    Quote {
        currency: Currency::USD,
        country: Country::parse("US").unwrap(),
        lines: vec![hammer, plan],
        today: CartBreakdown {
            currency: Currency::USD,
            lines: Vec::new(),
            discounts: Vec::new(),
            subtotal: 3500,
            discount: 200,
            tax: 180,
            total: 3480,
        },
        recurring: None,
        trial_days: None,
        tax_id_error: None,
        reverse_charge: false,
    }
}

/// The page of `session` priced at `quote`, in English, live mode, with a
/// card as the only method and nothing typed yet.
pub fn page<'a>(session: &'a CheckoutSession, quote: &'a Quote) -> CheckoutPage<'a> {
    CheckoutPage {
        lang: Lang::En,
        session,
        quote,
        business_name: "Acme Tools",
        mode: Mode::Live,
        payment_methods: vec![PaymentMethodChoice {
            id: "card".into(),
            label: "Card".into(),
            selected: true,
        }],
        currency_choice: None,
        entered: Entered::default(),
        errors: vec![],
        notice: None,
        form_action: format!("/session/{SESSION_ID}/pay"),
        discount_action: format!("/session/{SESSION_ID}/discount"),
    }
}

/// The fixture page of `session` with the fixture quote.
pub fn render(session: &CheckoutSession) -> String {
    render_checkout(&page(session, &quote()))
}

/// The fixture page as it is.
pub fn html() -> String {
    render(&session())
}

/// Typed form values, as posted.
pub fn typed(pairs: &[(&str, &str)]) -> Entered {
    Entered {
        values: pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

/// A merchant's question with no options, placeholder or requirement.
pub fn question(key: &str, label: &str, field_type: FieldType) -> CustomField {
    CustomField {
        field_type,
        key: key.into(),
        label: label.into(),
        options: Vec::new(),
        placeholder: None,
        required: false,
    }
}

/// The opening tag of the element carrying `attr` (e.g. `name="email"`).
pub fn tag_with<'a>(html: &'a str, attr: &str) -> Option<&'a str> {
    let at = html.find(attr)?;
    let start = html[..at].rfind('<')?;
    let end = at + html[at..].find('>')?;
    Some(&html[start..=end])
}

/// The opening tag of the element carrying `attr`; panics when absent.
pub fn tag<'a>(html: &'a str, attr: &str) -> &'a str {
    tag_with(html, attr).unwrap_or_else(|| panic!("no element with {attr}"))
}

/// The text between the element with `attr` and its first closing tag.
pub fn text_of<'a>(html: &'a str, attr: &str) -> &'a str {
    let open = tag(html, attr);
    let start = html.find(open).unwrap() + open.len();
    let end = start + html[start..].find("</").unwrap();
    &html[start..end]
}
