//! Where in an input a problem is: a path of names and indexes in the
//! domain's words, which each dialect spells in its own.
//!
//! Core says `cart[0].product`; Dodo's dialect answers
//! `product_cart[0].product_id`, PaymentKit's `line_items[0].price_id`, and
//! the hosted page points at the form input. No dialect's field names
//! belong here.

use std::borrow::Cow;
use std::fmt;

/// One step of a path: a named field or a position in a list.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Segment {
    Name(Cow<'static, str>),
    Index(usize),
}

/// A path into an input, root first. Built with [`FieldPath::field`] and
/// [`FieldPath::at`], or read from the dotted form (`cart[1].addons[0].addon`)
/// for the many single-name paths.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct FieldPath(Vec<Segment>);

/// The line items of a checkout or a payment: `cart[i]`.
pub const CART: &str = "cart";
/// A cart line's product: `cart[i].product`.
pub const PRODUCT: &str = "product";
/// A cart line's addons: `cart[i].addons[j]`.
pub const ADDONS: &str = "addons";
/// An addon line's addon: `cart[i].addons[j].addon`.
pub const ADDON: &str = "addon";

impl FieldPath {
    /// A path of one name.
    pub fn named(name: impl Into<Cow<'static, str>>) -> FieldPath {
        FieldPath(vec![Segment::Name(name.into())])
    }

    /// The path to line `i` of the cart.
    pub fn cart_line(i: usize) -> FieldPath {
        FieldPath::named(CART).at(i)
    }

    /// This path, one field deeper.
    pub fn field(mut self, name: impl Into<Cow<'static, str>>) -> FieldPath {
        self.0.push(Segment::Name(name.into()));
        self
    }

    /// This path, at position `i` of the list it names.
    pub fn at(mut self, i: usize) -> FieldPath {
        self.0.push(Segment::Index(i));
        self
    }

    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    /// The path spelled by a dialect: `spell(parent, name)` gets each name
    /// with the name it sits under (the nearest name before it, indexes
    /// skipped), so `product` under `cart` can be spelled apart from any
    /// other `product`.
    pub fn spelled<'a>(&'a self, spell: impl Fn(Option<&str>, &'a str) -> &'a str) -> String {
        let mut out = String::new();
        let mut parent: Option<&str> = None;
        for segment in &self.0 {
            match segment {
                Segment::Name(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(spell(parent, name));
                    parent = Some(name);
                }
                Segment::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.spelled(|_, name| name))
    }
}

impl From<&str> for FieldPath {
    /// Reads the dotted form: names split at `.`, `[n]` an index.
    fn from(text: &str) -> FieldPath {
        let mut segments = Vec::new();
        for part in text.split('.') {
            let (name, mut rest) = match part.find('[') {
                Some(at) => (&part[..at], &part[at..]),
                None => (part, ""),
            };
            if !name.is_empty() {
                segments.push(Segment::Name(Cow::Owned(name.to_owned())));
            }
            while let Some(close) = rest.find(']') {
                match rest[1..close].parse() {
                    Ok(i) => segments.push(Segment::Index(i)),
                    Err(_) => segments.push(Segment::Name(Cow::Owned(rest[..=close].to_owned()))),
                }
                rest = &rest[close + 1..];
            }
        }
        FieldPath(segments)
    }
}

impl From<String> for FieldPath {
    fn from(text: String) -> FieldPath {
        FieldPath::from(text.as_str())
    }
}

impl From<&String> for FieldPath {
    fn from(text: &String) -> FieldPath {
        FieldPath::from(text.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dotted_path_reads_into_names_and_indexes_and_prints_back() {
        let p = FieldPath::from("cart[1].addons[0].addon");
        assert_eq!(
            p.segments(),
            &[
                Segment::Name("cart".into()),
                Segment::Index(1),
                Segment::Name("addons".into()),
                Segment::Index(0),
                Segment::Name("addon".into()),
            ]
        );
        assert_eq!(p.to_string(), "cart[1].addons[0].addon");
        assert_eq!(FieldPath::cart_line(1).field(ADDONS).at(0).field(ADDON), p);
    }

    #[test]
    fn a_dialect_spells_each_name_knowing_the_name_above_it() {
        let p = FieldPath::cart_line(2).field(PRODUCT);
        let spelled = p.spelled(|parent, name| match (parent, name) {
            (None, CART) => "line_items",
            (Some(CART), PRODUCT) => "price_id",
            _ => name,
        });
        assert_eq!(spelled, "line_items[2].price_id");
        assert_eq!(
            FieldPath::named(PRODUCT).spelled(|p, n| if p.is_some() { "x" } else { n }),
            "product"
        );
    }
}
