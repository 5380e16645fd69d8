//! Compact spellings of types, bodies and usages for change details.

use std::collections::BTreeSet;

use crate::ir::{Primitive, ResponseBody, TypeRef, Usage};

/// Compact, stable rendering of a type reference for details.
pub fn show_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Primitive(p) => format!("{p:?}").to_lowercase(),
        TypeRef::Named(id) => id.0.clone(),
        TypeRef::Array(inner) => format!("[{}]", show_type(inner)),
        TypeRef::Map { key, value } => match key.as_ref() {
            TypeRef::Primitive(Primitive::String) => format!("map<{}>", show_type(value)),
            key => format!("map<{}, {}>", show_type(key), show_type(value)),
        },
        TypeRef::Tuple(items) => {
            let items: Vec<String> = items.iter().map(show_type).collect();
            format!("({})", items.join(", "))
        }
        TypeRef::Nullable(inner) => format!("{} | null", show_type(inner)),
        TypeRef::Literal(value) => format!("{value:?}"),
        TypeRef::Null => "null".to_owned(),
        TypeRef::Any => "any".to_owned(),
    }
}

pub(super) fn show_body(body: &ResponseBody) -> String {
    match body {
        ResponseBody::Json(ty) => show_type(ty),
        ResponseBody::Text { content_type } => format!("text ({content_type})"),
        ResponseBody::Bytes { content_type } => format!("bytes ({content_type})"),
        ResponseBody::Empty => "empty".to_owned(),
    }
}

pub(super) fn required_word(required: bool) -> &'static str {
    if required {
        "required"
    } else {
        "optional"
    }
}

pub(super) fn usage_words(usage: Usage) -> String {
    let words: Vec<&str> = [
        (usage.input, "input"),
        (usage.output, "output"),
        (usage.webhook, "webhook"),
    ]
    .into_iter()
    .filter_map(|(on, word)| on.then_some(word))
    .collect();
    if words.is_empty() {
        "unused".to_owned()
    } else {
        words.join("+")
    }
}

pub(super) fn list(set: &BTreeSet<String>) -> String {
    set.iter().cloned().collect::<Vec<_>>().join(", ")
}
