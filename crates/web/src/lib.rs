//! Kassa's hosted checkout pages, rendered on the server as plain HTML.
//!
//! Every page is a pure function from a view model ([`view`]) to a `String`:
//! no I/O, no JavaScript needed for the purchase, inline CSS only. The app
//! layer maps its domain types into the view models and sends the result.
//!
//! Rules every renderer follows:
//! - every interpolated string is HTML-escaped ([`escape_html`]);
//! - colours and lengths from a theme are emitted only when they match a
//!   strict pattern, otherwise dropped ([`theme`]);
//! - links are emitted only for `http(s)` or relative URLs;
//! - forms are plain `<form method="post">` with the field names in [`fields`].

pub mod fields;
mod html;
pub mod i18n;
mod layout;
mod messages;
pub mod money;
mod pages;
mod style;
pub mod theme;
pub mod view;

mod checkout;

pub use checkout::render_checkout;
pub use html::escape_html;
pub use i18n::{Lang, negotiate};
pub use messages::{Msg, t};
pub use money::format_money;
pub use pages::{
    render_challenge, render_expired, render_link_problem, render_not_found, render_success,
    render_trouble,
};
pub use theme::{Theme, ThemeConfig, ThemeModeConfig};
pub use view::{
    AddressForm, ChallengePage, CheckoutPage, CompletedPage, CurrencyChoice, CustomFieldView,
    CustomerForm, ExpiredPage, FieldError, FieldType, LinkProblemPage, NotFoundPage,
    PaymentMethodChoice, SuccessPage, SummaryLine, TroublePage,
};
