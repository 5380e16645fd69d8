//! Turning IR references into Rust type expressions, with the names the plan chose.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, Primitive, TypeId, TypeRef};
use crate::plan::Plan;

/// What every emitter reads: the plan (and through it the IR).
pub struct Context<'a> {
    pub plan: &'a Plan<'a>,
    pub api: &'a Api,
    /// How generated code names the generated crate: `crate` inside it,
    /// `polar` from tests.
    crate_path: TokenStream,
}

impl<'a> Context<'a> {
    pub fn new(plan: &'a Plan<'a>) -> Self {
        Context {
            plan,
            api: plan.api,
            crate_path: quote!(crate),
        }
    }

    /// The same lookups for code that lives outside the generated crate.
    pub fn external(plan: &'a Plan<'a>) -> Self {
        Context {
            crate_path: quote!(::polar),
            ..Context::new(plan)
        }
    }

    pub fn type_ident(&self, id: &TypeId) -> Ident {
        ident(self.plan.type_name(id))
    }

    /// The Rust type expression for a reference (without `Option` for nullability at
    /// the top: callers decide how null and absence are represented).
    pub fn type_expr(&self, ty: &TypeRef) -> TokenStream {
        let krate = &self.crate_path;
        match ty {
            TypeRef::Primitive(p) => primitive(*p),
            TypeRef::Named(id) => {
                let name = self.type_ident(id);
                quote!(#krate::models::#name)
            }
            TypeRef::Array(inner) => {
                let inner = self.type_expr(inner);
                quote!(::std::vec::Vec<#inner>)
            }
            TypeRef::Map { key, value } => {
                let key = self.type_expr(key);
                let value = self.type_expr(value);
                quote!(::std::collections::BTreeMap<#key, #value>)
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
                let name = ident(&self.plan.literals[lit]);
                quote!(#krate::literals::#name)
            }
            TypeRef::Null => quote!(()),
            TypeRef::Any => quote!(::serde_json::Value),
        }
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
