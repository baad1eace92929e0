//! Kassa's hosted checkout pages, rendered on the server as plain HTML.
//!
//! Every page is a pure function from a view ([`view`]) to a `String`: no
//! I/O, no JavaScript needed for the purchase, inline CSS only. A view
//! borrows core's types as the app layer produced them (the session, its
//! quote, a payment's amount) and adds only what the rendering alone knows
//! (language, typed values, errors, the methods offered, form targets); the
//! `kassa-pages` crate builds them and sends the result.
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
pub use money::{format_amount, format_money};
pub use pages::{
    render_challenge, render_expired, render_link_problem, render_not_found, render_success,
    render_trouble,
};
pub use view::{
    ChallengePage, CheckoutPage, CurrencyChoice, Entered, ExpiredPage, FieldError, LinkProblemPage,
    NotFoundPage, PaymentMethodChoice, SuccessPage, TroublePage,
};
