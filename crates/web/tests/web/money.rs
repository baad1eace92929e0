//! Money formatting, exact from minor units.

use kassa_web::{Lang, format_money};

#[test]
fn english_puts_known_symbols_first() {
    assert_eq!(format_money(1234, 2, "USD", Lang::En), "$12.34");
    assert_eq!(format_money(1234, 2, "EUR", Lang::En), "€12.34");
    assert_eq!(format_money(1234, 2, "GBP", Lang::En), "£12.34");
    assert_eq!(
        format_money(123_456_789, 2, "INR", Lang::En),
        "₹1,234,567.89"
    );
}

#[test]
fn unknown_currencies_are_written_as_their_code_after_the_number() {
    assert_eq!(format_money(1234, 2, "CHF", Lang::En), "12.34 CHF");
    assert_eq!(format_money(1234, 3, "KWD", Lang::En), "1.234 KWD");
    assert_eq!(format_money(1234, 3, "KWD", Lang::De), "1,234 KWD");
}

#[test]
fn german_and_spanish_group_with_dots_and_put_the_symbol_after() {
    assert_eq!(format_money(123_456, 2, "EUR", Lang::De), "1.234,56 €");
    assert_eq!(format_money(123_456, 2, "EUR", Lang::Es), "1.234,56 €");
    assert_eq!(format_money(1234, 2, "USD", Lang::De), "12,34 $");
}

#[test]
fn french_groups_with_a_narrow_no_break_space() {
    assert_eq!(
        format_money(123_456, 2, "EUR", Lang::Fr),
        "1\u{202F}234,56 €"
    );
    assert_eq!(format_money(1234, 2, "EUR", Lang::Fr), "12,34 €");
}

#[test]
fn japanese_yen_has_no_decimals() {
    assert_eq!(format_money(1234, 0, "JPY", Lang::Ja), "¥1,234");
    assert_eq!(format_money(1_234_567, 0, "JPY", Lang::En), "¥1,234,567");
    assert_eq!(format_money(1234, 2, "USD", Lang::Ja), "$12.34");
}

#[test]
fn negative_amounts_start_with_a_minus() {
    assert_eq!(format_money(-500, 2, "USD", Lang::En), "-$5.00");
    assert_eq!(format_money(-123_456, 2, "EUR", Lang::De), "-1.234,56 €");
    assert_eq!(format_money(-1234, 3, "KWD", Lang::En), "-1.234 KWD");
}

#[test]
fn small_and_zero_amounts_keep_their_leading_zeros() {
    assert_eq!(format_money(0, 2, "USD", Lang::En), "$0.00");
    assert_eq!(format_money(7, 2, "USD", Lang::En), "$0.07");
    assert_eq!(format_money(7, 3, "KWD", Lang::En), "0.007 KWD");
    assert_eq!(format_money(0, 0, "JPY", Lang::Ja), "¥0");
}
