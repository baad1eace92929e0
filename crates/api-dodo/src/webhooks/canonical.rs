//! JSON exactly as `JSON.stringify(JSON.parse(body))` prints it.
//!
//! Dodo's Express adapter verifies the signature over the re-serialised
//! body, so the bytes Kassa signs must survive that round trip: compact,
//! integer-like object keys first in numeric order (JavaScript moves them
//! there), numbers in JavaScript's notation.

use serde_json::Value;

/// The canonical bytes of `value`.
pub fn to_canonical_json(value: &Value) -> Vec<u8> {
    let mut out = Vec::with_capacity(1024);
    write(value, &mut out);
    out
}

fn write(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Number(n) => {
            if n.is_i64() || n.is_u64() {
                out.extend_from_slice(n.to_string().as_bytes());
            } else {
                out.extend_from_slice(js_number(n.as_f64().unwrap_or(0.0)).as_bytes());
            }
        }
        Value::String(s) => string(s, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(item, out);
            }
            out.push(b']');
        }
        Value::Object(map) => {
            let mut index_keys: Vec<(u32, &String)> = map
                .keys()
                .filter_map(|k| array_index(k).map(|i| (i, k)))
                .collect();
            index_keys.sort();
            let others = map.keys().filter(|k| array_index(k).is_none());
            out.push(b'{');
            for (i, key) in index_keys.iter().map(|(_, k)| *k).chain(others).enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                string(key, out);
                out.push(b':');
                write(&map[key], out);
            }
            out.push(b'}');
        }
    }
}

fn string(s: &str, out: &mut Vec<u8>) {
    // serde_json escapes exactly what JSON.stringify does for valid UTF-8:
    // `"`, `\`, and control characters (short forms where they exist,
    // lower-case `\u00xx` otherwise); `/` and non-ASCII are left alone.
    serde_json::to_writer(&mut *out, s).expect("writing to a Vec cannot fail");
}

/// A canonical array index as JavaScript defines it: `0`, or digits without
/// a leading zero, below 2^32 - 1.
fn array_index(key: &str) -> Option<u32> {
    if key.is_empty() || (key.len() > 1 && key.starts_with('0')) {
        return None;
    }
    if !key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    key.parse::<u32>().ok().filter(|i| *i < u32::MAX)
}

/// `Number.prototype.toString()` of a finite double.
fn js_number(f: f64) -> String {
    if !f.is_finite() {
        return "null".into();
    }
    if f == 0.0 {
        return "0".into();
    }
    let sign = if f < 0.0 { "-" } else { "" };
    // Rust's `{:e}` gives the shortest digits that round-trip, as JS does.
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').expect("{:e} has an exponent");
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i32;
    let n = exp.parse::<i32>().expect("exponent is an integer") + 1;
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let e = n - 1;
        let e = if e < 0 {
            format!("-{}", -e)
        } else {
            format!("+{e}")
        };
        if k == 1 {
            format!("{digits}e{e}")
        } else {
            format!("{}.{}e{e}", &digits[..1], &digits[1..])
        }
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn canon(v: Value) -> String {
        String::from_utf8(to_canonical_json(&v)).unwrap()
    }

    #[test]
    fn integer_like_keys_come_first_in_numeric_order_as_javascript_orders_them() {
        let v = json!({"b": 1, "10": "x", "2": "y", "a": null, "01": 0});
        assert_eq!(canon(v), r#"{"2":"y","10":"x","01":0,"a":null,"b":1}"#);
    }

    #[test]
    fn strings_keep_slashes_and_unicode_and_escape_controls_in_lower_case() {
        let v = json!({"s": "a/b ü 日本 \u{1f} \n \"q\""});
        assert_eq!(canon(v), "{\"s\":\"a/b ü 日本 \\u001f \\n \\\"q\\\"\"}");
    }

    #[test]
    fn numbers_print_as_javascript_prints_them() {
        assert_eq!(js_number(1.5), "1.5");
        assert_eq!(js_number(100.0), "100");
        assert_eq!(js_number(1e21), "1e+21");
        assert_eq!(js_number(1.25e-7), "1.25e-7");
        assert_eq!(js_number(0.000001), "0.000001");
        assert_eq!(js_number(-123.456), "-123.456");
        assert_eq!(js_number(123456789012345680000.0), "123456789012345680000");
        assert_eq!(canon(json!([1, -2, 3.0, 0.1])), "[1,-2,3,0.1]");
    }
}
