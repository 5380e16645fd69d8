//! Two decisions about each union: whether it keeps values that match no branch
//! (`Unknown`), and which fields it exposes as accessors because every branch has them.

use std::collections::BTreeMap;

use super::names::TypeNames;
use crate::ir::{Api, Field, TypeDef, TypeId, TypeKind, TypeRef, UnionDef};

/// A field every branch of a union has, with one type: `customer.id()`.
#[derive(Debug, Clone)]
pub struct UnionAccessor {
    /// The accessor's name: the field's Rust name, the same in every branch.
    pub name: String,
    /// The field's wire name (for docs).
    pub wire: String,
    /// The field's index in each branch's struct, parallel to the union's variants.
    pub fields: Vec<usize>,
}

/// Whether a union decoded from Polar's answers keeps an unmatched value as `Unknown`:
/// tagged unions always do; untagged ones when they are ever received. A union only
/// ever sent is built by the user and needs no such branch.
pub fn keeps_unknown(def: &TypeDef, u: &UnionDef) -> bool {
    u.discriminator.is_some() || def.usage.deserialized()
}

/// The accessors of union `def`: fields present in every branch (each branch a struct),
/// with the same Rust name, wire name and value type. None if any branch is not a struct.
pub fn accessors(
    api: &Api,
    names: &BTreeMap<TypeId, TypeNames>,
    u: &UnionDef,
    reserved: &[&str],
) -> Vec<UnionAccessor> {
    let mut branches = Vec::new();
    for variant in &u.variants {
        let TypeRef::Named(id) = &variant.ty else {
            return Vec::new();
        };
        let Some(TypeDef {
            kind: TypeKind::Struct(s),
            ..
        }) = api.types.get(id)
        else {
            return Vec::new();
        };
        branches.push((id, &s.fields));
    }
    let Some(((first_id, first_fields), rest)) = branches.split_first() else {
        return Vec::new();
    };
    let member = |id: &TypeId, index: usize| names[id].members[index].as_str();
    first_fields
        .iter()
        .enumerate()
        .filter_map(|(index, field)| {
            let name = member(first_id, index);
            if reserved.contains(&name) {
                return None;
            }
            let mut fields = vec![index];
            for (id, other) in rest {
                let at = other.iter().position(|f| same_field(f, field))?;
                if member(id, at) != name {
                    return None;
                }
                fields.push(at);
            }
            Some(UnionAccessor {
                name: name.to_owned(),
                wire: field.name.clone(),
                fields,
            })
        })
        .collect()
}

/// The same wire name and value type; presence may differ (an accessor of a field that
/// one branch may lack or leave `null` returns an `Option`).
fn same_field(a: &Field, b: &Field) -> bool {
    a.name == b.name && value_type(&a.ty) == value_type(&b.ty)
}

fn value_type(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Nullable(inner) => inner,
        other => other,
    }
}
