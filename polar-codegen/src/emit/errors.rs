//! `ApiErrorBody`: one variant per error schema declared by any operation, and one
//! decoder function per variant for the runtime's per-operation status table.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::{cfg_features, ident, Context};

pub fn module(ctx: &Context) -> TokenStream {
    let errors = &ctx.plan.errors;
    let variants = errors.iter().map(|e| {
        let (variant, ty) = (ident(&e.variant), ctx.type_expr(&e.ty));
        let cfg = cfg_features(&e.features);
        let ty = if e.boxed {
            quote!(::std::boxed::Box<#ty>)
        } else {
            ty
        };
        quote!(#cfg #variant(#ty),)
    });
    let decoders = errors.iter().map(|e| {
        let (variant, decoder) = (ident(&e.variant), ident(&e.decoder));
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
