//! The document shell every page shares: doctype, head, inline styles.

use kassa_core::checkout::{Theme, ThemeConfig};

use crate::html::{Esc, Html};
use crate::i18n::Lang;
use crate::style::BASE_CSS;
use crate::theme::variables_css;

/// Wraps `body` (trusted markup built by a renderer) in a complete document.
pub(crate) fn document(
    lang: Lang,
    title: &str,
    theme: Theme,
    theme_config: Option<&ThemeConfig>,
    body: &str,
) -> String {
    let mut h = Html::new();
    writeln!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n\
         <meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex, nofollow\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <title>{title}</title>\n<style>{vars}{BASE_CSS}</style>\n</head>\n<body>",
        lang = lang.code(),
        title = Esc(title),
        vars = variables_css(theme, theme_config),
    );
    h.raw(body);
    h.raw("</body>\n</html>\n");
    h.finish()
}
