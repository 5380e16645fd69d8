//! Pairing removed and added inline types whose spec id changed but which are the same type.

use std::collections::{BTreeMap, BTreeSet};

use super::show::show_type;
use crate::ir::{Api, TypeDef, TypeId, TypeKind, TypeRef};

/// Pairs types that only changed their spec id (a type missing from `new` with a
/// type missing from `old`): inline types are named after the place they occur
/// (`Parent.field`, `operation.error403`, `Name#2` on a clash), so renaming or
/// reordering a parent changes their ids while the type stays the same.
///
/// A removed and an added type pair up when they have the same Rust name and kind,
/// or else when their [`shape_key`]s are equal and no other removed or added type
/// has the same key (ambiguity is left as removed + added).
pub(super) fn type_renames(old: &Api, new: &Api) -> BTreeMap<TypeId, TypeId> {
    let removed: Vec<&TypeDef> = old
        .types
        .values()
        .filter(|t| !new.types.contains_key(&t.id))
        .collect();
    let added: Vec<&TypeDef> = new
        .types
        .values()
        .filter(|t| !old.types.contains_key(&t.id))
        .collect();
    let mut renames = BTreeMap::new();
    let mut taken: BTreeSet<&TypeId> = BTreeSet::new();
    for r in &removed {
        let same_name = added.iter().find(|a| {
            !taken.contains(&a.id) && a.name == r.name && a.kind.label() == r.kind.label()
        });
        if let Some(a) = same_name {
            taken.insert(&a.id);
            renames.insert(r.id.clone(), a.id.clone());
        }
    }
    let unpaired =
        |defs: &[&TypeDef], done: &dyn Fn(&TypeId) -> bool| -> BTreeMap<String, Vec<TypeId>> {
            let mut by_key: BTreeMap<String, Vec<TypeId>> = BTreeMap::new();
            for t in defs.iter().filter(|t| !done(&t.id)) {
                by_key.entry(shape_key(t)).or_default().push(t.id.clone());
            }
            by_key
        };
    let old_keys = unpaired(&removed, &|id| renames.contains_key(id));
    let new_keys = unpaired(&added, &|id| taken.contains(id));
    for (key, old_ids) in &old_keys {
        if let (Some([new_id]), [old_id]) =
            (new_keys.get(key).map(Vec::as_slice), old_ids.as_slice())
        {
            renames.insert(old_id.clone(), new_id.clone());
        }
    }
    renames
}

/// What a type looks like without its name: kind, field names, requiredness and types,
/// enum values, union tags. Named references count only as "a named type" so that
/// renamed types nested in renamed types still match.
pub(super) fn shape_key(t: &TypeDef) -> String {
    fn ty(t: &TypeRef) -> String {
        match t {
            TypeRef::Named(_) => "#".to_owned(),
            TypeRef::Array(i) => format!("[{}]", ty(i)),
            TypeRef::Map { key, value } => format!("map<{}, {}>", ty(key), ty(value)),
            TypeRef::Nullable(i) => format!("{}?", ty(i)),
            TypeRef::Tuple(items) => {
                let items: Vec<String> = items.iter().map(ty).collect();
                format!("({})", items.join(","))
            }
            other => show_type(other),
        }
    }
    match &t.kind {
        TypeKind::Struct(s) => {
            let fields: Vec<String> = s
                .fields
                .iter()
                .map(|f| {
                    format!(
                        "{}{}:{}",
                        f.name,
                        if f.required { "" } else { "?" },
                        ty(&f.ty)
                    )
                })
                .collect();
            let extra = s.additional.as_ref().map(ty).unwrap_or_default();
            format!("struct{{{}}}{extra}", fields.join(","))
        }
        TypeKind::Enum(e) => {
            let values: Vec<&str> = e.values.iter().map(|v| v.value.as_str()).collect();
            format!("enum[{}]", values.join(","))
        }
        TypeKind::Union(u) => {
            let variants: Vec<String> = u
                .variants
                .iter()
                .map(|v| format!("{}={}", v.tags.join("|"), ty(&v.ty)))
                .collect();
            format!("union{:?}({})", u.discriminator, variants.join(","))
        }
        TypeKind::Alias(a) => format!("alias {}", ty(a)),
    }
}
