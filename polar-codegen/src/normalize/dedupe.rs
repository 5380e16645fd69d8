//! Merge structurally identical inline types into one.
//!
//! Polar repeats the same inline shape in many places (the metadata value union appears
//! 59 times, the timezone enum 3 times): one type each keeps the API small and the crate
//! fast to compile. Components are never merged: their names are part of the spec.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Api, Name, TypeDef, TypeId, TypeKind, TypeRef};

/// Merge duplicates until no two inline types share a shape (merging children can make
/// parents identical).
pub fn merge_duplicate_inline_types(api: &mut Api) {
    for _ in 0..8 {
        let replacements = duplicate_groups(&api.types);
        if replacements.is_empty() {
            return;
        }
        apply(api, &replacements);
    }
}

/// A key equal for two types exactly when they would generate the same Rust item
/// apart from its name.
fn shape(def: &TypeDef) -> String {
    match &def.kind {
        TypeKind::Struct(s) => {
            let fields: Vec<_> = s
                .fields
                .iter()
                .map(|f| (&f.name, &f.ty, f.required, &f.docs))
                .collect();
            format!("struct {fields:?} {:?}", s.additional)
        }
        TypeKind::Enum(e) => format!(
            "enum {:?}",
            e.values.iter().map(|v| &v.value).collect::<Vec<_>>()
        ),
        TypeKind::Union(u) => {
            let variants: Vec<_> = u
                .variants
                .iter()
                .map(|v| (&v.name, &v.ty, &v.tags))
                .collect();
            format!("union {:?} {variants:?}", u.discriminator)
        }
        TypeKind::Alias(ty) => format!("alias {ty:?}"),
    }
}

/// Map from each merged-away id to (canonical id, canonical name).
fn duplicate_groups(types: &BTreeMap<TypeId, TypeDef>) -> BTreeMap<TypeId, (TypeId, Name)> {
    let mut by_shape: BTreeMap<String, Vec<&TypeDef>> = BTreeMap::new();
    for def in types.values().filter(|d| d.id.is_inline()) {
        by_shape.entry(shape(def)).or_default().push(def);
    }
    let mut taken: BTreeSet<String> = types.values().map(|d| d.name.joined()).collect();
    let mut replacements = BTreeMap::new();
    for group in by_shape.values().filter(|g| g.len() > 1) {
        // `types` iterates in id order, so the first member is stable across runs.
        let canonical = group[0];
        // A shared type from an earlier pass that absorbs more members keeps its name.
        let existing = group
            .iter()
            .find(|d| d.id.0.starts_with("shared."))
            .map(|d| d.name.clone());
        let members: BTreeSet<String> = group.iter().map(|d| d.name.joined()).collect();
        let free = |candidate: &Name| {
            let joined = candidate.joined();
            !taken.contains(&joined) || members.contains(&joined)
        };
        let name = existing
            .or_else(|| shared_name(group).filter(free))
            .or_else(|| variant_name(canonical).filter(free))
            .unwrap_or_else(|| canonical.name.clone());
        taken.insert(name.joined());
        // A readable id, not one arbitrary member's location (diff reports show ids).
        let id = TypeId(format!("shared.{name}"));
        for def in group {
            replacements.insert(def.id.clone(), (id.clone(), name.clone()));
        }
    }
    replacements
}

/// The longest run of words that every name ends with (e.g. `Metadata Value`), else
/// that every name starts with.
fn shared_name(group: &[&TypeDef]) -> Option<Name> {
    let words: Vec<Vec<String>> = group.iter().map(|d| d.name.words.clone()).collect();
    let common = |reversed: bool| -> Vec<String> {
        let mut out = Vec::new();
        for i in 0.. {
            fn word(w: &[String], i: usize, reversed: bool) -> Option<&String> {
                if reversed {
                    w.iter().rev().nth(i)
                } else {
                    w.get(i)
                }
            }
            let Some(first) = word(&words[0], i, reversed) else {
                break;
            };
            if words.iter().all(|w| word(w, i, reversed) == Some(first)) {
                out.push(first.clone());
            } else {
                break;
            }
        }
        if reversed {
            out.reverse();
        }
        out
    };
    let suffix = common(true);
    let chosen = if suffix.is_empty() {
        common(false)
    } else {
        suffix
    };
    let name = Name { words: chosen };
    let joined = name.joined();
    // A lone generic word says nothing about the type (and `Value` reads like serde_json's).
    const GENERIC: &[&str] = &["Value", "Item", "Items", "Body", "Response", "Type", "Data"];
    let usable = !joined.is_empty()
        && !joined.starts_with(|c: char| c.is_ascii_digit())
        && !GENERIC.contains(&joined.as_str());
    usable.then_some(name)
}

/// `Integer Or Number` for a union of primitives.
fn variant_name(def: &TypeDef) -> Option<Name> {
    let TypeKind::Union(union) = &def.kind else {
        return None;
    };
    let primitive = |ty: &TypeRef| matches!(ty, TypeRef::Primitive(_));
    union.variants.iter().all(|v| primitive(&v.ty)).then(|| {
        let mut words = Vec::new();
        for (i, variant) in union.variants.iter().enumerate() {
            if i > 0 {
                words.push("Or".to_owned());
            }
            words.extend(variant.name.words.iter().cloned());
        }
        Name { words }
    })
}

fn apply(api: &mut Api, replacements: &BTreeMap<TypeId, (TypeId, Name)>) {
    let mut merged = BTreeMap::new();
    for (id, (canonical, name)) in replacements {
        if let Some(mut def) = api.types.remove(id) {
            // Members are removed in id order: the first one becomes the shared type.
            if !merged.contains_key(canonical) {
                def.id = canonical.clone();
                def.name = name.clone();
                merged.insert(canonical.clone(), def);
            }
        }
    }
    api.types.extend(merged);
    let mut rewrite = |ty: &mut TypeRef| {
        ty.walk_mut(&mut |ty| {
            if let TypeRef::Named(id) = ty {
                if let Some((canonical, _)) = replacements.get(id) {
                    *id = canonical.clone();
                }
            }
        })
    };
    for def in api.types.values_mut() {
        def.kind.refs_mut().into_iter().for_each(&mut rewrite);
    }
    for op in &mut api.operations {
        op.params.iter_mut().for_each(|p| rewrite(&mut p.ty));
        if let Some(body) = &mut op.body {
            rewrite(&mut body.ty);
        }
        if let crate::ir::ResponseBody::Json(ty) = &mut op.success.body {
            rewrite(ty);
        }
        op.errors.iter_mut().for_each(|e| rewrite(&mut e.ty));
        if let Some(p) = &mut op.pagination {
            rewrite(&mut p.item);
        }
    }
}
