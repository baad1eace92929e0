//! Money formatting per language, exact from integer minor units.
//!
//! No floats: the amount is split into whole and fractional parts with
//! integer division by `10^exponent`. Known currencies get a symbol (`$`,
//! `€`, `£`, `¥`, `₹`); any other code is written out (`1.234 KWD`).

use kassa_core::money::Currency;

use crate::i18n::Lang;

/// Formats `minor` units of core's `currency`, with its ISO 4217 exponent:
/// [`format_money`] for the amounts a page takes from a quote or payment.
pub fn format_amount(minor: i64, currency: Currency, lang: Lang) -> String {
    // Exponents are 0 to 4; `format_number` caps anything larger anyway.
    let exponent = u8::try_from(currency.exponent()).unwrap_or(u8::MAX);
    format_money(minor, exponent, currency.code(), lang)
}

/// Formats `minor` units of `currency_code` (with `exponent` decimal places)
/// the way readers of `lang` expect.
///
/// | lang | example | grouping | decimal | currency |
/// |---|---|---|---|---|
/// | en | `$1,234.56`, `1,234.567 KWD` | `,` | `.` | symbol before, code after |
/// | de, es | `1.234,56 €` | `.` | `,` | after, with a space |
/// | fr | `1 234,56 €` | narrow no-break space | `,` | after, with a space |
/// | ja | `¥1,234`, `€12.34` | `,` | `.` | symbol before, code after |
///
/// Negative amounts (discounts) start with `-`: `-$5.00`, `-5,00 €`.
pub fn format_money(minor: i64, exponent: u8, currency_code: &str, lang: Lang) -> String {
    let (group, decimal) = separators(lang);
    let number = format_number(minor.unsigned_abs(), exponent, group, decimal);
    let sign = if minor < 0 { "-" } else { "" };
    let code = currency_code.trim().to_ascii_uppercase();
    match (symbol(&code), symbol_first(lang)) {
        (Some(symbol), true) => format!("{sign}{symbol}{number}"),
        (Some(symbol), false) => format!("{sign}{number} {symbol}"),
        (None, _) => format!("{sign}{number} {code}"),
    }
}

/// `(thousands separator, decimal separator)` for `lang`.
fn separators(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::En | Lang::Ja => (",", "."),
        Lang::De | Lang::Es => (".", ","),
        Lang::Fr => ("\u{202F}", ","),
    }
}

fn symbol_first(lang: Lang) -> bool {
    matches!(lang, Lang::En | Lang::Ja)
}

fn symbol(code: &str) -> Option<&'static str> {
    Some(match code {
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "¥",
        "INR" => "₹",
        _ => return None,
    })
}

/// Writes `units / 10^exponent` with grouped whole digits and exactly
/// `exponent` fractional digits.
fn format_number(units: u64, exponent: u8, group: &str, decimal: &str) -> String {
    // 10^38 still fits in u128; no real currency has more than 4 places.
    let exponent = u32::from(exponent.min(38));
    let scale = 10u128.pow(exponent);
    let units = u128::from(units);
    let whole = (units / scale).to_string();
    let mut out = String::with_capacity(whole.len() * 2 + exponent as usize + 1);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push_str(group);
        }
        out.push(digit);
    }
    if exponent > 0 {
        out.push_str(decimal);
        let width = exponent as usize;
        out.push_str(&format!("{:0width$}", units % scale));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_whole_digits_in_threes() {
        assert_eq!(format_number(0, 2, ",", "."), "0.00");
        assert_eq!(format_number(5, 2, ",", "."), "0.05");
        assert_eq!(format_number(100_000, 2, ",", "."), "1,000.00");
        assert_eq!(format_number(123_456_789, 0, ",", "."), "123,456,789");
        assert_eq!(format_number(12_345, 3, ".", ","), "12,345");
    }

    #[test]
    fn the_most_negative_amount_does_not_overflow() {
        let s = format_money(i64::MIN, 2, "USD", Lang::En);
        assert_eq!(s, "-$92,233,720,368,547,758.08");
    }

    #[test]
    fn currency_codes_are_case_insensitive() {
        assert_eq!(format_money(100, 2, "usd", Lang::En), "$1.00");
    }
}
