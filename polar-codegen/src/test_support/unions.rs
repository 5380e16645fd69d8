//! `polar-generated/tests/support/received_unions.rs`: for every union the client
//! decodes (responses, webhook payloads), a value that matches none of its branches (a
//! branch Polar may add tomorrow) and a sample of each branch it has today. The
//! forward-compatibility test decodes both: the first must come back as `Unknown` and
//! re-encode unchanged, the others must not (an inner union's `Unknown` must not swallow
//! a later branch of the outer one).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{json, Value};

use super::samples::{SampleOptions, Sampler};
use crate::emit::{ident, Context};
use crate::ir::{Api, Primitive, TypeDef, TypeId, TypeKind, TypeRef, UnionDef};

/// Path of the file, relative to the `polar-generated` crate root.
pub const RECEIVED_UNIONS_PATH: &str = "tests/support/received_unions.rs";

/// The property a probe object carries: no Polar schema has it.
const PROBE_FIELD: &str = "polar_sdk_probe";

pub fn module(ctx: &Context) -> TokenStream {
    let unions: Vec<(&TypeDef, &UnionDef)> = received_unions(ctx);
    let index_of = |id: &TypeId| unions.iter().position(|(def, _)| &def.id == id);
    let mut cases = Vec::new();
    let mut unprobeable = Vec::new();
    let mut detectors = Vec::new();
    for (i, (def, u)) in unions.iter().enumerate() {
        let name = ctx.plan.type_name(&def.id);
        let ty = ctx.type_expr(&TypeRef::Named(def.id.clone()));
        let detect = format_ident!("unknown_in_{}", i);
        let nested = u.variants.iter().enumerate().filter_map(|(v, variant)| {
            let TypeRef::Named(inner) = &variant.ty else {
                return None;
            };
            let j = index_of(inner)?;
            let variant_ident = ident(ctx.plan.member(&def.id, v));
            let inner_detect = format_ident!("unknown_in_{}", j);
            Some(quote!(#ty::#variant_ident(inner) => #inner_detect(inner),))
        });
        detectors.push(quote! {
            fn #detect(value: &#ty) -> bool {
                match value {
                    #ty::Unknown(_) => true,
                    #(#nested)*
                    _ => false,
                }
            }
        });
        let mut sampler = Sampler::with_options(ctx.api, 0x0b5e + i as u64, rich());
        let branches = u.variants.iter().map(|variant| {
            let text = sampler.value(&variant.ty).to_string();
            quote!(#text)
        });
        let probe = match probe(ctx.api, u) {
            Some(probe) => probe.to_string(),
            None => {
                unprobeable.push(name.to_owned());
                continue;
            }
        };
        let tagged = u.discriminator.is_some();
        cases.push(quote! {
            UnionCase {
                name: #name,
                tagged: #tagged,
                probe: #probe,
                branches: &[#(#branches),*],
                decode_probe: |text| {
                    let value: #ty = ::serde_json::from_str(text).map_err(|err| err.to_string())?;
                    let unknown = matches!(&value, #ty::Unknown(_));
                    let again = ::serde_json::to_value(&value).map_err(|err| err.to_string())?;
                    Ok((unknown, again))
                },
                decode_branch: |text| {
                    let value: #ty = ::serde_json::from_str(text).map_err(|err| err.to_string())?;
                    Ok(#detect(&value))
                },
            },
        });
    }
    quote! {
        //! Every union the client decodes, with a value matching none of its branches and
        //! a sample of each branch it has.
        #![allow(dead_code, clippy::all)]

        /// One union to check.
        pub struct UnionCase {
            /// The Rust name.
            pub name: &'static str,
            /// Whether the union has a tag property.
            pub tagged: bool,
            /// JSON that matches no branch.
            pub probe: &'static str,
            /// JSON for each branch, in order.
            pub branches: &'static [&'static str],
            /// Decodes JSON: whether it became `Unknown`, and the value encoded again.
            pub decode_probe: fn(&str) -> ::std::result::Result<(bool, ::serde_json::Value), ::std::string::String>,
            /// Decodes JSON: whether an `Unknown` sits anywhere on its path of unions.
            pub decode_branch: fn(&str) -> ::std::result::Result<bool, ::std::string::String>,
        }

        /// Unions that accept any JSON value in some branch (no value can be new to them).
        pub const UNPROBEABLE: &[&str] = &[#(#unprobeable),*];

        /// Every received union with a probe.
        pub const CASES: &[UnionCase] = &[#(#cases)*];

        #(#detectors)*
    }
}

/// The deserialized unions that keep unmatched values, in spec order.
fn received_unions<'a>(ctx: &Context<'a>) -> Vec<(&'a TypeDef, &'a UnionDef)> {
    ctx.api
        .types
        .values()
        .filter_map(|def| match &def.kind {
            TypeKind::Union(u) if ctx.plan.keeps_unknown(&def.id) => Some((def, u)),
            _ => None,
        })
        .collect()
}

/// Every optional field present, so each branch's sample is as specific as it gets.
fn rich() -> SampleOptions {
    SampleOptions {
        min_items: 1,
        max_items: 1,
        absent_one_in: usize::MAX,
        null_one_in: usize::MAX,
        ..SampleOptions::default()
    }
}

/// A value no branch of `u` can decode: a tag nobody uses for a tagged union; else the
/// first of an unknown object, a string, a number, a bool that no branch accepts.
fn probe(api: &Api, u: &UnionDef) -> Option<Value> {
    if let Some(tag) = &u.discriminator {
        return Some(json!({ tag: PROBE_FIELD }));
    }
    let candidates = [
        json!({ PROBE_FIELD: "a branch this SDK version does not know" }),
        json!("polar-sdk-probe"),
        json!(7.5),
        json!(true),
    ];
    candidates
        .into_iter()
        .find(|probe| !u.variants.iter().any(|v| may_accept(api, &v.ty, probe, 0)))
}

/// Whether a value of type `ty` could decode from `probe` (erring towards yes).
fn may_accept(api: &Api, ty: &TypeRef, probe: &Value, depth: usize) -> bool {
    if depth > 16 {
        return true;
    }
    match ty {
        TypeRef::Any => true,
        TypeRef::Null => probe.is_null(),
        TypeRef::Nullable(inner) => probe.is_null() || may_accept(api, inner, probe, depth + 1),
        TypeRef::Primitive(p) => match p {
            Primitive::String | Primitive::DateTime | Primitive::Date | Primitive::Uuid => {
                probe.is_string()
            }
            Primitive::Integer | Primitive::Number => probe.is_number(),
            Primitive::Boolean => probe.is_boolean(),
        },
        TypeRef::Literal(_) => !probe.is_object() && !probe.is_array(),
        TypeRef::Array(_) | TypeRef::Tuple(_) => probe.is_array(),
        TypeRef::Map { .. } => probe.is_object(),
        TypeRef::Named(id) => match api.types.get(id).map(|def| &def.kind) {
            None => true,
            Some(TypeKind::Enum(_)) => probe.is_string(),
            Some(TypeKind::Alias(inner)) => may_accept(api, inner, probe, depth + 1),
            Some(TypeKind::Union(inner)) => inner
                .variants
                .iter()
                .any(|v| may_accept(api, &v.ty, probe, depth + 1)),
            Some(TypeKind::Struct(s)) => {
                probe.is_object()
                    && s.fields
                        .iter()
                        .filter(|f| f.required)
                        .all(|f| probe.get(&f.name).is_some())
            }
        },
    }
}
