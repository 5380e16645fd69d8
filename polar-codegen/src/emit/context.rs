//! What every emitter needs to turn IR references into Rust paths.

use std::collections::BTreeMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, Literal, Primitive, TypeDef, TypeId, TypeKind, TypeRef};
use crate::names::{upper_camel, Namespace, RustName};

/// Shared lookups for the emitters: type names and literal type names.
pub struct Context<'a> {
    pub api: &'a Api,
    literals: BTreeMap<Literal, RustName>,
    /// How generated code names the generated crate: `crate` inside it,
    /// `polar` from tests.
    crate_path: TokenStream,
}

impl<'a> Context<'a> {
    pub fn new(api: &'a Api) -> Self {
        let mut found = std::collections::BTreeSet::new();
        for def in api.types.values() {
            collect_literals_def(def, &mut found);
        }
        for op in &api.operations {
            for param in &op.params {
                collect_literals(&param.ty, &mut found);
            }
        }
        let mut names = Namespace::new();
        let literals = found
            .into_iter()
            .map(|lit| {
                let wire = match &lit {
                    Literal::String(s) => s.clone(),
                    Literal::Bool(b) => b.to_string(),
                };
                let name = names.claim(RustName::new(upper_camel(&wire), wire));
                (lit, name)
            })
            .collect();
        Context {
            api,
            literals,
            crate_path: quote!(crate),
        }
    }

    /// The same lookups for code that lives outside the generated crate.
    pub fn external(api: &'a Api) -> Self {
        Context {
            crate_path: quote!(::polar),
            ..Context::new(api)
        }
    }

    pub fn literals(&self) -> impl Iterator<Item = (&Literal, &RustName)> {
        self.literals.iter()
    }

    pub fn def(&self, id: &TypeId) -> Option<&'a TypeDef> {
        self.api.types.get(id)
    }

    pub fn type_ident(&self, id: &TypeId) -> Ident {
        let name = self
            .def(id)
            .map(|d| d.name.rust.as_str())
            .unwrap_or("MissingType");
        ident(name)
    }

    /// The Rust type expression for a reference (without `Option` for nullability at
    /// the top: callers decide how null and absence are represented).
    pub fn type_expr(&self, ty: &TypeRef) -> TokenStream {
        match ty {
            TypeRef::Primitive(p) => primitive(*p),
            TypeRef::Named(id) => {
                let name = self.type_ident(id);
                {
                    let krate = &self.crate_path;
                    quote!(#krate::models::#name)
                }
            }
            TypeRef::Array(inner) => {
                let inner = self.type_expr(inner);
                quote!(::std::vec::Vec<#inner>)
            }
            TypeRef::Map(inner) => {
                let inner = self.type_expr(inner);
                quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
            }
            TypeRef::Tuple(items) => {
                let items = items.iter().map(|i| self.type_expr(i));
                quote!((#(#items,)*))
            }
            TypeRef::Nullable(inner) => {
                let inner = self.type_expr(inner);
                quote!(::std::option::Option<#inner>)
            }
            TypeRef::Literal(lit) => {
                let name = ident(&self.literals[lit].rust);
                {
                    let krate = &self.crate_path;
                    quote!(#krate::literals::#name)
                }
            }
            TypeRef::Null => quote!(()),
            TypeRef::Any => quote!(::serde_json::Value),
        }
    }

    /// Whether the type is a struct that must be kept apart (used by emitters for docs).
    pub fn is_struct(&self, ty: &TypeRef) -> bool {
        matches!(ty, TypeRef::Named(id) if matches!(self.def(id).map(|d| &d.kind), Some(TypeKind::Struct(_))))
    }
}

fn primitive(p: Primitive) -> TokenStream {
    match p {
        Primitive::String => quote!(::std::string::String),
        Primitive::Integer => quote!(i64),
        Primitive::Number => quote!(f64),
        Primitive::Boolean => quote!(bool),
        Primitive::DateTime => quote!(::chrono::DateTime<::chrono::Utc>),
        Primitive::Date => quote!(::chrono::NaiveDate),
        Primitive::Uuid => quote!(::uuid::Uuid),
    }
}

fn collect_literals_def(def: &TypeDef, out: &mut std::collections::BTreeSet<Literal>) {
    match &def.kind {
        TypeKind::Struct(s) => {
            s.fields.iter().for_each(|f| collect_literals(&f.ty, out));
            if let Some(a) = &s.additional {
                collect_literals(a, out);
            }
        }
        TypeKind::Union(u) => u.variants.iter().for_each(|v| collect_literals(&v.ty, out)),
        TypeKind::Alias(ty) => collect_literals(ty, out),
        TypeKind::Enum(_) => {}
    }
}

fn collect_literals(ty: &TypeRef, out: &mut std::collections::BTreeSet<Literal>) {
    match ty {
        TypeRef::Literal(lit) => {
            out.insert(lit.clone());
        }
        TypeRef::Array(i) | TypeRef::Map(i) | TypeRef::Nullable(i) => collect_literals(i, out),
        TypeRef::Tuple(items) => items.iter().for_each(|i| collect_literals(i, out)),
        _ => {}
    }
}

/// An identifier, raw (`r#type`) when it is a keyword.
pub fn ident(name: &str) -> Ident {
    if crate::names::is_keyword(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// `#[cfg(any(feature = "a", feature = "b"))]` for a set of features (none if empty).
pub fn cfg_features<'f>(features: impl IntoIterator<Item = &'f String>) -> TokenStream {
    let features: Vec<&String> = features.into_iter().collect();
    match features.as_slice() {
        [] => quote!(),
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}
