//! The Rust names of the models and parameters: every type's name (from the IR's words,
//! made readable, then claimed in one namespace) and, per type, the names of its fields
//! or variants; per operation, the names of its parameters.

use std::collections::BTreeMap;

use crate::ir::{Api, Operation, TypeDef, TypeId, TypeKind};
use crate::names::{snake, upper_camel, upper_camel_words, Namespace};
use crate::normalize::escape_pointer;

use super::readable_names;

/// Names the generated crate defines itself, which no model may take.
const RESERVED_TYPES: [&str; 4] = ["WebhookEvent", "ApiErrorBody", "Client", "Error"];

/// Names a request builder already uses for its own methods.
const RESERVED_PARAMS: [&str; 5] = ["client", "options", "body", "send", "stream"];

/// The Rust names of one named type.
#[derive(Debug, Clone)]
pub struct TypeNames {
    /// The type's name.
    pub name: String,
    /// Field names (structs) or variant names (enums, unions), by index.
    pub members: Vec<String>,
}

/// Names for every type of `api`, generated or not (tools report unused ones too).
pub fn type_names(api: &Api) -> BTreeMap<TypeId, TypeNames> {
    let mut candidates: readable_names::Candidates = api
        .types
        .values()
        .map(|def| (def.id.clone(), upper_camel_words(&def.name)))
        .collect();
    readable_names::apply(api, &mut candidates);
    let mut namespace = Namespace::new();
    for reserved in RESERVED_TYPES {
        namespace.reserve(reserved);
    }
    // Components first: their names are the spec's, derived types yield to them.
    let mut order: Vec<&TypeDef> = api.types.values().collect();
    order.sort_by_key(|def| !is_component(def));
    order
        .into_iter()
        .map(|def| {
            let mut candidate = one_casing(&candidates[&def.id]);
            if RESERVED_TYPES.contains(&candidate.as_str()) {
                // The spec's `WebhookEvent` is the API's record of a sent event, beside the
                // crate's own `WebhookEvent` enum: `WebhookEventRecord`, not a number.
                candidate.push_str("Record");
            }
            let names = TypeNames {
                name: namespace.claim(candidate),
                members: member_names(def),
            };
            (def.id.clone(), names)
        })
        .collect()
}

/// Acronyms spelled one way in every name: the spec writes `OAuth2Client` but a name
/// made from the `oauth2` group comes out `Oauth2…`.
const ACRONYMS: [(&str, &str); 1] = [("Oauth2", "OAuth2")];

fn one_casing(name: &str) -> String {
    ACRONYMS
        .iter()
        .fold(name.to_owned(), |name, (made, spelled)| {
            name.replace(made, spelled)
        })
}

fn is_component(def: &TypeDef) -> bool {
    def.origin == format!("#/components/schemas/{}", escape_pointer(&def.id.0))
}

/// Field names of a struct, variant names of an enum or union (`Unknown` is the
/// catch-all variant of both).
fn member_names(def: &TypeDef) -> Vec<String> {
    let mut namespace = Namespace::new();
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .map(|f| namespace.claim(snake(&f.name)))
            .collect(),
        TypeKind::Enum(e) => {
            namespace.reserve("Unknown");
            e.values
                .iter()
                .map(|v| namespace.claim(upper_camel(&v.value)))
                .collect()
        }
        TypeKind::Union(u) => {
            namespace.reserve("Unknown");
            u.variants
                .iter()
                .map(|v| namespace.claim(upper_camel_words(&v.name)))
                .collect()
        }
        TypeKind::Alias(_) => Vec::new(),
    }
}

/// The builder field and setter name of each parameter of `op`.
pub fn param_names(op: &Operation) -> Vec<String> {
    let mut namespace = Namespace::new();
    for reserved in RESERVED_PARAMS {
        namespace.reserve(reserved);
    }
    op.params
        .iter()
        .map(|p| namespace.claim(snake(&p.name)))
        .collect()
}
