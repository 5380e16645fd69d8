//! Whole-graph passes after all types exist: where each type is used (input, output,
//! webhook) and which keys each untagged-union branch knows.

use std::collections::BTreeMap;

use crate::ir::{Api, ResponseBody, TypeDef, TypeId, TypeKind, TypeRef, Usage};

pub fn finish(api: &mut Api) {
    mark_usage(api);
    fill_union_fields(&mut api.types);
}

fn mark_usage(api: &mut Api) {
    let input = Usage {
        input: true,
        ..Usage::default()
    };
    let output = Usage {
        output: true,
        ..Usage::default()
    };
    let webhook = Usage {
        webhook: true,
        ..Usage::default()
    };
    let mut roots: Vec<(TypeRef, Usage)> = Vec::new();
    for op in &api.operations {
        for param in &op.params {
            roots.push((param.ty.clone(), input));
        }
        if let Some(body) = &op.body {
            roots.push((body.ty.clone(), input));
        }
        if let ResponseBody::Json(ty) = &op.success.body {
            roots.push((ty.clone(), output));
        }
        for error in &op.errors {
            roots.push((error.ty.clone(), output));
        }
    }
    for hook in &api.webhooks {
        roots.push((TypeRef::Named(hook.payload.clone()), webhook));
    }
    for (ty, usage) in roots {
        let mut stack: Vec<TypeId> = ty.named().into_iter().cloned().collect();
        while let Some(id) = stack.pop() {
            let Some(def) = api.types.get_mut(&id) else {
                continue;
            };
            let mut merged = def.usage;
            merged.merge(usage);
            if merged == def.usage {
                continue;
            }
            def.usage = merged;
            for child in def.kind.refs() {
                stack.extend(child.named().into_iter().cloned());
            }
        }
    }
}

fn fill_union_fields(types: &mut BTreeMap<TypeId, TypeDef>) {
    let struct_fields: BTreeMap<TypeId, (Vec<String>, Vec<String>)> = types
        .iter()
        .filter_map(|(id, def)| match &def.kind {
            TypeKind::Struct(s) => Some((
                id.clone(),
                (
                    s.fields.iter().map(|f| f.name.clone()).collect(),
                    s.fields
                        .iter()
                        .filter(|f| f.required)
                        .map(|f| f.name.clone())
                        .collect(),
                ),
            )),
            _ => None,
        })
        .collect();
    for def in types.values_mut() {
        let TypeKind::Union(union) = &mut def.kind else {
            continue;
        };
        for variant in &mut union.variants {
            let mut ty = &variant.ty;
            while let TypeRef::Nullable(inner) = ty {
                ty = inner;
            }
            if let TypeRef::Named(id) = ty {
                if let Some((known, required)) = struct_fields.get(id) {
                    variant.known_fields = known.clone();
                    variant.required_fields = required.clone();
                }
            }
        }
    }
}
