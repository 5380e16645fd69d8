//! The Rust names of the models and parameters: every type's name (from the IR's words,
//! made readable, then claimed in one namespace) and, per type, the names of its fields
//! or variants; per operation, the names of its parameters.

use std::collections::BTreeMap;

use crate::ir::{Api, Name, Operation, TypeDef, TypeId, TypeKind, UnionDef};
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

/// [`one_casing`] undone, for a snake_case name made from a type name: `OAuth2Token` →
/// `oauth2_token`, not `o_auth2_token`.
pub fn acronyms_folded(name: &str) -> String {
    ACRONYMS
        .iter()
        .fold(name.to_owned(), |name, (made, spelled)| {
            name.replace(spelled, made)
        })
}

pub fn one_casing(name: &str) -> String {
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
            let short = (u.discriminator.is_none())
                .then(|| short_variant_names(&def.name, u))
                .flatten();
            match short {
                Some(names) => names.into_iter().map(|n| namespace.claim(n)).collect(),
                None => u
                    .variants
                    .iter()
                    .map(|v| namespace.claim(upper_camel_words(&v.name)))
                    .collect(),
            }
        }
        TypeKind::Alias(_) => Vec::new(),
    }
}

/// Untagged variants as short as tagged ones: without the leading and trailing words the
/// union's own name already says (`CustomerCreate::Individual`, not
/// `CustomerCreate::CustomerIndividualCreate`; `Payment::Card`, not `Payment::CardPayment`).
/// `None` when that would leave a variant empty, or two the same.
fn short_variant_names(union: &Name, u: &UnionDef) -> Option<Vec<String>> {
    let names: Vec<String> = u
        .variants
        .iter()
        .map(|v| {
            // Only leading and trailing words: inner ones carry the meaning
            // (`AuthorizationCodeTokenRequest` stays whole in `OAuth2TokenBody`).
            let mut words: &[String] = &v.name.words;
            while let Some((first, rest)) =
                words.split_first().filter(|(w, _)| union.words.contains(w))
            {
                let _ = first;
                words = rest;
            }
            while let Some((_, rest)) = words.split_last().filter(|(w, _)| union.words.contains(w))
            {
                words = rest;
            }
            (!words.is_empty()).then(|| {
                upper_camel_words(&Name {
                    words: words.to_vec(),
                })
            })
        })
        .collect::<Option<_>>()?;
    let distinct: std::collections::BTreeSet<&String> = names.iter().collect();
    let shorter = names
        .iter()
        .zip(&u.variants)
        .any(|(short, v)| short.len() < v.name.joined().len());
    (distinct.len() == names.len() && shorter && !names.iter().any(|n| n == "Unknown"))
        .then_some(names)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Primitive, TypeRef, UnionVariant};

    fn name(phrase: &str) -> Name {
        Name::from_phrase(phrase)
    }

    fn union(variants: &[&str]) -> UnionDef {
        UnionDef {
            discriminator: None,
            variants: variants
                .iter()
                .map(|v| UnionVariant {
                    name: name(v),
                    ty: TypeRef::Primitive(Primitive::String),
                    tags: Vec::new(),
                    known_fields: Vec::new(),
                    required_fields: Vec::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn untagged_variants_drop_the_words_the_union_name_says() {
        let short = |u: &str, v: &[&str]| short_variant_names(&name(u), &union(v));
        assert_eq!(
            short(
                "CustomerCreate",
                &["CustomerIndividualCreate", "CustomerTeamCreate"]
            ),
            Some(vec!["Individual".to_owned(), "Team".to_owned()])
        );
        assert_eq!(
            short("Payment", &["CardPayment", "GenericPayment"]),
            Some(vec!["Card".to_owned(), "Generic".to_owned()])
        );
        // Inner words stay; nothing shorter means the names are kept.
        assert_eq!(
            short(
                "OAuth2TokenBody",
                &["AuthorizationCodeTokenRequest", "RefreshTokenRequest"]
            ),
            None
        );
        // A variant that would be left empty, or two that would be the same: kept whole.
        assert_eq!(short("Price", &["Price", "LegacyPrice"]), None);
        assert_eq!(short("ItemA", &["AItem", "Item"]), None);
    }
}
