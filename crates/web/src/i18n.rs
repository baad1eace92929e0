//! Supported languages and Accept-Language negotiation.
//!
//! The message catalog itself lives in `messages.rs` ([`crate::t`]).

use serde::{Deserialize, Serialize};

/// A language the checkout pages are translated into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    De,
    Fr,
    Es,
    Ja,
}

impl Lang {
    /// Every supported language, English first.
    pub const ALL: [Lang; 5] = [Lang::En, Lang::De, Lang::Fr, Lang::Es, Lang::Ja];

    /// The BCP 47 primary tag, as used in `<html lang="…">`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Fr => "fr",
            Lang::Es => "es",
            Lang::Ja => "ja",
        }
    }

    /// Parses a language tag by its primary subtag, case-insensitively:
    /// `de`, `DE`, `de-DE` and `de_AT` are all German.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        Lang::ALL
            .into_iter()
            .find(|lang| primary.eq_ignore_ascii_case(lang.code()))
    }
}

/// Picks the page language.
///
/// A supported `force_language` (the session's `customization.force_language`)
/// wins. Otherwise the supported `Accept-Language` entry with the highest
/// q-value wins, ties going to the earlier entry. Otherwise English.
pub fn negotiate(force_language: Option<&str>, accept_language: Option<&str>) -> Lang {
    if let Some(lang) = force_language.and_then(Lang::from_tag) {
        return lang;
    }
    let mut best: Option<(u16, Lang)> = None;
    for entry in accept_language.unwrap_or_default().split(',') {
        let mut parts = entry.split(';');
        let Some(lang) = parts.next().and_then(Lang::from_tag) else {
            continue;
        };
        let Some(q) = quality(parts) else { continue };
        if q > 0 && best.is_none_or(|(best_q, _)| q > best_q) {
            best = Some((q, lang));
        }
    }
    best.map_or(Lang::En, |(_, lang)| lang)
}

/// The q-value of an Accept-Language entry in thousandths (`q=0.8` → 800),
/// 1000 when absent, `None` when malformed.
fn quality<'a>(params: impl Iterator<Item = &'a str>) -> Option<u16> {
    for param in params {
        let Some((key, value)) = param.split_once('=') else {
            continue;
        };
        if key.trim().eq_ignore_ascii_case("q") {
            return parse_q(value.trim());
        }
    }
    Some(1000)
}

/// Parses `0`, `0.5`, `0.123`, `1`, `1.000` into thousandths, exactly.
fn parse_q(value: &str) -> Option<u16> {
    let (whole, frac) = value.split_once('.').unwrap_or((value, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: u16 = match whole {
        "0" => 0,
        "1" => 1,
        _ => return None,
    };
    let mut thousandths = 0u16;
    for (i, digit) in frac
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(3)
        .enumerate()
    {
        thousandths += u16::from(digit - b'0') * [100, 10, 1][i];
    }
    let q = whole * 1000 + thousandths;
    (q <= 1000).then_some(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q_values_parse_exactly_into_thousandths() {
        assert_eq!(parse_q("1"), Some(1000));
        assert_eq!(parse_q("1.000"), Some(1000));
        assert_eq!(parse_q("0.8"), Some(800));
        assert_eq!(parse_q("0.123"), Some(123));
        assert_eq!(parse_q("0"), Some(0));
        assert_eq!(parse_q("1.5"), None);
        assert_eq!(parse_q("0.1234"), None);
        assert_eq!(parse_q("abc"), None);
        assert_eq!(parse_q("2"), None);
    }

    #[test]
    fn language_tags_match_on_the_primary_subtag_case_insensitively() {
        assert_eq!(Lang::from_tag("de"), Some(Lang::De));
        assert_eq!(Lang::from_tag("DE-de"), Some(Lang::De));
        assert_eq!(Lang::from_tag("ja_JP"), Some(Lang::Ja));
        assert_eq!(Lang::from_tag(" fr-CA "), Some(Lang::Fr));
        assert_eq!(Lang::from_tag("pt-BR"), None);
        assert_eq!(Lang::from_tag("*"), None);
        assert_eq!(Lang::from_tag(""), None);
    }
}
