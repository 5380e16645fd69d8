//! Whole-graph passes after all types exist: where each type is used (input, output,
//! webhook) and by which feature groups, which fields need a `Box` to break a cycle,
//! and which keys each untagged-union branch knows.

use std::collections::BTreeMap;

use crate::ir::{Api, ResponseBody, TypeDef, TypeId, TypeKind, TypeRef, Usage};

/// The cargo feature that gates webhook event types.
pub const WEBHOOKS_FEATURE: &str = "webhooks";

pub fn finish(api: &mut Api) {
    mark_usage(api);
    fill_union_fields(&mut api.types);
    mark_boxes(&mut api.types);
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
    let mut roots: Vec<(TypeRef, Usage, String)> = Vec::new();
    for op in &api.operations {
        for param in &op.params {
            roots.push((param.ty.clone(), input, op.feature.clone()));
        }
        if let Some(body) = &op.body {
            roots.push((body.ty.clone(), input, op.feature.clone()));
        }
        if let ResponseBody::Json(ty) = &op.success.body {
            roots.push((ty.clone(), output, op.feature.clone()));
        }
        for error in &op.errors {
            roots.push((error.ty.clone(), output, op.feature.clone()));
        }
    }
    for hook in &api.webhooks {
        roots.push((
            TypeRef::Named(hook.payload.clone()),
            webhook,
            WEBHOOKS_FEATURE.to_owned(),
        ));
    }
    for (ty, usage, feature) in roots {
        let mut stack = Vec::new();
        named_in(&ty, &mut stack);
        while let Some(id) = stack.pop() {
            let Some(def) = api.types.get_mut(&id) else {
                continue;
            };
            let mut merged = def.usage;
            merged.merge(usage);
            if merged == def.usage && def.features.contains(&feature) {
                continue;
            }
            def.usage = merged;
            def.features.insert(feature.clone());
            for child in children(def) {
                named_in(child, &mut stack);
            }
        }
    }
}

/// Every type reference directly inside a definition.
fn children(def: &TypeDef) -> Vec<&TypeRef> {
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .map(|f| &f.ty)
            .chain(s.additional.iter())
            .collect(),
        TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(ty) => vec![ty],
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Named types anywhere inside `ty`.
fn named_in(ty: &TypeRef, out: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => out.push(id.clone()),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            named_in(inner, out)
        }
        TypeRef::Tuple(items) => items.iter().for_each(|i| named_in(i, out)),
        TypeRef::Primitive(_) | TypeRef::Literal(_) | TypeRef::Null | TypeRef::Any => {}
    }
}

/// Named types stored inline (not behind a `Vec` or map), which can form infinite-size cycles.
fn direct_named(ty: &TypeRef, out: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => out.push(id.clone()),
        TypeRef::Nullable(inner) => direct_named(inner, out),
        TypeRef::Tuple(items) => items.iter().for_each(|i| direct_named(i, out)),
        _ => {}
    }
}

fn fill_union_fields(types: &mut BTreeMap<TypeId, TypeDef>) {
    let struct_fields: BTreeMap<TypeId, (Vec<String>, Vec<String>)> = types
        .iter()
        .filter_map(|(id, def)| match &def.kind {
            TypeKind::Struct(s) => Some((
                id.clone(),
                (
                    s.fields.iter().map(|f| f.name.wire.clone()).collect(),
                    s.fields
                        .iter()
                        .filter(|f| f.required)
                        .map(|f| f.name.wire.clone())
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

/// Box every field or variant whose inline type is in the same strongly connected
/// component as its parent (Tarjan's algorithm over inline edges).
fn mark_boxes(types: &mut BTreeMap<TypeId, TypeDef>) {
    let ids: Vec<TypeId> = types.keys().cloned().collect();
    let index_of: BTreeMap<&TypeId, usize> =
        ids.iter().enumerate().map(|(i, id)| (id, i)).collect();
    let edges: Vec<Vec<usize>> = ids
        .iter()
        .map(|id| {
            let mut out = Vec::new();
            for child in children(&types[id]) {
                direct_named(child, &mut out);
            }
            out.iter()
                .filter_map(|c| index_of.get(c).copied())
                .collect()
        })
        .collect();
    let component = tarjan(&edges);
    let same_scc = |parent: usize, ty: &TypeRef| {
        let mut out = Vec::new();
        direct_named(ty, &mut out);
        out.iter()
            .filter_map(|c| index_of.get(c))
            .any(|&c| component[c] == component[parent])
    };
    let mut boxed_fields: Vec<(TypeId, usize)> = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        match &types[id].kind {
            TypeKind::Struct(s) => {
                for (f, field) in s.fields.iter().enumerate() {
                    if same_scc(i, &field.ty) {
                        boxed_fields.push((id.clone(), f));
                    }
                }
            }
            TypeKind::Union(u) => {
                for (v, variant) in u.variants.iter().enumerate() {
                    if same_scc(i, &variant.ty) {
                        boxed_fields.push((id.clone(), v));
                    }
                }
            }
            _ => {}
        }
    }
    for (id, index) in boxed_fields {
        if let Some(def) = types.get_mut(&id) {
            match &mut def.kind {
                TypeKind::Struct(s) => s.fields[index].boxed = true,
                TypeKind::Union(u) => u.variants[index].boxed = true,
                _ => {}
            }
        }
    }
}

/// Strongly connected components; returns the component index of each node.
fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
    struct State<'a> {
        edges: &'a [Vec<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        component: Vec<usize>,
        components: usize,
    }
    fn visit(s: &mut State, v: usize) {
        s.index[v] = Some(s.next);
        s.low[v] = s.next;
        s.next += 1;
        s.stack.push(v);
        s.on_stack[v] = true;
        for &w in &s.edges[v] {
            match s.index[w] {
                None => {
                    visit(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(wi) if s.on_stack[w] => s.low[v] = s.low[v].min(wi),
                _ => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            while let Some(w) = s.stack.pop() {
                s.on_stack[w] = false;
                s.component[w] = s.components;
                if w == v {
                    break;
                }
            }
            s.components += 1;
        }
    }
    let n = edges.len();
    let mut state = State {
        edges,
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        next: 0,
        component: vec![0; n],
        components: 0,
    };
    for v in 0..n {
        if state.index[v].is_none() {
            visit(&mut state, v);
        }
    }
    state.component
}
