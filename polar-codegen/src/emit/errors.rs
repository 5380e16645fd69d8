//! `ApiErrorBody`: one variant per error schema declared by any operation, and one
//! decoder function per variant for the runtime's per-operation status table.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::context::{cfg_features, ident, Context};
use crate::ir::TypeRef;
use crate::names::{snake, Namespace, RustName};

pub struct ErrorEntry {
    pub ty: TypeRef,
    pub variant: Ident,
    pub decoder: Ident,
    pub features: BTreeSet<String>,
}

/// Every distinct error body type, in a stable order.
pub struct ErrorTable {
    entries: Vec<ErrorEntry>,
}

impl ErrorTable {
    pub fn new(ctx: &Context) -> Self {
        let mut by_type: BTreeMap<TypeRef, BTreeSet<String>> = BTreeMap::new();
        for op in &ctx.api.operations {
            for error in &op.errors {
                by_type
                    .entry(error.ty.clone())
                    .or_default()
                    .insert(op.feature.clone());
            }
        }
        let mut names = Namespace::new();
        names.reserve("Unknown");
        let entries = by_type
            .into_iter()
            .map(|(ty, features)| {
                let label = match &ty {
                    TypeRef::Named(id) => ctx
                        .def(id)
                        .map(|d| d.name.rust.clone())
                        .unwrap_or_else(|| id.0.clone()),
                    TypeRef::Nullable(_) => "Nullable".to_owned(),
                    _ => "Value".to_owned(),
                };
                let name = names.claim(RustName::new(label.clone(), label));
                ErrorEntry {
                    variant: ident(&name.rust),
                    decoder: format_ident!("decode_{}", snake(&name.rust)),
                    ty,
                    features,
                }
            })
            .collect();
        ErrorTable { entries }
    }

    pub fn decoder(&self, ty: &TypeRef) -> Option<&Ident> {
        self.entries
            .iter()
            .find(|e| &e.ty == ty)
            .map(|e| &e.decoder)
    }

    pub fn module(&self, ctx: &Context) -> TokenStream {
        let variants = self.entries.iter().map(|e| {
            let (variant, ty) = (&e.variant, ctx.type_expr(&e.ty));
            let cfg = cfg_features(&e.features);
            let ty = if ctx.is_struct(&e.ty) {
                quote!(::std::boxed::Box<#ty>)
            } else {
                ty
            };
            quote!(#cfg #variant(#ty),)
        });
        let decoders = self.entries.iter().map(|e| {
            let (variant, decoder) = (&e.variant, &e.decoder);
            let cfg = cfg_features(&e.features);
            quote! {
                #cfg
                pub(crate) fn #decoder(body: &[u8]) -> ::std::result::Result<ApiErrorBody, ::serde_json::Error> {
                    ::serde_json::from_slice(body).map(ApiErrorBody::#variant)
                }
            }
        });
        quote! {
            //! Typed bodies of the error responses the spec declares.

            /// The typed body of an error response, chosen by the operation's declared
            /// schema for the response status.
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub enum ApiErrorBody {
                #(#variants)*
            }

            #(#decoders)*
        }
    }
}
