//! Rust identifiers: casing via `heck`, keyword escaping, and collision handling. The plan
//! names every item with these (normalize names things in words, [`crate::ir::Name`]);
//! emitters only ask [`is_keyword`] to print a raw identifier.

use std::collections::BTreeSet;

use crate::ir::Name;

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

/// The letters and digits of `text`, lowercased: how a doc text is compared with the name
/// it documents (`Created At` repeats `created_at`).
pub fn letters(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

pub fn is_keyword(ident: &str) -> bool {
    KEYWORDS.contains(&ident)
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

/// An UpperCamel identifier (a type or variant) for a wire name.
pub fn upper_camel(wire: &str) -> String {
    upper_camel_words(&Name::from_phrase(wire))
}

/// An UpperCamel identifier for a name in words.
pub fn upper_camel_words(name: &Name) -> String {
    let ident = fix_start(name.words.concat(), "V");
    if RESERVED.contains(&ident.as_str()) {
        format!("{ident}_")
    } else {
        ident
    }
}

/// A snake_case identifier (a field, parameter, method or module) for a wire name. A
/// keyword gets a trailing underscore (`type_`, as prost and the AWS SDK spell it), so no
/// user writes `r#type`.
pub fn snake(wire: &str) -> String {
    let words: Vec<String> = Name::from_phrase(wire)
        .words
        .iter()
        .map(|w| w.to_lowercase())
        .collect();
    let ident = fix_start(words.join("_"), "n_");
    if RESERVED.contains(&ident.as_str()) || is_keyword(&ident) {
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

    /// Claim `ident` or, if taken, `ident` + the first free number.
    pub fn claim(&mut self, ident: impl Into<String>) -> String {
        let ident = ident.into();
        if self.taken.insert(ident.clone()) {
            return ident;
        }
        let sep = if ident.contains('_') || ident.chars().all(|c| !c.is_uppercase()) {
            "_"
        } else {
            ""
        };
        for n in 2.. {
            let candidate = format!("{ident}{sep}{n}");
            if self.taken.insert(candidate.clone()) {
                return candidate;
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
            ("-created_at", "CreatedAtDesc"),
            ("-1", "Minus1"),
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
        assert_eq!(snake("type"), "type_");
        assert!(!is_keyword(&snake("type")));
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("2fa"), "n_2fa");
    }

    #[test]
    fn namespace_suffixes_collisions() {
        let mut ns = Namespace::new();
        ns.reserve("Unknown");
        assert_eq!(ns.claim(upper_camel("unknown")), "Unknown2");
        assert_eq!(ns.claim(upper_camel("a_b")), "AB");
        assert_eq!(ns.claim(upper_camel("a-b")), "AB2");
        assert_eq!(ns.claim(snake("x_y")), "x_y");
        assert_eq!(ns.claim(snake("x-y")), "x_y_2");
    }
}
