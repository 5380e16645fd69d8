//! One Rust item per named IR type: structs, forward-compatible enums, tagged and
//! untagged unions, aliases; plus the `literals` module for `const` values. Every enum
//! and unit type is a plain item; its serde impls come from a runtime impl macro that
//! gets only the type name and the variant list.
//!
//! Every struct, enum and union is `#[non_exhaustive]`: Polar adds fields, values and
//! branches with each spec, and that keeps every such addition a non-breaking release.
//! Users read the public fields and build request models with `new` and the setters.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::{ident, Context};
use super::docs::doc_attrs_for;
use crate::ir::{
    Docs, EnumDef, Field, Literal, Primitive, StructDef, TypeDef, TypeKind, TypeRef, UnionDef,
};
use crate::names::snake;

/// The item(s) for one named type.
pub fn model(ctx: &Context, def: &TypeDef) -> TokenStream {
    let name = ctx.type_ident(&def.id);
    let mut extra = Vec::new();
    if def.docs.deprecated {
        extra.push("**Deprecated** in the Polar API.".to_owned());
    }
    extra.extend(super::builders::union_doc(ctx, def));
    // A schema that says nothing about itself gets where the type appears.
    let own_docs = match ctx.plan.usage_docs.get(&def.id) {
        Some(usage) => Docs {
            description: Some(usage.clone()),
            ..def.docs.clone()
        },
        _ => def.docs.clone(),
    };
    let docs = doc_attrs_for(&own_docs, &name.to_string(), &extra);
    // Not through `doc_attrs`: the example is Rust, and spec text fences become `text`.
    // A blank line first separates it from the docs above, if there are any.
    let example = super::builders::example_doc(ctx, def).map(|text| {
        let gap = if docs.is_empty() { "" } else { "\n" };
        super::docs::lines_to_attrs(&format!("{gap}{text}"))
    });
    let docs = quote!(#docs #example);
    match &def.kind {
        TypeKind::Struct(s) => {
            let fields = s.fields.iter().enumerate().map(|(i, f)| {
                let rust = ctx.plan.member(&def.id, i);
                field(ctx, def, f, rust, ctx.plan.is_boxed(&def.id, i))
            });
            let additional = s.additional.as_ref().map(|ty| {
                let ty = ctx.type_expr(ty);
                quote! {
                    /// Properties not listed in the schema.
                    #[serde(flatten)]
                    pub additional_properties: ::std::collections::BTreeMap<::std::string::String, #ty>,
                }
            });
            let secret: Vec<usize> = (0..s.fields.len())
                .filter(|i| ctx.plan.is_secret(&def.id, *i))
                .collect();
            if secret.is_empty() {
                return quote! {
                    #docs
                    #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                    #[non_exhaustive]
                    pub struct #name {
                        #(#fields)*
                        #additional
                    }
                };
            }
            let debug = redacted_debug(ctx, def, s, &secret);
            quote! {
                #docs
                #[derive(Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                #[non_exhaustive]
                pub struct #name {
                    #(#fields)*
                    #additional
                }

                #debug
            }
        }
        TypeKind::Enum(e) => string_enum(&name, &docs, e, ctx.plan.members(&def.id)),
        TypeKind::Union(u) => union(ctx, def, &name, &docs, u),
        TypeKind::Alias(ty) => {
            let ty = ctx.type_expr(ty);
            quote! {
                #docs
                pub type #name = #ty;
            }
        }
    }
}

/// `Debug` for a struct with secret fields: those print by presence only.
fn redacted_debug(ctx: &Context, def: &TypeDef, s: &StructDef, secret: &[usize]) -> TokenStream {
    let name = ctx.type_ident(&def.id);
    let label = name.to_string();
    let fields = (0..s.fields.len()).map(|i| {
        let rust = ctx.plan.member(&def.id, i);
        let member = ident(rust);
        let label = rust.trim_start_matches("r#");
        if secret.contains(&i) {
            quote!(.field(#label, &crate::runtime::redact::Redacted(&self.#member)))
        } else {
            quote!(.field(#label, &self.#member))
        }
    });
    let additional = s
        .additional
        .as_ref()
        .map(|_| quote!(.field("additional_properties", &self.additional_properties)));
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#label)
                    #(#fields)*
                    #additional
                    .finish()
            }
        }
    }
}

fn string_enum(
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    e: &EnumDef,
    variant_names: &[String],
) -> TokenStream {
    let variants = e.values.iter().zip(variant_names).map(|(v, rust)| {
        let variant = ident(rust);
        // The wire value is worth a line only when the variant name does not spell it.
        let doc = (snake(rust) != v.value).then(|| {
            let doc = format!(" `{}`", v.value);
            quote!(#[doc = #doc])
        });
        quote!(#doc #variant,)
    });
    let wires = e.values.iter().zip(variant_names).map(|(v, rust)| {
        let variant = ident(rust);
        let wire = &v.value;
        quote!(#variant = #wire,)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know yet, kept as sent.
            Unknown(::std::string::String),
        }

        crate::__string_enum_impls!(#name { #(#wires)* });
    }
}

fn field(ctx: &Context, owner: &TypeDef, f: &Field, rust: &str, boxed: bool) -> TokenStream {
    let name = ident(rust);
    let mut attrs = Vec::new();
    if rust != f.name {
        let wire = &f.name;
        attrs.push(quote!(rename = #wire));
    }
    let (inner, nullable) = match &f.ty {
        TypeRef::Nullable(inner) => (inner.as_ref(), true),
        other => (other, false),
    };
    let mut ty = ctx.type_expr(inner);
    if boxed {
        ty = quote!(::std::boxed::Box<#ty>);
    }
    let ty = match (f.required, nullable) {
        (true, false) => ty,
        (true, true) => quote!(::std::option::Option<#ty>),
        (false, false) => {
            attrs.push(quote!(default, skip_serializing_if = "Option::is_none"));
            quote!(::std::option::Option<#ty>)
        }
        (false, true) if owner.usage.input => {
            // Absent, null and a value are three different requests (e.g. PATCH).
            attrs.push(quote!(
                default,
                skip_serializing_if = "Option::is_none",
                with = "crate::runtime::serde_helpers::double_option"
            ));
            quote!(::std::option::Option<::std::option::Option<#ty>>)
        }
        (false, true) => {
            attrs.push(quote!(default, skip_serializing_if = "Option::is_none"));
            quote!(::std::option::Option<#ty>)
        }
    };
    let serde = if attrs.is_empty() {
        quote!()
    } else {
        quote!(#[serde(#(#attrs),*)])
    };
    let mut extra = Vec::new();
    if f.docs.deprecated {
        extra.push("**Deprecated** in the Polar API.".to_owned());
    }
    if !f.required && nullable && owner.usage.input {
        extra.push("`None`: not sent; `Some(None)`: sent as `null`.".to_owned());
    }
    let docs = doc_attrs_for(&f.docs, &f.name, &extra);
    quote! {
        #docs
        #serde
        pub #name: #ty,
    }
}

fn union(
    ctx: &Context,
    def: &TypeDef,
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    u: &UnionDef,
) -> TokenStream {
    let variants = u.variants.iter().enumerate().map(|(i, v)| {
        let variant = ident(ctx.plan.member(&def.id, i));
        let mut ty = ctx.type_expr(&v.ty);
        if ctx.plan.is_boxed(&def.id, i) {
            ty = quote!(::std::boxed::Box<#ty>);
        }
        quote!(#variant(#ty),)
    });
    let keys = u.variants.iter().enumerate().map(|(i, v)| {
        let variant = ident(ctx.plan.member(&def.id, i));
        let keys: &[String] = if u.discriminator.is_some() {
            &v.tags
        } else {
            &v.known_fields
        };
        // A branch that is itself a union keeping unknown values matches anything; the
        // decoder tries the other branches before settling for its `Unknown`.
        let nested = match &v.ty {
            TypeRef::Named(inner) if u.discriminator.is_none() && ctx.plan.keeps_unknown(inner) => {
                quote!(nested)
            }
            _ => quote!(),
        };
        quote!(#variant = [#(#keys),*] #nested,)
    });
    let accessors = union_accessors(ctx, def, name, u);
    match &u.discriminator {
        Some(tag) => quote! {
            #docs
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
                /// A branch whose tag this version of the crate does not know yet, as raw JSON.
                Unknown(::serde_json::Value),
            }

            crate::__tagged_union_impls!(#name, tag = #tag, { #(#keys)* });
            #accessors
        },
        None if ctx.plan.keeps_unknown(&def.id) => quote! {
            #docs
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
                /// A value that matches no branch this version of the crate knows (Polar
                /// added one), as raw JSON; it is sent back unchanged when serialized.
                Unknown(::serde_json::Value),
            }

            crate::__untagged_union_impls!(#name, unknown, { #(#keys)* });
            #accessors
        },
        None => quote! {
            #docs
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
            }

            crate::__untagged_union_impls!(#name { #(#keys)* });
            #accessors
        },
    }
}

/// One accessor: each branch's field read as the shared return type.
fn union_accessor(
    ctx: &Context,
    def: &TypeDef,
    u: &UnionDef,
    accessor: &crate::plan::union_shape::UnionAccessor,
    unknown: bool,
) -> Option<TokenStream> {
    // Each branch's struct and field.
    let mut branches = Vec::new();
    for (i, variant) in u.variants.iter().enumerate() {
        let TypeRef::Named(id) = &variant.ty else {
            return None;
        };
        let owner = ctx.plan.api.types.get(id)?;
        let TypeKind::Struct(s) = &owner.kind else {
            return None;
        };
        let index = accessor.fields[i];
        let field = &s.fields[index];
        // A boxed field (a cycle) or a three-state request field reads better directly.
        if ctx.plan.is_boxed(id, index)
            || (!field.required && field.nullable() && owner.usage.input)
        {
            return None;
        }
        branches.push(field);
    }
    let inner = match &branches[0].ty {
        TypeRef::Nullable(inner) => inner.as_ref(),
        other => other,
    };
    let optional = unknown || branches.iter().any(|f| !f.required || f.nullable());
    let member = ident(&accessor.name);
    // Strings as `&str`, other primitives (ids, times, numbers) by copy, the rest by
    // reference.
    let (ty, by) = match inner {
        TypeRef::Primitive(Primitive::String) => (quote!(&str), Read::Str),
        TypeRef::Primitive(_) => (ctx.type_expr(inner), Read::Copy),
        _ => {
            let ty = ctx.type_expr(inner);
            (quote!(&#ty), Read::Ref)
        }
    };
    let arms = branches.iter().enumerate().map(|(i, field)| {
        let variant = ident(ctx.plan.member(&def.id, i));
        let present = field.required && !field.nullable();
        let value = match (present, by) {
            (true, Read::Str) => quote!(branch.#member.as_str()),
            (true, Read::Copy) => quote!(branch.#member),
            (true, Read::Ref) => quote!(&branch.#member),
            (false, Read::Str) => quote!(branch.#member.as_deref()),
            (false, Read::Copy) => quote!(branch.#member),
            (false, Read::Ref) => quote!(branch.#member.as_ref()),
        };
        let value = if present && optional {
            quote!(::std::option::Option::Some(#value))
        } else {
            value
        };
        quote!(Self::#variant(branch) => #value,)
    });
    let ret = if optional {
        quote!(::std::option::Option<#ty>)
    } else {
        ty
    };
    let unknown_arm = unknown.then(|| quote!(Self::Unknown(_) => ::std::option::Option::None,));
    let when_none = match (
        unknown,
        branches.iter().all(|f| f.required && !f.nullable()),
    ) {
        (true, true) => " (`None` for [`Self::Unknown`])",
        (true, false) => " (`None` when unset, or for [`Self::Unknown`])",
        (false, false) => " (`None` when unset)",
        (false, true) => "",
    };
    let doc = format!(" `{}`, present on every branch{when_none}.", accessor.wire);
    Some(quote! {
        #[doc = #doc]
        pub fn #member(&self) -> #ret {
            match self {
                #(#arms)*
                #unknown_arm
            }
        }
    })
}

/// How a union accessor hands out its field.
#[derive(Clone, Copy)]
enum Read {
    Str,
    Copy,
    Ref,
}

/// Methods for the fields every branch of a union has: `customer.id()`.
fn union_accessors(
    ctx: &Context,
    def: &TypeDef,
    name: &proc_macro2::Ident,
    u: &UnionDef,
) -> TokenStream {
    let unknown = ctx.plan.keeps_unknown(&def.id);
    let methods = ctx
        .plan
        .accessors(&def.id)
        .iter()
        .filter_map(|accessor| union_accessor(ctx, def, u, accessor, unknown))
        .collect::<Vec<_>>();
    if methods.is_empty() {
        return quote!();
    }
    quote! {
        impl #name {
            #(#methods)*
        }
    }
}

/// The `literals` module: one unit type per distinct `const` value.
pub fn literals(ctx: &Context) -> TokenStream {
    let items = ctx.plan.literals.iter().map(|(lit, name)| {
        let ident = ident(name);
        let (doc, impls) = match lit {
            Literal::String(value) => (
                format!(" The constant `{value:?}`."),
                quote!(crate::__literal_impls!(#ident = #value);),
            ),
            Literal::Bool(value) => (
                format!(" The constant `{value}`."),
                quote!(crate::__literal_bool_impls!(#ident = #value);),
            ),
        };
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub struct #ident;

            #impls
        }
    });
    quote! {
        //! Unit types for the spec's `const` values: each serializes to its value and
        //! accepts nothing else, so overlapping union branches stay distinguishable.
        #(#items)*
    }
}
