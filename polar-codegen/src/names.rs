//! Rust names for wire names: casing via `heck`, keyword escaping, and collision
//! handling. A [`RustName`] always keeps the wire name next to the Rust one so emitters
//! can write `#[serde(rename = "...")]`.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde::Serialize;

/// A Rust identifier together with the wire name it came from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct RustName {
    /// The identifier as written in Rust source, without any `r#` prefix.
    pub rust: String,
    /// The name on the wire (JSON key, enum string, event name, ...).
    pub wire: String,
}

impl RustName {
    pub fn new(rust: impl Into<String>, wire: impl Into<String>) -> Self {
        RustName {
            rust: rust.into(),
            wire: wire.into(),
        }
    }

    /// A type name (UpperCamelCase) for a wire name.
    pub fn type_name(wire: &str) -> Self {
        RustName::new(upper_camel(wire), wire)
    }

    /// A field, parameter or method name (snake_case) for a wire name.
    pub fn value_name(wire: &str) -> Self {
        RustName::new(snake(wire), wire)
    }

    /// Whether the Rust identifier needs the raw `r#` prefix.
    pub fn is_keyword(&self) -> bool {
        is_keyword(&self.rust)
    }
}

/// Rust keywords that can be used as raw identifiers (`r#type`).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "union", "unsafe", "unsized",
    "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const RESERVED: &[&str] = &["self", "Self", "super", "crate", "_"];

pub fn is_keyword(ident: &str) -> bool {
    KEYWORDS.contains(&ident)
}

/// Spell out characters that carry meaning so that e.g. `Etc/GMT+1` and `Etc/GMT-1`,
/// or `created_at` and `-created_at`, do not collapse to the same identifier.
fn spell_symbols(wire: &str) -> String {
    let mut out = String::with_capacity(wire.len() + 8);
    let chars: Vec<char> = wire.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next_is_digit = chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        match c {
            '+' => out.push_str(" plus "),
            '-' if i == 0 || next_is_digit => out.push_str(" minus "),
            '.' if next_is_digit && i > 0 && chars[i - 1].is_ascii_digit() => out.push_str(" dot "),
            '*' => out.push_str(" star "),
            c if c.is_alphanumeric() => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

fn fix_start(mut ident: String, prefix: &str) -> String {
    if ident.is_empty() {
        return format!("{prefix}Empty");
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert_str(0, prefix);
    }
    ident
}

pub fn upper_camel(wire: &str) -> String {
    let ident = fix_start(spell_symbols(wire).to_upper_camel_case(), "V");
    if RESERVED.contains(&ident.as_str()) {
        format!("{ident}_")
    } else {
        ident
    }
}

pub fn snake(wire: &str) -> String {
    let ident = fix_start(spell_symbols(wire).to_snake_case(), "n_");
    if RESERVED.contains(&ident.as_str()) {
        format!("{ident}_")
    } else {
        ident
    }
}

/// Hands out unique identifiers within one namespace (a module, a struct's fields,
/// an enum's variants): a taken name gets the smallest free numeric suffix.
#[derive(Debug, Default)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    pub fn new() -> Self {
        Self::default()
    }

    /// Reserve a name that must not be handed out (e.g. `Unknown` in enums).
    pub fn reserve(&mut self, ident: &str) {
        self.taken.insert(ident.to_owned());
    }

    pub fn contains(&self, ident: &str) -> bool {
        self.taken.contains(ident)
    }

    /// Claim `name.rust` or, if taken, `name.rust` + the first free number.
    pub fn claim(&mut self, mut name: RustName) -> RustName {
        if self.taken.insert(name.rust.clone()) {
            return name;
        }
        let sep = if name.rust.contains('_') || name.rust.chars().all(|c| !c.is_uppercase()) {
            "_"
        } else {
            ""
        };
        for n in 2.. {
            let candidate = format!("{}{sep}{n}", name.rust);
            if self.taken.insert(candidate.clone()) {
                name.rust = candidate;
                return name;
            }
        }
        unreachable!("an unbounded counter always finds a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casing_and_symbols() {
        let cases = [
            ("Etc/GMT+1", "EtcGmtPlus1"),
            ("Etc/GMT-1", "EtcGmtMinus1"),
            ("-created_at", "MinusCreatedAt"),
            ("created_at", "CreatedAt"),
            ("order.paid", "OrderPaid"),
            ("ListResource_Organization_", "ListResourceOrganization"),
            ("3ds", "V3ds"),
            ("", "VEmpty"),
            ("Self", "Self_"),
        ];
        for (wire, expected) in cases {
            assert_eq!(upper_camel(wire), expected, "{wire}");
        }
        assert_eq!(snake("customer-portal"), "customer_portal");
        assert_eq!(snake("type"), "type");
        assert!(RustName::value_name("type").is_keyword());
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("2fa"), "n_2fa");
    }

    #[test]
    fn namespace_suffixes_collisions() {
        let mut ns = Namespace::new();
        ns.reserve("Unknown");
        assert_eq!(ns.claim(RustName::type_name("unknown")).rust, "Unknown2");
        assert_eq!(ns.claim(RustName::type_name("a_b")).rust, "AB");
        assert_eq!(ns.claim(RustName::type_name("a-b")).rust, "AB2");
        assert_eq!(ns.claim(RustName::value_name("x_y")).rust, "x_y");
        assert_eq!(ns.claim(RustName::value_name("x-y")).rust, "x_y_2");
    }
}
