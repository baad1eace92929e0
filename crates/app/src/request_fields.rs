//! Request fields a dialect did not know: its parser reports them here, and
//! the server's edge names them in the response (`Kassa-Ignored-Fields`)
//! and the log, or, under `--strict-fields`, the parser refuses them.
//!
//! A newer official SDK may send a field this server does not know yet, so
//! by default such a field is accepted and ignored, but never silently. The
//! parser runs deep inside a handler and the response is finished far
//! outside it, in the edge middleware; this is the channel between the two
//! that needs no change to any handler: the edge makes one
//! [`RequestFields`] current around every poll of the request's future
//! ([`RequestFields::enter`]), and the parser calls [`strict`] and
//! [`report_ignored`]. It lives here, not in the server, because every
//! dialect calls `kassa_app` and none may depend on the server.
//!
//! What must hold: a request with nothing unknown costs no allocation (the
//! list stays an empty `Vec`), and outside any request (a unit test calling
//! a parser directly) nothing is strict and reports go nowhere.

use std::cell::RefCell;

thread_local! {
    /// The fields of the request being polled on this thread, if any. A
    /// task moves between threads, so it is set per poll, not per task.
    static CURRENT: RefCell<Option<RequestFields>> = const { RefCell::new(None) };
}

/// One request's policy for unknown fields, and those its parsers ignored.
#[derive(Debug, Default)]
pub struct RequestFields {
    strict: bool,
    ignored: Vec<String>,
}

impl RequestFields {
    /// `strict`: unknown fields are refused (`--strict-fields`) instead of
    /// ignored and named.
    pub fn new(strict: bool) -> RequestFields {
        RequestFields {
            strict,
            ignored: Vec::new(),
        }
    }

    /// Runs `f` with these fields current on this thread: what a parser
    /// reports inside `f` lands here. Scopes nest, and the outer one is
    /// back in place when `f` returns or unwinds.
    pub fn enter<R>(&mut self, f: impl FnOnce() -> R) -> R {
        /// Puts the outer scope back and takes ours home, even on a panic.
        struct Restore<'a> {
            home: &'a mut RequestFields,
            outer: Option<RequestFields>,
        }
        impl Drop for Restore<'_> {
            fn drop(&mut self) {
                if let Some(ours) = CURRENT.replace(self.outer.take()) {
                    *self.home = ours;
                }
            }
        }
        let ours = std::mem::take(self);
        let outer = CURRENT.replace(Some(ours));
        let _restore = Restore { home: self, outer };
        f()
    }

    /// The paths of the fields ignored so far, in the order reported.
    pub fn ignored(&self) -> &[String] {
        &self.ignored
    }
}

/// Whether the current request refuses unknown fields. False outside a
/// request.
pub fn strict() -> bool {
    CURRENT.with_borrow(|current| current.as_ref().is_some_and(|f| f.strict))
}

/// Records the paths of fields a parser ignored in the current request
/// (dotted, `[i]` for array elements: `customer.foo`, `items[0].extra`).
/// Outside a request they are dropped.
pub fn report_ignored(paths: Vec<String>) {
    CURRENT.with_borrow_mut(|current| {
        if let Some(fields) = current {
            fields.ignored.extend(paths);
        }
    });
}

/// The longest listing [`list`] writes, in bytes, and the longest a single
/// path may take in it: a body can name thousands of keys, and a header or
/// an error message should stay readable (and within clients' limits).
const MAX_LISTING: usize = 1024;
const MAX_PATH: usize = 128;

/// `a, b.c, items[0].x` as a header value and a log field can carry it:
/// printable ASCII only (any other byte, `%` and `,` percent-encoded, so a
/// key cannot forge a list entry or a log line), each path cut at 128 bytes
/// and the list at about 1 KiB, ending `, ... (N more)` when cut.
pub fn list(paths: &[String]) -> String {
    let mut out = String::new();
    for (i, path) in paths.iter().enumerate() {
        let entry = escape(path);
        if !out.is_empty() && out.len() + 2 + entry.len() > MAX_LISTING {
            out.push_str(&format!(", ... ({} more)", paths.len() - i));
            break;
        }
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(&entry);
    }
    out
}

fn escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if out.len() >= MAX_PATH {
            out.push_str("...");
            break;
        }
        if byte.is_ascii_graphic() && byte != b'%' && byte != b',' {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_inside_a_scope_reach_its_fields_and_only_its() {
        let mut outer = RequestFields::new(false);
        let mut inner = RequestFields::new(true);
        outer.enter(|| {
            report_ignored(vec!["a".into()]);
            inner.enter(|| {
                assert!(strict());
                report_ignored(vec!["b.c".into()]);
            });
            assert!(!strict());
            report_ignored(vec!["d".into()]);
        });
        assert_eq!(outer.ignored(), ["a", "d"]);
        assert_eq!(inner.ignored(), ["b.c"]);
    }

    #[test]
    fn outside_a_request_nothing_is_strict_and_reports_go_nowhere() {
        assert!(!strict());
        report_ignored(vec!["a".into()]);
        let mut fields = RequestFields::new(false);
        fields.enter(|| {});
        assert!(fields.ignored().is_empty());
    }

    #[test]
    fn a_panic_inside_a_scope_still_brings_the_fields_home() {
        let mut fields = RequestFields::new(true);
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            fields.enter(|| {
                report_ignored(vec!["x".into()]);
                panic!("boom");
            })
        }));
        assert!(caught.is_err());
        assert_eq!(fields.ignored(), ["x"]);
        assert!(!strict(), "the scope is gone");
    }

    #[test]
    fn a_listing_is_printable_ascii_and_cannot_forge_entries() {
        let paths = vec!["a".into(), "b.c".into(), "x, y\nz".into(), "é%".into()];
        assert_eq!(list(&paths), "a, b.c, x%2C%20y%0Az, %C3%A9%25");
    }

    #[test]
    fn a_long_listing_is_cut_and_says_how_many_are_left() {
        let paths: Vec<String> = (0..1000).map(|i| format!("field_{i:04}")).collect();
        let listing = list(&paths);
        assert!(listing.len() < MAX_LISTING + 32, "{}", listing.len());
        assert!(listing.starts_with("field_0000, field_0001"));
        assert!(listing.ends_with(" more)"), "{listing}");
        let long = vec!["k".repeat(10_000)];
        assert_eq!(list(&long).len(), MAX_PATH + 3);
    }
}
