//! One Rust item per named IR type: structs, forward-compatible enums, tagged and
//! untagged unions, aliases; plus the `literals` module for `const` values.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::{ident, Context};
use super::docs::doc_attrs;
use crate::ir::{Docs, Field, Literal, TypeDef, TypeKind, TypeRef, UnionDef};

/// The item(s) for one named type.
pub fn model(ctx: &Context, def: &TypeDef) -> TokenStream {
    let name = ident(&def.name.rust);
    let mut extra = Vec::new();
    if def.docs.deprecated {
        extra.push("**Deprecated** in the Polar API.".to_owned());
    }
    extra.extend(super::builders::union_doc(ctx, def));
    let docs = doc_attrs(&docs_or_name(&def.docs, &def.name.wire), &extra);
    // Not through `doc_attrs`: the example is Rust, and spec text fences become `text`.
    let example = super::builders::example_doc(ctx, def)
        .map(|text| super::docs::lines_to_attrs(&format!("\n{text}")));
    let docs = quote!(#docs #example);
    match &def.kind {
        TypeKind::Struct(s) => {
            let fields = s.fields.iter().map(|f| field(ctx, def, f));
            let additional = s.additional.as_ref().map(|ty| {
                let ty = ctx.type_expr(ty);
                quote! {
                    /// Properties not listed in the schema.
                    #[serde(flatten)]
                    pub additional_properties: ::std::collections::BTreeMap<::std::string::String, #ty>,
                }
            });
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                pub struct #name {
                    #(#fields)*
                    #additional
                }
            }
        }
        TypeKind::Enum(e) => {
            let variants = e.values.iter().map(|v| {
                let variant = ident(&v.name.rust);
                let wire = &v.name.wire;
                let doc = format!(" `{wire}`");
                quote!(#[doc = #doc] #variant = #wire,)
            });
            quote! {
                crate::__string_enum! {
                    #docs
                    pub enum #name {
                        #(#variants)*
                    }
                }
            }
        }
        TypeKind::Union(u) => union(ctx, &name, &docs, u),
        TypeKind::Alias(ty) => {
            let ty = ctx.type_expr(ty);
            quote! {
                #docs
                pub type #name = #ty;
            }
        }
    }
}

fn docs_or_name(docs: &Docs, wire: &str) -> Docs {
    if docs.title.is_some() || docs.description.is_some() {
        docs.clone()
    } else {
        Docs {
            title: Some(format!("`{wire}`")),
            ..docs.clone()
        }
    }
}

fn field(ctx: &Context, owner: &TypeDef, f: &Field) -> TokenStream {
    let name = ident(&f.name.rust);
    let mut attrs = Vec::new();
    if f.name.rust != f.name.wire {
        let wire = &f.name.wire;
        attrs.push(quote!(rename = #wire));
    }
    let (inner, nullable) = match &f.ty {
        TypeRef::Nullable(inner) => (inner.as_ref(), true),
        other => (other, false),
    };
    let mut ty = ctx.type_expr(inner);
    if f.boxed {
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
    let docs = doc_attrs(&f.docs, &extra);
    quote! {
        #docs
        #serde
        pub #name: #ty,
    }
}

fn union(
    ctx: &Context,
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    u: &UnionDef,
) -> TokenStream {
    let variants = u.variants.iter().map(|v| {
        let variant = ident(&v.name.rust);
        let mut ty = ctx.type_expr(&v.ty);
        if v.boxed || ctx.is_struct(&v.ty) {
            // Boxing struct branches keeps the enum small whatever the branch sizes.
            ty = quote!(::std::boxed::Box<#ty>);
        }
        let keys: Vec<&String> = if u.discriminator.is_some() {
            v.tags.iter().collect()
        } else {
            v.known_fields.iter().collect()
        };
        quote!(#variant(#ty) = [#(#keys),*],)
    });
    match &u.discriminator {
        Some(tag) => quote! {
            crate::__tagged_union! {
                #docs
                pub enum #name (tag = #tag) {
                    #(#variants)*
                }
            }
        },
        None => quote! {
            crate::__untagged_union! {
                #docs
                pub enum #name {
                    #(#variants)*
                }
            }
        },
    }
}

/// The `literals` module: one unit type per distinct `const` value.
pub fn literals(ctx: &Context) -> TokenStream {
    let items = ctx.literals().map(|(lit, name)| {
        let ident = ident(&name.rust);
        match lit {
            Literal::String(value) => {
                let doc = format!(" The constant `{value:?}`.");
                quote!(crate::__literal!(#[doc = #doc] #ident = #value);)
            }
            Literal::Bool(value) => {
                let doc = format!(" The constant `{value}`.");
                quote!(crate::__literal_bool!(#[doc = #doc] #ident = #value);)
            }
        }
    });
    quote! {
        //! Unit types for the spec's `const` values: each serializes to its value and
        //! accepts nothing else, so overlapping union branches stay distinguishable.
        #(#items)*
    }
}
