//! A `$ref` cycle that never passes through an object, enum or union (`A = B`,
//! `B = [A]`) has no Rust type: type aliases cannot refer to themselves. Such specs
//! are refused with the pointer of a schema on the cycle.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::SpecError;
use crate::ir::{TypeDef, TypeId, TypeKind, TypeRef};

pub fn reject_alias_cycles(types: &BTreeMap<TypeId, TypeDef>) -> Result<(), SpecError> {
    let alias_edges: BTreeMap<&TypeId, Vec<TypeId>> = types
        .iter()
        .filter_map(|(id, def)| match &def.kind {
            TypeKind::Alias(ty) => {
                let mut out = Vec::new();
                named_in(ty, &mut out);
                out.retain(|target| {
                    matches!(types.get(target).map(|d| &d.kind), Some(TypeKind::Alias(_)))
                });
                Some((id, out))
            }
            _ => None,
        })
        .collect();
    let mut done: BTreeSet<&TypeId> = BTreeSet::new();
    for start in alias_edges.keys() {
        if done.contains(start) {
            continue;
        }
        // Iterative depth-first search; `path` holds the current chain.
        let mut path: Vec<(&TypeId, usize)> = vec![(start, 0)];
        let mut on_path: BTreeSet<&TypeId> = BTreeSet::from([*start]);
        while let Some((node, next)) = path.last_mut() {
            let edges = &alias_edges[*node];
            if let Some(target) = edges.get(*next) {
                *next += 1;
                let Some((target, _)) = alias_edges.get_key_value(target) else {
                    continue;
                };
                if on_path.contains(target) {
                    let chain: Vec<String> = path
                        .iter()
                        .map(|(id, _)| id.0.clone())
                        .skip_while(|id| id != &target.0)
                        .chain([target.0.clone()])
                        .collect();
                    return Err(SpecError::new(
                        &types[*target].origin,
                        format!(
                            "unsupported: a `$ref` cycle with no object, enum or union on it ({})",
                            chain.join(" -> ")
                        ),
                    ));
                }
                if !done.contains(target) {
                    on_path.insert(target);
                    path.push((target, 0));
                }
            } else {
                let (finished, _) = path.pop().expect("non-empty path");
                on_path.remove(finished);
                done.insert(finished);
            }
        }
    }
    Ok(())
}

fn named_in(ty: &TypeRef, out: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => out.push(id.clone()),
        other => other.children().for_each(|child| named_in(child, out)),
    }
}
