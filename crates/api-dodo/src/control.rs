//! Control characters never enter Kassa through this dialect: a string in
//! a body or query that holds one (other than tab and line breaks) is a
//! 422 naming its field, before anything is parsed further or written.
//! PostgreSQL cannot store a NUL at all, and no field has a use for the
//! others, so both stores answer alike.

use serde_json::Value;

/// Whether `c` is refused: the domain's rule for text.
pub fn refused(c: char) -> bool {
    kassa_core::text::is_refused_control(c)
}

/// The path of the first string (or key) in a JSON body that holds a
/// refused character, if any. JSON can carry a control character only as
/// an escape (`\u0000`) or DEL raw, so a body with neither is answered
/// without parsing it twice.
pub fn in_json(bytes: &[u8]) -> Option<String> {
    if !may_hold_one(bytes) {
        return None;
    }
    let tree: Value = serde_json::from_slice(bytes).ok()?;
    let mut path = String::new();
    find(&tree, &mut path).then_some(path)
}

/// A cheap scan for a `\u00XX` escape of a control, or a raw DEL.
fn may_hold_one(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            0x7f => return true,
            b'\\' => {
                if bytes.get(i + 1) == Some(&b'u') && bytes.get(i + 2..i + 4) == Some(b"00") {
                    let high = bytes.get(i + 4).copied().unwrap_or(b'x');
                    let low = bytes.get(i + 5).copied().unwrap_or(b'x');
                    let hex = |b: u8| (b as char).to_digit(16);
                    if let (Some(h), Some(l)) = (hex(high), hex(low)) {
                        let c = char::from_u32(h * 16 + l).unwrap_or('x');
                        if refused(c) {
                            return true;
                        }
                    }
                }
                i += 2;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    false
}

fn find(value: &Value, path: &mut String) -> bool {
    match value {
        Value::String(s) => s.chars().any(refused),
        Value::Array(items) => items.iter().enumerate().any(|(i, item)| {
            let len = path.len();
            path.push_str(&format!("[{i}]"));
            let hit = find(item, path);
            if !hit {
                path.truncate(len);
            }
            hit
        }),
        Value::Object(map) => map.iter().any(|(key, item)| {
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(key);
            let hit = key.chars().any(refused) || find(item, path);
            if !hit {
                path.truncate(len);
            }
            hit
        }),
        _ => false,
    }
}

/// The first query parameter whose name or value holds a refused character.
pub fn in_query(query: &str) -> Option<String> {
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, v)| k.chars().any(refused) || v.chars().any(refused))
        .map(|(k, _)| k.into_owned())
}

/// What a refused field is told.
pub const REASON: &str = "must not contain control characters (U+0000 to U+001F other than tab and line breaks, or U+007F)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_control_escape_anywhere_in_a_body_is_found_by_its_path() {
        let body = br#"{"customer":{"name":"ok"},"billing":[{"street":"a\u0000b"}]}"#;
        assert_eq!(in_json(body).as_deref(), Some("billing[0].street"));
        assert_eq!(in_json(br#"{"a\u001fb":1}"#).as_deref(), Some("a\u{1f}b"));
        assert_eq!(
            in_json("{\"a\":\"x\u{7f}\"}".as_bytes()).as_deref(),
            Some("a")
        );
    }

    #[test]
    fn tabs_line_breaks_and_an_escaped_backslash_before_u0000_pass() {
        assert_eq!(in_json(br#"{"d":"line\nnext\tcol\r"}"#), None);
        assert_eq!(in_json(br#"{"d":"C:\\u0000 is text"}"#), None);
        assert_eq!(in_json(br#"{"d":"\u00e9t\u00E9"}"#), None);
    }

    #[test]
    fn a_query_value_with_a_nul_is_named() {
        assert_eq!(in_query("limit=5&email=%00").as_deref(), Some("email"));
        assert_eq!(in_query("email=a%40b.co"), None);
    }
}
