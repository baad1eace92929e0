//! Labelled form controls with their error wiring.
//!
//! Every control has an `id` tied to its `<label for>`. A control that has
//! an error gets `aria-invalid="true"` and `aria-describedby` pointing at
//! the error's entry in the page's error summary (`error-<index>`).

use crate::html::{Esc, Html};
use crate::i18n::Lang;
use crate::messages::{Msg, t};
use crate::view::FieldError;

/// What every control needs from the page.
pub(super) struct Ctx<'a> {
    pub lang: Lang,
    pub errors: &'a [FieldError],
}

impl Ctx<'_> {
    fn error_index(&self, name: &str) -> Option<usize> {
        self.errors
            .iter()
            .position(|e| e.field.as_deref() == Some(name))
    }

    /// `required aria-required`, `aria-invalid` and `aria-describedby` for
    /// a control named `name`, plus `hint_id` when it has a hint. A field
    /// that is required only under a condition the browser cannot check
    /// (`enforced == false`) gets `aria-required` alone.
    fn state_attrs(
        &self,
        name: &str,
        required: bool,
        enforced: bool,
        hint_id: Option<&str>,
    ) -> String {
        let mut attrs = String::new();
        match (required, enforced) {
            (true, true) => attrs.push_str(" required aria-required=\"true\""),
            (true, false) => attrs.push_str(" aria-required=\"true\""),
            (false, _) => {}
        }
        let error = self.error_index(name).map(|i| format!("error-{i}"));
        if error.is_some() {
            attrs.push_str(" aria-invalid=\"true\"");
        }
        let described: Vec<&str> = hint_id.into_iter().chain(error.as_deref()).collect();
        if !described.is_empty() {
            attrs.push_str(&format!(" aria-describedby=\"{}\"", described.join(" ")));
        }
        attrs
    }
}

/// A text-like `<input>`.
pub(super) struct Input<'a> {
    pub name: &'a str,
    pub id: &'a str,
    pub label: &'a str,
    pub kind: &'static str,
    pub value: Option<&'a str>,
    pub autocomplete: Option<&'static str>,
    pub inputmode: Option<&'static str>,
    pub placeholder: Option<&'a str>,
    pub hint: Option<&'a str>,
    pub required: bool,
    /// `false` when `required` depends on another choice (the payment
    /// method), so the browser must not block submission on it.
    pub enforced: bool,
    pub readonly: bool,
    pub testid: Option<&'a str>,
}

impl<'a> Input<'a> {
    pub(super) fn new(name: &'a str, id: &'a str, label: &'a str) -> Self {
        Self {
            name,
            id,
            label,
            kind: "text",
            value: None,
            autocomplete: None,
            inputmode: None,
            placeholder: None,
            hint: None,
            required: false,
            enforced: true,
            readonly: false,
            testid: None,
        }
    }
}

pub(super) fn input(h: &mut Html, ctx: &Ctx<'_>, f: &Input<'_>) {
    h.raw("<div class=\"field\">");
    label(h, ctx, f.id, f.label, f.required || f.readonly);
    write!(
        h,
        "<input type=\"{}\" id=\"{}\" name=\"{}\"",
        f.kind,
        Esc(f.id),
        Esc(f.name)
    );
    if let Some(value) = f.value {
        write!(h, " value=\"{}\"", Esc(value));
    }
    if let Some(autocomplete) = f.autocomplete {
        write!(h, " autocomplete=\"{autocomplete}\"");
    }
    if let Some(inputmode) = f.inputmode {
        write!(h, " inputmode=\"{inputmode}\"");
    }
    if let Some(placeholder) = f.placeholder {
        write!(h, " placeholder=\"{}\"", Esc(placeholder));
    }
    if f.readonly {
        h.raw(" readonly");
    }
    if f.kind == "number" {
        h.raw(" step=\"any\"");
    }
    testid_attr(h, f.testid);
    let hint_id = f.hint.map(|_| format!("{}-hint", f.id));
    h.raw(&ctx.state_attrs(f.name, f.required, f.enforced, hint_id.as_deref()));
    h.raw(">");
    if let (Some(hint), Some(hint_id)) = (f.hint, hint_id) {
        write!(
            h,
            "<p class=\"hint\" id=\"{}\">{}</p>",
            Esc(&hint_id),
            Esc(hint)
        );
    }
    h.raw("</div>\n");
}

/// A `<select>`; a non-editable one is disabled and its value travels in a
/// hidden input, since disabled controls are not posted.
pub(super) struct Select<'a> {
    pub name: &'a str,
    pub id: &'a str,
    pub label: &'a str,
    pub options: Vec<(&'a str, &'a str)>,
    pub selected: Option<&'a str>,
    pub prompt: &'a str,
    pub autocomplete: Option<&'static str>,
    pub required: bool,
    pub editable: bool,
    pub testid: Option<&'a str>,
}

pub(super) fn select(h: &mut Html, ctx: &Ctx<'_>, f: &Select<'_>) {
    h.raw("<div class=\"field\">");
    label(h, ctx, f.id, f.label, f.required || !f.editable);
    write!(h, "<select id=\"{}\"", Esc(f.id));
    if f.editable {
        write!(h, " name=\"{}\"", Esc(f.name));
    } else {
        h.raw(" disabled");
    }
    if let Some(autocomplete) = f.autocomplete {
        write!(h, " autocomplete=\"{autocomplete}\"");
    }
    testid_attr(h, f.testid);
    h.raw(&ctx.state_attrs(f.name, f.required && f.editable, true, None));
    h.raw(">");
    write!(h, "<option value=\"\">{}</option>", Esc(f.prompt));
    for (value, text) in &f.options {
        let selected = if f.selected == Some(*value) {
            " selected"
        } else {
            ""
        };
        write!(
            h,
            "<option value=\"{}\"{selected}>{}</option>",
            Esc(value),
            Esc(text)
        );
    }
    h.raw("</select>");
    if let (false, Some(value)) = (f.editable, f.selected) {
        write!(
            h,
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
            Esc(f.name),
            Esc(value)
        );
    }
    h.raw("</div>\n");
}

/// A checkbox posting `true` when checked.
pub(super) fn checkbox(
    h: &mut Html,
    ctx: &Ctx<'_>,
    (name, id, text): (&str, &str, &str),
    checked: bool,
    required: bool,
    testid: Option<&str>,
) {
    h.raw("<div class=\"field check\">");
    write!(
        h,
        "<input type=\"checkbox\" id=\"{}\" name=\"{}\" value=\"true\"{}",
        Esc(id),
        Esc(name),
        if checked { " checked" } else { "" }
    );
    testid_attr(h, testid);
    h.raw(&ctx.state_attrs(name, required, true, None));
    h.raw(">");
    label(h, ctx, id, text, required);
    h.raw("</div>\n");
}

/// ` data-testid="…"` on the control itself, so tests can fill it.
fn testid_attr(h: &mut Html, testid: Option<&str>) {
    if let Some(testid) = testid {
        write!(h, " data-testid=\"{}\"", Esc(testid));
    }
}

/// `<label for>`; fields that are neither required nor fixed say "optional".
fn label(h: &mut Html, ctx: &Ctx<'_>, id: &str, text: &str, mandatory: bool) {
    write!(h, "<label for=\"{}\">{}", Esc(id), Esc(text));
    if !mandatory {
        write!(
            h,
            " <span class=\"optional\">({})</span>",
            Esc(t(ctx.lang, Msg::Optional))
        );
    }
    h.raw("</label>");
}
