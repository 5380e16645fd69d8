//! Request-model ergonomics, emitted next to each model: a constructor taking exactly the
//! required fields, a chainable setter per optional field (plus `clear_…` for the
//! optional + nullable ones, which sends `null`), and `From` every branch into a request
//! union. Nothing here changes the wire format: the setters only fill the public fields.
//!
//! Everything is generic over `impl Into<…>`, so a method costs compile time only where a
//! user calls it (generic functions are not code-generated until instantiated).

use proc_macro2::TokenStream;
use quote::quote;

use super::context::{ident, Context};
use super::docs::lines_to_attrs;
use crate::ir::{Field, Primitive, StructDef, TypeDef, TypeKind, TypeRef, UnionDef};
use crate::plan::{BuilderNames, FieldRole as Role};

/// Constructor and setters for an input struct, or `From` impls for an input union;
/// nothing for other types.
pub fn builders(ctx: &Context, def: &TypeDef) -> TokenStream {
    if !def.usage.input {
        return quote!();
    }
    match &def.kind {
        TypeKind::Struct(s) => struct_builders(ctx, def, s),
        TypeKind::Union(u) => union_froms(ctx, def, u),
        _ => quote!(),
    }
}

/// The type users pass to the constructor or setter for a field: its value type without
/// the `Option` that marks absence (boxing is done for them).
fn given_type(ctx: &Context, f: &Field) -> TokenStream {
    let inner = match &f.ty {
        TypeRef::Nullable(inner) => inner.as_ref(),
        other => other,
    };
    let plain = ctx.type_expr(inner);
    match (f.required, &f.ty) {
        // Required + nullable is stored as `Option<T>`: the caller says which.
        (true, TypeRef::Nullable(_)) => quote!(::std::option::Option<#plain>),
        _ => plain,
    }
}

/// `value.into()`, boxed when the plan boxes the field.
fn convert(f: &Field, boxed: bool, value: TokenStream) -> TokenStream {
    match (boxed, f.required, &f.ty) {
        (true, true, TypeRef::Nullable(_)) => {
            quote!(::std::convert::Into::<::std::option::Option<_>>::into(#value).map(::std::boxed::Box::new))
        }
        (true, _, _) => quote!(::std::boxed::Box::new(#value.into())),
        (false, _, _) => quote!(#value.into()),
    }
}

fn struct_builders(ctx: &Context, def: &TypeDef, s: &StructDef) -> TokenStream {
    let name = ctx.type_ident(&def.id);
    let fields = ctx.plan.members(&def.id);
    let default_names = BuilderNames::default();
    let methods = ctx.plan.builder(&def.id).unwrap_or(&default_names);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    let mut example_setters = Vec::new();
    for (index, f) in s.fields.iter().enumerate() {
        let boxed = ctx.plan.is_boxed(&def.id, index);
        let field_name = &fields[index];
        let field = ident(field_name);
        let given = given_type(ctx, f);
        match Role::of(f) {
            Role::Argument => {
                let value = convert(f, boxed, quote!(#field));
                args.push((
                    field_name,
                    f,
                    quote!(#field: impl ::std::convert::Into<#given>),
                ));
                inits.push(quote!(#field: #value,));
            }
            Role::Constant => inits.push(quote!(#field: ::std::default::Default::default(),)),
            Role::OptionalConstant => inits.push(quote!(
                #field: ::std::option::Option::Some(::std::default::Default::default()),
            )),
            Role::Optional | Role::OptionalNullable => {
                inits.push(quote!(#field: ::std::option::Option::None,));
                let Some(setter_name) = methods.setters.get(index).cloned().flatten() else {
                    continue;
                };
                let setter = ident(&setter_name);
                let value = convert(f, boxed, quote!(value));
                let nullable = matches!(Role::of(f), Role::OptionalNullable);
                let stored = if nullable {
                    quote!(::std::option::Option::Some(::std::option::Option::Some(#value)))
                } else {
                    quote!(::std::option::Option::Some(#value))
                };
                let doc = format!(" Sets `{}` (sent only when set).", f.name);
                setters.push(quote! {
                    #[doc = #doc]
                    pub fn #setter(mut self, value: impl ::std::convert::Into<#given>) -> Self {
                        self.#field = #stored;
                        self
                    }
                });
                if example_setters.is_empty() {
                    example_setters.push((setter_name.clone(), field_name, given.clone()));
                }
                if let Some(clear_name) = methods.clears.get(index).cloned().flatten() {
                    let clear = ident(&clear_name);
                    let doc = format!(
                        " Sends `{}` as `null` (e.g. to clear it in an update).",
                        f.name
                    );
                    setters.push(quote! {
                        #[doc = #doc]
                        pub fn #clear(mut self) -> Self {
                            self.#field = ::std::option::Option::Some(::std::option::Option::None);
                            self
                        }
                    });
                }
            }
        }
    }
    if s.additional.is_some() {
        inits.push(quote!(additional_properties: ::std::collections::BTreeMap::new(),));
    }
    if let Some(required) = &methods.required {
        return named_constructor(ctx, def, s, required, &inits, &setters);
    }
    let params = args.iter().map(|(_, _, tokens)| tokens);
    let new_doc = lines_to_attrs(
        "A request with its required fields; `const` fields (type tags) hold their only \
         value and every other optional field starts unset (not sent).",
    );
    let default_impl = args.is_empty().then(|| {
        quote! {
            impl ::std::default::Default for #name {
                #[inline]
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    // The doc example, also compiled as a test function so it cannot rot.
    let example_params: Vec<(String, TokenStream)> = args
        .iter()
        .map(|(field, f, _)| ((*field).clone(), given_type(ctx, f)))
        .chain(
            example_setters
                .iter()
                .map(|(_, field, given)| (format!("{field}_value"), given.clone())),
        )
        .collect();
    let example_fn_params = example_params.iter().map(|(n, ty)| {
        let n = ident(n);
        quote!(#n: #ty)
    });
    let example_args = args.iter().map(|(field, _, _)| ident(field));
    let example_chain = example_setters.iter().map(|(setter, field, _)| {
        let setter = ident(setter);
        let value = ident(&format!("{field}_value"));
        quote!(.#setter(#value))
    });
    quote! {
        impl #name {
            #new_doc
            pub fn new(#(#params),*) -> Self {
                Self {
                    #(#inits)*
                }
            }
            #(#setters)*
        }
        #default_impl
        #[cfg(test)]
        #[allow(dead_code, deprecated)]
        fn constructor_example(#(#example_fn_params),*) -> #name {
            #name::new(#(#example_args),*)#(#example_chain)*
        }
    }
}

/// `new` taking the required fields by name, through the plain struct `required`: for
/// constructors whose positional arguments would be easy to mix up. `inits` already
/// initialise every field, the required ones from a local of the field's name.
fn named_constructor(
    ctx: &Context,
    def: &TypeDef,
    s: &StructDef,
    required: &str,
    inits: &[TokenStream],
    setters: &[TokenStream],
) -> TokenStream {
    let name = ctx.type_ident(&def.id);
    let required = ident(required);
    let fields = ctx.plan.members(&def.id);
    let arguments: Vec<(usize, &Field)> = s
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| Role::of(f) == Role::Argument)
        .collect();
    let members = arguments.iter().map(|(index, f)| {
        let field = ident(&fields[*index]);
        let given = given_type(ctx, f);
        let docs = super::docs::doc_attrs_for(&f.docs, &f.name, &[]);
        quote!(#docs pub #field: #given,)
    });
    let locals: Vec<TokenStream> = arguments
        .iter()
        .map(|(index, _)| {
            let field = ident(&fields[*index]);
            quote!(#field)
        })
        .collect();
    // A secret (a client secret) must not print: no `Debug` then, as for the model's own.
    let secret = arguments
        .iter()
        .any(|(index, _)| ctx.plan.is_secret(&def.id, *index));
    let derives = if secret {
        quote!(#[derive(Clone, PartialEq)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq)])
    };
    let struct_doc = lines_to_attrs(&format!(
        "The required fields of [`{name}`], by name: what [`{name}::new`] takes."
    ));
    let new_doc = lines_to_attrs(
        "A request with its required fields, named so that none can be passed in the \
         wrong place; `const` fields (type tags) hold their only value and every optional \
         field starts unset (not sent).",
    );
    quote! {
        #struct_doc
        #derives
        pub struct #required {
            #(#members)*
        }

        impl #name {
            #new_doc
            pub fn new(required: #required) -> Self {
                let #required { #(#locals),* } = required;
                Self {
                    #(#inits)*
                }
            }
            #(#setters)*
        }

        impl ::std::convert::From<#required> for #name {
            #[inline]
            fn from(required: #required) -> Self {
                Self::new(required)
            }
        }
    }
}

/// The rustdoc paragraph showing how to build `def` (request structs only).
pub fn example_doc(ctx: &Context, def: &TypeDef) -> Option<String> {
    let TypeKind::Struct(s) = &def.kind else {
        return None;
    };
    if !def.usage.input {
        return None;
    }
    let mut hidden = Vec::new();
    let mut args = Vec::new();
    let fields = ctx.plan.members(&def.id);
    let setters = ctx.plan.builder(&def.id).map(|b| b.setters.as_slice());
    let mut optional = Vec::new();
    for (index, f) in s.fields.iter().enumerate() {
        let field = &fields[index];
        let setter = setters.and_then(|s| s.get(index)).cloned().flatten();
        match (Role::of(f), setter) {
            (Role::Argument, _) => {
                hidden.push(format!("{field}: {}", type_text(&given_type(ctx, f))));
                args.push(raw_ident(field));
            }
            (Role::Optional | Role::OptionalNullable, Some(setter)) => {
                optional.push((index, setter));
            }
            _ => {}
        }
    }
    // The optional fields users set most, not the first ones in spec order.
    optional.sort_by_key(|(index, _)| std::cmp::Reverse(example_rank(&s.fields[*index])));
    let mut chain = String::new();
    for (index, setter) in optional.into_iter().take(2) {
        let f = &s.fields[index];
        let value = format!("{}_value", fields[index]);
        hidden.push(format!("{value}: {}", type_text(&given_type(ctx, f))));
        chain.push_str(&format!("\n    .{}({value})", raw_ident(&setter)));
    }
    let name = ctx.plan.type_name(&def.id);
    Some(format!(
        "Build one with its required fields, then chain a setter per optional field \
         (fields stay public to read):\n\n\
         ```rust,ignore\n\
         # fn example({}) -> polar::models::{name} {{\n\
         let body = polar::models::{name}::new({}){chain};\n\
         # body }}\n\
         ```",
        hidden.join(", "),
        match ctx
            .plan
            .builder(&def.id)
            .and_then(|b| b.required.as_deref())
        {
            Some(required) => format!("polar::models::{required} {{ {} }}", args.join(", ")),
            None => args.join(", "),
        },
    ))
}

/// How likely a user is to set an optional field, for the example: fields every
/// integration fills in first, then plain values, last the rarely set or deprecated.
fn example_rank(f: &crate::ir::Field) -> i32 {
    const COMMON: &[&str] = &[
        "name",
        "email",
        "success_url",
        "return_url",
        "customer_id",
        "external_customer_id",
        "description",
        "code",
        "amount",
        "metadata",
        "product_id",
        "label",
        "customer_email",
        "customer_name",
        "discount_id",
        "basis_points",
        "reason",
        "comment",
    ];
    const RARE: &[&str] = &["organization_id", "embed_origin", "customer_ip_address"];
    // Earlier in `COMMON` ranks higher.
    let mut rank = match COMMON.iter().position(|name| *name == f.name) {
        Some(position) => 100 - position as i32,
        None => 0,
    };
    let ty = match &f.ty {
        crate::ir::TypeRef::Nullable(inner) => inner.as_ref(),
        other => other,
    };
    if matches!(ty, crate::ir::TypeRef::Primitive(_)) {
        rank += 1;
    }
    if f.docs.deprecated || RARE.contains(&f.name.as_str()) || f.name.starts_with("trial_") {
        rank -= 200;
    }
    rank
}

fn raw_ident(name: &str) -> String {
    if crate::names::is_keyword(name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

/// A type expression as users read it: `polar::models::X` instead of `crate::models::X`,
/// without the `::std::…` prefixes.
fn type_text(ty: &TokenStream) -> String {
    ty.to_string()
        .replace(' ', "")
        .replace("crate::", "polar::")
        .replace("::std::string::", "")
        .replace("::std::vec::", "")
        .replace("::std::option::", "")
        .replace("::std::boxed::", "")
        .replace("::std::collections::", "std::collections::")
        .replace("::uuid::", "uuid::")
        .replace("::chrono::", "chrono::")
        .replace("::serde_json::", "serde_json::")
        .replace(',', ", ")
}

fn union_froms(ctx: &Context, def: &TypeDef, u: &UnionDef) -> TokenStream {
    let name = ctx.type_ident(&def.id);
    // A type reached by two branches cannot convert unambiguously: skip both.
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    for v in &u.variants {
        *seen.entry(resolved_key(ctx, &v.ty)).or_default() += 1;
    }
    let mut impls = Vec::new();
    for (index, v) in u.variants.iter().enumerate() {
        let ty = ctx.type_expr(&v.ty);
        if seen[&resolved_key(ctx, &v.ty)] > 1 {
            continue;
        }
        let variant = ident(ctx.plan.member(&def.id, index));
        // Boxed exactly where the union's variant is (the plan decides).
        let value = if ctx.plan.is_boxed(&def.id, index) {
            quote!(::std::boxed::Box::new(value))
        } else {
            quote!(value)
        };
        impls.push(quote! {
            impl ::std::convert::From<#ty> for #name {
                #[inline]
                fn from(value: #ty) -> Self {
                    Self::#variant(#value)
                }
            }
        });
        if resolved_key(ctx, &v.ty)
            == ctx
                .type_expr(&TypeRef::Primitive(Primitive::String))
                .to_string()
        {
            impls.push(quote! {
                impl ::std::convert::From<&str> for #name {
                    #[inline]
                    fn from(value: &str) -> Self {
                        Self::#variant(value.to_owned())
                    }
                }
            });
        }
    }
    quote!(#(#impls)*)
}

/// The Rust type a reference ends up as, seeing through aliases (`type X = String`), so
/// two branches that are the same type are recognised.
fn resolved_key(ctx: &Context, ty: &TypeRef) -> String {
    let mut ty = ty;
    for _ in 0..16 {
        match ty {
            TypeRef::Named(id) => match ctx.api.types.get(id).map(|d| &d.kind) {
                Some(TypeKind::Alias(target)) => ty = target,
                _ => break,
            },
            _ => break,
        }
    }
    ctx.type_expr(ty).to_string()
}

/// Doc lines listing a request union's branches and how to build one.
pub fn union_doc(ctx: &Context, def: &TypeDef) -> Option<String> {
    let TypeKind::Union(u) = &def.kind else {
        return None;
    };
    if !def.usage.input {
        return None;
    }
    let name = ctx.plan.type_name(&def.id);
    let mut lines = vec![format!(
        "Any branch converts into `{name}` with `From`/`Into`, so a method taking \
         `impl Into<{name}>` accepts the branch itself:"
    )];
    lines.push(String::new());
    for (index, v) in u.variants.iter().enumerate() {
        let ty = match &v.ty {
            TypeRef::Named(id) => {
                let name = ctx.type_ident(id);
                format!("[`{name}`](crate::models::{name})")
            }
            other => format!("`{}`", type_text(&ctx.type_expr(other))),
        };
        let tag = if u.discriminator.is_some() && !v.tags.is_empty() {
            format!(
                " (tag `{}`, filled in by its constructor)",
                v.tags.join("`, `")
            )
        } else {
            String::new()
        };
        lines.push(format!(
            "- `{}`: {ty}{tag}",
            ctx.plan.member(&def.id, index)
        ));
    }
    Some(lines.join("\n"))
}
