//! The hosted page's pay form, read as a browser without JavaScript reads
//! it: where it posts, and the name and value of every control it would
//! submit (the hidden `submit_token`, the prefilled contact and address
//! fields, the chosen payment method).
//!
//! This is not an HTML parser: it reads the markup `kassa_web` renders
//! (double-quoted attributes, one `<form class="pay-form">`), which is
//! enough for a load generator and fails loudly when the page changes.

/// A form to submit.
#[derive(Debug, PartialEq)]
pub struct Form {
    /// The `action` attribute, as written (a path on the page's origin).
    pub action: String,
    /// What the browser posts, in document order: inputs, then selects.
    pub fields: Vec<(String, String)>,
}

impl Form {
    /// The pay form of a checkout page, or `None` when the page has none.
    pub fn pay(html: &str) -> Option<Form> {
        let start = html.find("class=\"pay-form\"")?;
        let start = html[..start].rfind("<form")?;
        let end = start + html[start..].find("</form>")?;
        let form = &html[start..end];
        let action = attr(tag(form), "action")?;
        let mut fields = Vec::new();
        for input in form.split("<input").skip(1).map(tag) {
            let Some(name) = attr(input, "name") else {
                continue;
            };
            if flag(input, "disabled") {
                continue;
            }
            let value = attr(input, "value");
            match attr(input, "type").as_deref().unwrap_or("text") {
                "radio" | "checkbox" if flag(input, "checked") => {
                    fields.push((name, value.unwrap_or_else(|| "on".into())));
                }
                "radio" | "checkbox" | "submit" | "button" | "image" | "reset" | "file" => {}
                _ => fields.push((name, value.unwrap_or_default())),
            }
        }
        for select in form.split("<select").skip(1) {
            let body = &select[..select.find("</select>").unwrap_or(select.len())];
            let open = tag(body);
            let Some(name) = attr(open, "name") else {
                continue;
            };
            if flag(open, "disabled") {
                continue;
            }
            let options: Vec<&str> = body.split("<option").skip(1).map(tag).collect();
            let chosen = options
                .iter()
                .find(|o| flag(o, "selected"))
                .or(options.first());
            if let Some(value) = chosen.and_then(|o| attr(o, "value")) {
                fields.push((name, value));
            }
        }
        Some(Form { action, fields })
    }

    /// Sets `name` to `value` as a customer typing or choosing would: the
    /// control's value is replaced, or added when the page had none.
    pub fn set(&mut self, name: &str, value: &str) {
        match self.fields.iter_mut().find(|(n, _)| n == name) {
            Some((_, v)) => *v = value.to_owned(),
            None => self.fields.push((name.to_owned(), value.to_owned())),
        }
    }

    /// Types `value` into `name` unless the page prefilled it.
    pub fn fill(&mut self, name: &str, value: &str) {
        match self.fields.iter_mut().find(|(n, _)| n == name) {
            Some((_, v)) if !v.is_empty() => {}
            _ => self.set(name, value),
        }
    }
}

/// What a page tells the customer went wrong (the notice and the error
/// summary's entries), as text: for reporting a failed purchase.
pub fn messages(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for marker in ["data-testid=\"notice\"", "data-testid=\"error\""] {
        for part in html.split(marker).skip(1) {
            let text = part.split("</").next().unwrap_or_default();
            let text = text.rsplit('>').next().unwrap_or_default();
            out.push(unescape(text.trim()));
        }
    }
    out
}

/// The start tag at the beginning of `markup`, without its `>`.
fn tag(markup: &str) -> &str {
    &markup[..markup.find('>').unwrap_or(markup.len())]
}

/// The unescaped value of the double-quoted attribute `name` of `tag`.
fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(unescape(&tag[start..start + len]))
}

/// Whether `tag` carries the boolean attribute `name`.
fn flag(tag: &str, name: &str) -> bool {
    tag.split_whitespace()
        .any(|word| word == name || word.starts_with(&format!("{name}=")))
}

/// Undoes what `kassa_web`'s escaping does to attribute values.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_a_browser_would_post() {
        let html = r#"<form method="post" class="discount" action="/x"><input name="discount_code"></form>
<form method="post" class="pay-form" action="/session/cks_1/pay">
<input type="hidden" name="submit_token" value="cks_1">
<input type="email" id="email" name="email" value="a&amp;b@example.com" required>
<input type="text" id="tax" name="tax_id">
<input type="radio" name="payment_method" value="upi">
<input type="radio" name="payment_method" value="card" checked>
<input type="text" name="locked" value="x" disabled>
<select id="country" name="country"><option value="">Choose</option><option value="DE" selected>Germany</option></select>
<button type="submit">Pay</button></form>"#;
        let mut form = Form::pay(html).expect("a pay form");
        form.set("card_number", "4242424242424242");
        form.fill("tax_id", "DE123");
        form.fill("email", "other@example.com");
        let field = |n: &str, v: &str| (n.to_owned(), v.to_owned());
        assert_eq!(
            form,
            Form {
                action: "/session/cks_1/pay".into(),
                fields: vec![
                    field("submit_token", "cks_1"),
                    field("email", "a&b@example.com"),
                    field("tax_id", "DE123"),
                    field("payment_method", "card"),
                    field("country", "DE"),
                    field("card_number", "4242424242424242"),
                ],
            }
        );
    }

    #[test]
    fn reads_the_notice_and_the_error_summary() {
        let html = r##"<div class="alert" role="status" data-testid="notice">Card declined &amp; kept</div>
<ul><li id="error-0" data-testid="error"><a href="#city">Enter your city.</a></li></ul>"##;
        assert_eq!(messages(html), ["Card declined & kept", "Enter your city."]);
    }
}
