//! Page themes: light, dark or system, with the session's colour overrides.
//!
//! The theme and its overrides are core's ([`Theme`], [`ThemeConfig`]), as
//! the session stores them. `customization.theme_config` values are
//! merchant input that ends up inside `<style>`, so each is checked against
//! a strict pattern ([`css_color`], [`css_length`]) and silently dropped
//! when it does not match. Accepted colours are mapped to CSS custom
//! properties named after their key (`bg_primary` → `--bg-primary`); keys
//! outside [`THEME_COLOUR_KEYS`] are ignored.

use std::collections::BTreeMap;

use kassa_core::checkout::{Customization, THEME_COLOUR_KEYS, Theme, ThemeConfig};

/// The theme a session's pages use: its own, or light when it names none
/// (core's "the business's theme", which is light until businesses have
/// one), with its overrides.
pub(crate) fn of(customization: &Customization) -> (Theme, Option<&ThemeConfig>) {
    (
        customization.theme.unwrap_or(Theme::Light),
        customization.theme_config.as_ref(),
    )
}

/// Default light palette, in [`THEME_COLOUR_KEYS`] order (a key added to
/// core does not compile until it has a default here). Text and input
/// borders meet WCAG AA contrast on both backgrounds.
const LIGHT: [&str; THEME_COLOUR_KEYS.len()] = [
    "#ffffff", "#f5f6f8", "#767d8a", "#dde1e7", "#1d4ed8", "#1e40af", "#eceff3", "#dfe3e9",
    "#ffffff", "#111827", "#1d4ed8", "#b42318", "#6b7280", "#111827", "#4b5563", "#15803d",
];

/// Default dark palette, same order.
const DARK: [&str; THEME_COLOUR_KEYS.len()] = [
    "#0f172a", "#1e293b", "#7c8aa0", "#334155", "#60a5fa", "#93c5fd", "#334155", "#475569",
    "#0b1120", "#f1f5f9", "#93c5fd", "#fca5a5", "#94a3b8", "#f1f5f9", "#cbd5e1", "#86efac",
];

/// The `<style>` rules that set the theme's custom properties; no
/// `config` means the defaults throughout.
pub(crate) fn variables_css(theme: Theme, config: Option<&ThemeConfig>) -> String {
    let light = palette(&LIGHT, config.map(|c| &c.light));
    let dark = palette(&DARK, config.map(|c| &c.dark));
    let shared = format!(
        "--radius:{};--font-size:{};",
        config
            .and_then(|c| c.radius.as_deref())
            .and_then(css_length)
            .unwrap_or_else(|| "8px".to_owned()),
        font_size(config.and_then(|c| c.font_size.as_deref())),
    );
    match theme {
        Theme::Light => format!(":root{{color-scheme:light;{shared}{light}}}"),
        Theme::Dark => format!(":root{{color-scheme:dark;{shared}{dark}}}"),
        Theme::System => format!(
            ":root{{color-scheme:light dark;{shared}{light}}}\
             @media (prefers-color-scheme: dark){{:root{{{dark}}}}}"
        ),
    }
}

/// `--key:value;` for every colour key, the override where it is a safe
/// colour, else the default.
fn palette(
    defaults: &[&str; THEME_COLOUR_KEYS.len()],
    overrides: Option<&BTreeMap<String, String>>,
) -> String {
    let mut css = String::new();
    for (key, default) in THEME_COLOUR_KEYS.into_iter().zip(defaults) {
        let value = overrides
            .and_then(|o| o.get(key))
            .and_then(|v| css_color(v))
            .unwrap_or(default);
        css.push_str("--");
        css.extend(key.chars().map(|c| if c == '_' { '-' } else { c }));
        css.push(':');
        css.push_str(value);
        css.push(';');
    }
    css
}

fn font_size(size: Option<&str>) -> &'static str {
    match size.map(str::trim) {
        Some("xs") => "13px",
        Some("sm") => "14px",
        Some("lg") => "17px",
        Some("xl") => "18px",
        Some("2xl") => "20px",
        _ => "16px",
    }
}

/// Returns `value` (trimmed) when it is a CSS colour of a strictly safe
/// form: `#rgb`, `#rrggbb`, `#rrggbbaa`; `rgb(…)`, `rgba(…)`, `hsl(…)` or
/// `hsla(…)` containing only digits, commas, spaces, `%` and `.`; or a plain
/// alphabetic name such as `rebeccapurple`.
pub fn css_color(value: &str) -> Option<&str> {
    let value = value.trim();
    let ok = if let Some(hex) = value.strip_prefix('#') {
        matches!(hex.len(), 3 | 6 | 8) && hex.bytes().all(|b| b.is_ascii_hexdigit())
    } else if let Some((func, rest)) = value.split_once('(') {
        let args = rest.strip_suffix(')').unwrap_or("\u{0}");
        ["rgb", "rgba", "hsl", "hsla"].contains(&func.to_ascii_lowercase().as_str())
            && args.bytes().any(|b| b.is_ascii_digit())
            && args
                .bytes()
                .all(|b| b.is_ascii_digit() || b" ,%.".contains(&b))
    } else {
        (1..=32).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphabetic())
    };
    ok.then_some(value)
}

/// Accepts a non-negative length in `px`, `rem`, `em` or `%`; a bare number
/// means pixels. Returns the CSS to emit.
pub fn css_length(value: &str) -> Option<String> {
    let value = value.trim();
    let unit_at = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(unit_at);
    let number_ok = !number.is_empty()
        && number.len() <= 6
        && number.bytes().filter(|&b| b == b'.').count() <= 1
        && number.bytes().any(|b| b.is_ascii_digit());
    match unit {
        _ if !number_ok => None,
        "" => Some(format!("{number}px")),
        "px" | "rem" | "em" | "%" => Some(value.to_owned()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_hex_functional_and_named_colours() {
        for colour in [
            "#fff",
            "#1D4ED8",
            "#1d4ed880",
            "rgb(10, 20, 30)",
            "rgba(10,20,30,0.5)",
            "hsl(210, 50%, 40%)",
            "RGB(1,2,3)",
            "rebeccapurple",
            " white ",
        ] {
            assert!(css_color(colour).is_some(), "{colour}");
        }
    }

    #[test]
    fn rejects_anything_that_could_escape_the_declaration() {
        for colour in [
            "red;background:url(https://evil.example)",
            "red}</style><script>alert(1)</script>",
            "#ggg",
            "#12345",
            "rgb(1,2,3);x:y",
            "rgb(1,2,3",
            "rgb()",
            "url(javascript:alert(1))",
            "expression(alert(1))",
            "var(--x)",
            "calc(1px)",
            "",
            "red blue",
        ] {
            assert_eq!(css_color(colour), None, "{colour}");
        }
    }

    #[test]
    fn lengths_accept_plain_units_and_default_to_pixels() {
        assert_eq!(css_length("8px").as_deref(), Some("8px"));
        assert_eq!(css_length("0.5rem").as_deref(), Some("0.5rem"));
        assert_eq!(css_length("12").as_deref(), Some("12px"));
        assert_eq!(css_length("8px;color:red"), None);
        assert_eq!(css_length("-4px"), None);
        assert_eq!(css_length("1.2.3px"), None);
        assert_eq!(css_length("px"), None);
    }

    #[test]
    fn system_theme_switches_palettes_with_prefers_color_scheme() {
        let css = variables_css(Theme::System, None);
        assert!(css.contains("color-scheme:light dark"));
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
        assert!(css.contains("--bg-primary:#ffffff"));
        assert!(css.contains("--bg-primary:#0f172a"));
    }

    #[test]
    fn overrides_apply_to_their_own_mode_only() {
        let mut config = ThemeConfig::default();
        config
            .dark
            .insert("button_primary".into(), "#ff0000".into());
        let light = variables_css(Theme::Light, Some(&config));
        let dark = variables_css(Theme::Dark, Some(&config));
        assert!(!light.contains("#ff0000"));
        assert!(dark.contains("--button-primary:#ff0000;"));
    }

    #[test]
    fn radius_and_font_size_become_variables() {
        let config = ThemeConfig {
            radius: Some("0".into()),
            font_size: Some("lg".into()),
            ..ThemeConfig::default()
        };
        let css = variables_css(Theme::Light, Some(&config));
        assert!(css.contains("--radius:0px;--font-size:17px;"));
    }
}
