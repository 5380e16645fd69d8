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

/// A lone generic word says nothing about the type (and `Value` reads like serde_json's).
const GENERIC: &[&str] = &["Value", "Item", "Items", "Body", "Response", "Type", "Data"];

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
            .or_else(|| framed_name(group).filter(free))
            .or_else(|| variant_name(canonical).filter(free))
            .or_else(|| branches_name(canonical, &free))
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
    let usable = !joined.is_empty()
        && !joined.starts_with(|c: char| c.is_ascii_digit())
        && !shared_name_is_generic(&name);
    usable.then_some(name)
}

/// The words every name starts with and the ones every name ends with, together
/// (`Checkout Discount` for the discount of `Checkout`, `Checkout Public` and
/// `Checkout Public Confirmed`), when both exist.
fn framed_name(group: &[&TypeDef]) -> Option<Name> {
    let names: Vec<&[String]> = group.iter().map(|d| d.name.words.as_slice()).collect();
    let (prefix, suffix) = common_frame(&names)?;
    if prefix == 0 || suffix == 0 {
        return None;
    }
    let first = names[0];
    let mut words = first[..prefix].to_vec();
    words.extend_from_slice(&first[first.len() - suffix..]);
    Some(Name { words })
}

/// How many leading and (after those) trailing words all `names` share.
fn common_frame(names: &[&[String]]) -> Option<(usize, usize)> {
    let first = *names.first()?;
    let shortest = names.iter().map(|w| w.len()).min()?;
    let prefix = (0..shortest)
        .take_while(|&i| names.iter().all(|w| w[i] == first[i]))
        .count();
    let suffix = (0..shortest - prefix)
        .take_while(|&i| {
            names
                .iter()
                .all(|w| w[w.len() - 1 - i] == first[first.len() - 1 - i])
        })
        .count();
    Some((prefix, suffix))
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

/// What the branches of a union of named types have in common: their shared leading
/// words and the last shared trailing word (`Discount … Duration Base` branches make
/// `Discount Base`; `Legacy Recurring Product Price | Product Price` makes `Price`),
/// with `Any` in front when that name is taken. Better than the first user's name for a
/// type many parents share.
fn branches_name(def: &TypeDef, free: &dyn Fn(&Name) -> bool) -> Option<Name> {
    let TypeKind::Union(union) = &def.kind else {
        return None;
    };
    if union.variants.len() < 2
        || !union
            .variants
            .iter()
            .all(|v| matches!(v.ty, TypeRef::Named(_)))
    {
        return None;
    }
    let names: Vec<&[String]> = union
        .variants
        .iter()
        .map(|v| v.name.words.as_slice())
        .collect();
    let (prefix, suffix) = common_frame(&names)?;
    let mut words: Vec<String> = names[0][..prefix].to_vec();
    if suffix > 0 {
        words.push(names[0][names[0].len() - 1].clone());
    }
    let name = Name { words };
    if name.words.is_empty() || shared_name_is_generic(&name) {
        return None;
    }
    if free(&name) {
        return Some(name);
    }
    let mut any = Name {
        words: vec!["Any".to_owned()],
    };
    any.words.extend(name.words);
    free(&any).then_some(any)
}

fn shared_name_is_generic(name: &Name) -> bool {
    GENERIC.contains(&name.joined().as_str())
}

fn apply(api: &mut Api, replacements: &BTreeMap<TypeId, (TypeId, Name)>) {
    let mut merged = BTreeMap::new();
    for (id, (canonical, name)) in replacements {
        if let Some(mut def) = api.types.remove(id) {
            // Members are removed in id order: the first one becomes the shared type.
            if !merged.contains_key(canonical) {
                // A title naming the first member (`CheckoutLinkDiscount`) no longer fits.
                use crate::names::letters;
                if def.name != *name
                    && def.docs.title.as_deref().map(letters) == Some(letters(&def.name.joined()))
                {
                    def.docs.title = None;
                }
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
