//! Specifications of the rendered pages, read through their HTML.

mod checkout;
mod fixtures;
mod form;
mod i18n;
mod labels;
mod money;
mod pages;
mod safety;
