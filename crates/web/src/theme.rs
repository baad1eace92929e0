//! Page themes: light, dark or system, with the session's colour overrides.
//!
//! `customization.theme_config` values are merchant input that ends up
//! inside `<style>`, so each is checked against a strict pattern
//! ([`css_color`], [`css_length`]) and silently dropped when it does not
//! match. Accepted values are mapped to CSS custom properties
//! (`bg_primary` → `--bg-primary`).

use serde::{Deserialize, Serialize};

/// Which palette the page uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    Light,
    Dark,
    /// Follows the browser's `prefers-color-scheme`.
    #[default]
    System,
}

/// Colour overrides for one mode; every key is a CSS colour or `None`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ThemeModeConfig {
    pub bg_primary: Option<String>,
    pub bg_secondary: Option<String>,
    pub border_primary: Option<String>,
    pub border_secondary: Option<String>,
    pub button_primary: Option<String>,
    pub button_primary_hover: Option<String>,
    pub button_secondary: Option<String>,
    pub button_secondary_hover: Option<String>,
    pub button_text_primary: Option<String>,
    pub button_text_secondary: Option<String>,
    pub input_focus_border: Option<String>,
    pub text_error: Option<String>,
    pub text_placeholder: Option<String>,
    pub text_primary: Option<String>,
    pub text_secondary: Option<String>,
    pub text_success: Option<String>,
}

/// The session's `customization.theme_config`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ThemeConfig {
    pub light: ThemeModeConfig,
    pub dark: ThemeModeConfig,
    /// Corner radius, e.g. `8px`, `0.5rem` or `6` (pixels).
    pub radius: Option<String>,
    /// `xs`, `sm`, `md`, `lg`, `xl` or `2xl`.
    pub font_size: Option<String>,
    /// Replaces the localised "Pay now" label.
    pub pay_button_text: Option<String>,
}

impl ThemeModeConfig {
    /// `(css variable, value)` for every key, in a fixed order.
    fn entries(&self) -> [(&'static str, Option<&str>); 16] {
        [
            ("--bg-primary", self.bg_primary.as_deref()),
            ("--bg-secondary", self.bg_secondary.as_deref()),
            ("--border-primary", self.border_primary.as_deref()),
            ("--border-secondary", self.border_secondary.as_deref()),
            ("--button-primary", self.button_primary.as_deref()),
            (
                "--button-primary-hover",
                self.button_primary_hover.as_deref(),
            ),
            ("--button-secondary", self.button_secondary.as_deref()),
            (
                "--button-secondary-hover",
                self.button_secondary_hover.as_deref(),
            ),
            ("--button-text-primary", self.button_text_primary.as_deref()),
            (
                "--button-text-secondary",
                self.button_text_secondary.as_deref(),
            ),
            ("--input-focus-border", self.input_focus_border.as_deref()),
            ("--text-error", self.text_error.as_deref()),
            ("--text-placeholder", self.text_placeholder.as_deref()),
            ("--text-primary", self.text_primary.as_deref()),
            ("--text-secondary", self.text_secondary.as_deref()),
            ("--text-success", self.text_success.as_deref()),
        ]
    }
}

/// Default light palette, in [`ThemeModeConfig::entries`] order. Text and
/// input borders meet WCAG AA contrast on both backgrounds.
const LIGHT: [&str; 16] = [
    "#ffffff", "#f5f6f8", "#767d8a", "#dde1e7", "#1d4ed8", "#1e40af", "#eceff3", "#dfe3e9",
    "#ffffff", "#111827", "#1d4ed8", "#b42318", "#6b7280", "#111827", "#4b5563", "#15803d",
];

/// Default dark palette, same order.
const DARK: [&str; 16] = [
    "#0f172a", "#1e293b", "#7c8aa0", "#334155", "#60a5fa", "#93c5fd", "#334155", "#475569",
    "#0b1120", "#f1f5f9", "#93c5fd", "#fca5a5", "#94a3b8", "#f1f5f9", "#cbd5e1", "#86efac",
];

/// The `<style>` rules that set the theme's custom properties.
pub(crate) fn variables_css(theme: Theme, config: &ThemeConfig) -> String {
    let light = palette(&LIGHT, &config.light);
    let dark = palette(&DARK, &config.dark);
    let shared = format!(
        "--radius:{};--font-size:{};",
        config
            .radius
            .as_deref()
            .and_then(css_length)
            .unwrap_or_else(|| "8px".to_owned()),
        font_size(config.font_size.as_deref()),
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

fn palette(defaults: &[&str; 16], overrides: &ThemeModeConfig) -> String {
    let mut css = String::new();
    for ((var, value), default) in overrides.entries().into_iter().zip(defaults) {
        let value = value.and_then(css_color).unwrap_or(default);
        css.push_str(var);
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
        let css = variables_css(Theme::System, &ThemeConfig::default());
        assert!(css.contains("color-scheme:light dark"));
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
        assert!(css.contains("--bg-primary:#ffffff"));
        assert!(css.contains("--bg-primary:#0f172a"));
    }

    #[test]
    fn overrides_apply_to_their_own_mode_only() {
        let mut config = ThemeConfig::default();
        config.dark.button_primary = Some("#ff0000".into());
        let light = variables_css(Theme::Light, &config);
        let dark = variables_css(Theme::Dark, &config);
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
        let css = variables_css(Theme::Light, &config);
        assert!(css.contains("--radius:0px;--font-size:17px;"));
    }
}
