//! `IntoFuture` for operation builders, so `client.products().get(id).await?` works
//! without `.send()` (which stays, for callers that name the future).

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::context::Context;
use crate::ir::{Operation, ResponseBody};

/// What a successful call returns.
pub fn return_type(ctx: &Context, op: &Operation) -> TokenStream {
    match &op.success.body {
        ResponseBody::Json(ty) => ctx.type_expr(ty),
        ResponseBody::Text { .. } => quote!(::std::string::String),
        ResponseBody::Bytes { .. } => quote!(::bytes::Bytes),
        ResponseBody::Empty => quote!(()),
    }
}

/// `impl IntoFuture for Builder<'a>`: the boxed future of `send()`.
pub fn into_future_impl(ctx: &Context, op: &Operation, builder: &Ident) -> TokenStream {
    let ret = return_type(ctx, op);
    quote! {
        impl<'a> ::std::future::IntoFuture for #builder<'a> {
            type Output = ::std::result::Result<#ret, crate::Error>;
            type IntoFuture = ::std::pin::Pin<::std::boxed::Box<
                dyn ::std::future::Future<Output = Self::Output> + ::std::marker::Send + 'a,
            >>;
            // `inline`: like a generic, compiled only where a caller awaits the builder, so
            // the crate does not build every operation's future up front.
            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }
    }
}
