//! A tiny HTML builder: escaped text, safe URLs and id sanitising.
//!
//! Renderers write markup through [`Html`] with `write!`, wrapping every
//! interpolated string in [`Esc`]. Attributes are always double-quoted, so
//! escaping `&`, `<`, `>`, `"` and `'` is enough for both text and attributes.

use std::fmt::{self, Display, Write as _};

/// Escapes `&`, `<`, `>`, `"` and `'` so `s` is safe as HTML text or as a
/// quoted attribute value.
pub fn escape_html(s: &str) -> String {
    Esc(s).to_string()
}

/// Displays a string HTML-escaped.
pub(crate) struct Esc<'a>(pub &'a str);

impl Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(i) = rest.find(['&', '<', '>', '"', '\'']) {
            f.write_str(&rest[..i])?;
            f.write_str(match rest.as_bytes()[i] {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                _ => "&#39;",
            })?;
            rest = &rest[i + 1..];
        }
        f.write_str(rest)
    }
}

/// An HTML document under construction.
///
/// Its inherent `write_fmt` lets `write!(html, …)` append without a `Result`:
/// writing to a `String` cannot fail.
#[derive(Debug, Default)]
pub(crate) struct Html {
    buf: String,
}

impl Html {
    pub(crate) fn new() -> Self {
        Self {
            buf: String::with_capacity(16 * 1024),
        }
    }

    /// Appends trusted markup verbatim. Never pass user data here.
    pub(crate) fn raw(&mut self, markup: &str) {
        self.buf.push_str(markup);
    }

    /// Appends `text` escaped.
    pub(crate) fn text(&mut self, text: &str) {
        let _ = write!(self.buf, "{}", Esc(text));
    }

    pub(crate) fn write_fmt(&mut self, args: fmt::Arguments<'_>) {
        let _ = self.buf.write_fmt(args);
    }

    pub(crate) fn finish(self) -> String {
        self.buf
    }
}

/// Returns `url` when it is safe to put in `href` or `action`: relative, or
/// absolute with an `http`/`https` scheme, and free of whitespace and
/// control characters (browsers strip those, which would let `java\tscript:`
/// through a naive scheme check).
pub(crate) fn safe_url(url: &str) -> Option<&str> {
    if url.is_empty() || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let scheme_end = url.find([':', '/', '?', '#']);
    match scheme_end {
        Some(i) if url.as_bytes()[i] == b':' => {
            let scheme = &url[..i];
            (scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https"))
                .then_some(url)
        }
        _ => Some(url),
    }
}

/// Turns an arbitrary key into an HTML id fragment: ASCII alphanumerics,
/// `-` and `_` are kept, everything else becomes `_`.
pub(crate) fn id_fragment(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_html_special_characters() {
        assert_eq!(
            escape_html(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
    }

    #[test]
    fn leaves_ordinary_and_non_ascii_text_alone() {
        assert_eq!(
            escape_html("Bestellübersicht 今すぐ"),
            "Bestellübersicht 今すぐ"
        );
    }

    #[test]
    fn accepts_http_https_and_relative_urls() {
        for url in [
            "https://shop.example/cart",
            "HTTP://shop.example",
            "/session/cks_1/confirm",
            "confirm?x=1",
            "#top",
            "//cdn.example/x",
        ] {
            assert_eq!(safe_url(url), Some(url), "{url}");
        }
    }

    #[test]
    fn rejects_script_and_data_schemes_and_smuggled_whitespace() {
        for url in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "java\tscript:alert(1)",
            " javascript:alert(1)",
            "data:text/html,<script>",
            "vbscript:x",
            "",
        ] {
            assert_eq!(safe_url(url), None, "{url:?}");
        }
    }

    #[test]
    fn id_fragments_keep_only_safe_characters() {
        assert_eq!(id_fragment("company size"), "company_size");
        assert_eq!(id_fragment("a\"><b"), "a___b");
        assert_eq!(id_fragment("vat-id_2"), "vat-id_2");
    }
}
