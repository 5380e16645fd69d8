//! Readable names for inline types whose derived name reads as machine output.
//!
//! An inline schema is first named after where it sits (`Parent` + field + `Value` for a
//! map value + `Item` for an array element), and a merged union of primitives after its
//! branches (`StringOrIntegerOrNumberOrBoolean`). Those names say how a type was found,
//! not what it is. These rules rename by what it is, in order, first match wins:
//!
//! 1. **Union of named types** → the words its branches share at the start and at the end
//!    (`ProductPriceFixedCreate | ProductPriceCustomCreate | …` → `ProductPriceCreate`).
//! 2. **Union of primitives** → what most fields holding it are called (their last word)
//!    + `Value` (59 `metadata` / `customer_metadata` map values → `MetadataValue`).
//! 3. **Repeated word** → said once (`MetadataQueryValueValue` → `MetadataQueryValue`).
//! 4. **Element of a plural field** → the field in the singular, without `Item`
//!    (`FilterClausesItem` → `FilterClause`, `EventsIngestEventsItem` → `EventsIngestEvent`).
//!
//! Component names are the spec's and never change; a candidate already taken by another
//! type is skipped (the next rule, or the derived name, is kept). Runs on the plan's
//! candidate type names, before they are claimed; ids, and so references, stay the same.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Api, TypeDef, TypeId, TypeKind, TypeRef};
use crate::names::upper_camel;

/// Candidate Rust names of types, by id.
pub type Candidates = BTreeMap<TypeId, String>;

/// Words that say how a type was reached, not what it is.
const STRUCTURAL: &[&str] = &["Value", "Item", "Items", "Variant", "Object"];

/// Rename machine-looking inline types among `names`.
pub fn apply(api: &Api, names: &mut Candidates) {
    let uses = field_uses(api);
    let mut taken: BTreeSet<String> = names.values().cloned().collect();
    // The most used type claims a contested name (Polar's metadata value, used 59 times,
    // before a narrower union also found in a `metadata` field).
    let mut ids: Vec<TypeId> = api.types.keys().cloned().collect();
    ids.sort_by_key(|id| std::cmp::Reverse(uses.get(id).map_or(0, Vec::len)));
    for id in ids {
        let def = &api.types[&id];
        let current = names[&id].clone();
        if !def.id.is_inline() || !machine_looking(&current) {
            continue;
        }
        let candidates = [
            shared_branch_words(names, def),
            field_value_name(def, uses.get(&id)),
            without_repeated_words(&current),
            singular_element(&current),
        ];
        let chosen = candidates
            .into_iter()
            .flatten()
            .find(|name| *name != current && !taken.contains(name));
        if let Some(name) = chosen {
            taken.remove(&current);
            taken.insert(name.clone());
            names.insert(id, name);
        }
    }
}

/// A name that says how the type was derived: a structural word after the first
/// (`…ValueItem`), a word said twice in a row, or primitive names joined with `Or`.
fn machine_looking(name: &str) -> bool {
    const PRIMITIVES: &[&str] = &["String", "Integer", "Number", "Boolean"];
    let words = words(name);
    let structural = words
        .iter()
        .skip(1)
        .any(|w| STRUCTURAL.contains(&w.as_str()));
    let repeated = words.windows(2).any(|pair| pair[0] == pair[1]);
    let primitive_join = words.len() > 1
        && words
            .iter()
            .all(|w| w == "Or" || PRIMITIVES.contains(&w.as_str()));
    structural || repeated || primitive_join
}

/// For each type: the wire names of the struct fields holding it, directly or as the
/// value of a map (`metadata: {string: X}`).
fn field_uses(api: &Api) -> BTreeMap<TypeId, Vec<String>> {
    let mut out: BTreeMap<TypeId, Vec<String>> = BTreeMap::new();
    for def in api.types.values() {
        let TypeKind::Struct(s) = &def.kind else {
            continue;
        };
        for f in &s.fields {
            let mut ty = &f.ty;
            if let TypeRef::Nullable(inner) = ty {
                ty = inner;
            }
            if let TypeRef::Map { value, .. } = ty {
                ty = value;
            }
            if let TypeRef::Named(id) = ty {
                out.entry(id.clone()).or_default().push(f.name.clone());
            }
        }
    }
    out
}

/// Rule 1: the UpperCamel words every branch name starts with, plus those every branch
/// name ends with (at least two branches, all named, and a non-structural result).
fn shared_branch_words(names: &Candidates, def: &TypeDef) -> Option<String> {
    let TypeKind::Union(u) = &def.kind else {
        return None;
    };
    if u.variants.len() < 2 {
        return None;
    }
    let names: Vec<Vec<String>> = u
        .variants
        .iter()
        .map(|v| match &v.ty {
            TypeRef::Named(id) => names.get(id).map(|name| words(name)),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let shortest = names.iter().map(Vec::len).min()?;
    let prefix = (0..shortest)
        .take_while(|&i| names.iter().all(|n| n[i] == names[0][i]))
        .count();
    let suffix = (0..shortest - prefix)
        .take_while(|&i| {
            let last = &names[0][names[0].len() - 1 - i];
            names.iter().all(|n| &n[n.len() - 1 - i] == last)
        })
        .count();
    let first = &names[0];
    let mut chosen: Vec<&str> = first[..prefix].iter().map(String::as_str).collect();
    chosen.extend(first[first.len() - suffix..].iter().map(String::as_str));
    let meaningful = chosen.iter().filter(|w| !STRUCTURAL.contains(w)).count();
    (meaningful >= 2 || (meaningful == 1 && prefix > 0 && suffix > 0)).then(|| chosen.concat())
}

/// Rule 2: a union of primitives named after what most fields holding it are called
/// (the last word of the field name, e.g. `customer_metadata` → `Metadata`).
fn field_value_name(def: &TypeDef, fields: Option<&Vec<String>>) -> Option<String> {
    let TypeKind::Union(u) = &def.kind else {
        return None;
    };
    if !u
        .variants
        .iter()
        .all(|v| matches!(v.ty, TypeRef::Primitive(_)))
    {
        return None;
    }
    let fields = fields?;
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for field in fields {
        let last = field.rsplit('_').next().unwrap_or(field);
        *counts.entry(last).or_default() += 1;
    }
    let (word, count) = counts.into_iter().max_by_key(|(_, count)| *count)?;
    (count * 2 > fields.len()).then(|| format!("{}Value", upper_camel(word)))
}

/// Rule 3: `MetadataQueryValueValue` → `MetadataQueryValue`.
fn without_repeated_words(name: &str) -> Option<String> {
    let words = words(name);
    let mut kept: Vec<&str> = Vec::with_capacity(words.len());
    for word in &words {
        if kept.last() != Some(&word.as_str()) {
            kept.push(word);
        }
    }
    (kept.len() < words.len()).then(|| kept.concat())
}

/// Rule 4: `…ClausesItem` → `…Clause` (only after a plural word).
fn singular_element(name: &str) -> Option<String> {
    let stem = name.strip_suffix("Item")?;
    let singular = if let Some(s) = stem.strip_suffix("ies") {
        format!("{s}y")
    } else if stem.ends_with("sses") || stem.ends_with("xes") || stem.ends_with("ches") {
        stem[..stem.len() - 2].to_owned()
    } else if stem.ends_with('s') && !stem.ends_with("ss") {
        stem[..stem.len() - 1].to_owned()
    } else {
        return None;
    };
    Some(singular)
}

/// UpperCamel words: `ProductPriceFixedCreate` → `Product`, `Price`, `Fixed`, `Create`.
fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in name.chars() {
        if c.is_uppercase() || out.is_empty() {
            out.push(String::new());
        }
        if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// A request with two metadata maps of a primitive union, a plural field of a union of
    /// named prices, and a map of lists.
    #[test]
    fn derived_names_are_replaced_by_what_the_type_is() {
        let metadata = json!({"type": "object", "additionalProperties": {
            "anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}]}});
        let price = |name: &str| json!({"$ref": format!("#/components/schemas/{name}")});
        let spec = json!({
            "openapi": "3.1.0",
            "info": {"title": "Test", "version": "2026-01"},
            "paths": {"/orders": {"post": {
                "operationId": "orders:create", "x-speakeasy-group": "orders",
                "requestBody": {"content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/OrderCreate"}}}},
                "responses": {"204": {"description": "ok"}}}}},
            "components": {"schemas": {
                "OrderCreate": {"type": "object", "properties": {
                    "metadata": metadata,
                    "customer_metadata": metadata,
                    "prices": {"type": "array", "items": {
                        "oneOf": [price("PriceFixedCreate"), price("PriceCustomCreate")]}},
                    "tags": {"type": "array", "items": {
                        "anyOf": [{"type": "string"}, {"type": "object", "properties": {
                            "id": {"type": "string"}}}]}}
                }},
                "PriceFixedCreate": {"type": "object", "properties": {"amount": {"type": "integer"}}},
                "PriceCustomCreate": {"type": "object", "properties": {"min": {"type": "integer"}}}
            }}
        });
        let api = crate::normalize::normalize(&spec).unwrap();
        let plan = crate::plan::plan(&api).unwrap();
        let names: BTreeSet<&str> = api.types.keys().map(|id| plan.type_name(id)).collect();
        assert!(names.contains("MetadataValue"), "{names:?}");
        assert!(names.contains("PriceCreate"), "{names:?}");
        assert!(names.contains("OrderCreateTag"), "{names:?}");
        for derived in [
            "StringOrIntegerOrBoolean",
            "OrderCreatePricesItem",
            "OrderCreateTagsItem",
        ] {
            assert!(!names.contains(derived), "{derived} in {names:?}");
        }
    }

    #[test]
    fn repeated_and_element_words() {
        assert_eq!(
            without_repeated_words("MetadataQueryValueValue").as_deref(),
            Some("MetadataQueryValue")
        );
        assert_eq!(without_repeated_words("CheckoutLink"), None);
        assert_eq!(
            singular_element("FilterClausesItem").as_deref(),
            Some("FilterClause")
        );
        assert_eq!(
            singular_element("EventsIngestEventsItem").as_deref(),
            Some("EventsIngestEvent")
        );
        assert_eq!(
            singular_element("BenefitPropertiesItem").as_deref(),
            Some("BenefitProperty")
        );
        // `Loc` is not plural: the element name says nothing better.
        assert_eq!(singular_element("ValidationErrorLocItem"), None);
    }

    #[test]
    fn only_derived_names_are_candidates() {
        for name in [
            "StringOrIntegerOrNumberOrBoolean",
            "MetadataQueryValueValue",
            "CheckoutProductsCreatePricesValueItem",
            "FilterClausesItem",
        ] {
            assert!(machine_looking(name), "{name}");
        }
        for name in ["CheckoutDiscount", "Oauth2TokenBody", "ValueMetric"] {
            assert!(!machine_looking(name), "{name}");
        }
    }
}
