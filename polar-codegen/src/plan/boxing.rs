//! Which fields and union branches need a `Box`: those whose inline type is in the same
//! strongly connected component as their parent (Tarjan's algorithm over inline edges),
//! since a type cannot contain itself by value.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{TypeDef, TypeId, TypeKind, TypeRef};

/// For each struct or union, the indices of the fields (or variants) on a type cycle.
pub fn cycle_edges(types: &BTreeMap<TypeId, TypeDef>) -> BTreeMap<TypeId, BTreeSet<usize>> {
    let ids: Vec<&TypeId> = types.keys().collect();
    let index_of: BTreeMap<&TypeId, usize> =
        ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let inline = |ty: &TypeRef| -> Vec<usize> {
        inline_named(ty)
            .into_iter()
            .filter_map(|id| index_of.get(id).copied())
            .collect()
    };
    let edges: Vec<Vec<usize>> = ids
        .iter()
        .map(|id| {
            types[*id]
                .kind
                .refs()
                .into_iter()
                .flat_map(inline)
                .collect()
        })
        .collect();
    let component = tarjan(&edges);
    let mut out: BTreeMap<TypeId, BTreeSet<usize>> = BTreeMap::new();
    for (i, id) in ids.iter().enumerate() {
        let refs: Vec<&TypeRef> = match &types[*id].kind {
            TypeKind::Struct(_) | TypeKind::Union(_) => types[*id].kind.refs(),
            _ => continue,
        };
        for (index, ty) in refs.into_iter().enumerate() {
            if inline(ty).iter().any(|&c| component[c] == component[i]) {
                out.entry((*id).clone()).or_default().insert(index);
            }
        }
    }
    out
}

/// Named types stored inline (not behind a `Vec` or map), which can form infinite-size cycles.
fn inline_named(ty: &TypeRef) -> Vec<&TypeId> {
    match ty {
        TypeRef::Named(id) => vec![id],
        TypeRef::Nullable(_) | TypeRef::Tuple(_) => ty.children().flat_map(inline_named).collect(),
        _ => Vec::new(),
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
