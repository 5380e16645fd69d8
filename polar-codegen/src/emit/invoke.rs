//! `src/generated/invoke.rs`: runs any action by operationId with JSON arguments,
//! behind `Client::invoke`. Each action decodes its arguments into the typed parameters
//! and body first (nothing is sent if one does not fit), then calls the typed builder,
//! so auth, retries, request options and typed errors are those of the typed call.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::context::{cfg_features, ident, Context};
use super::GENERATED_DIR;
use crate::ir::{Operation, ParamLocation, TypeRef};
use crate::workflow::input::{BodyInput, InputPlan};

/// The dispatcher's file, relative to the crate root.
pub fn invoke_path() -> String {
    format!("{GENERATED_DIR}/invoke.rs")
}

pub fn module(ctx: &Context) -> TokenStream {
    let ops = &ctx.api.operations;
    let arms = ops.iter().enumerate().map(|(i, op)| {
        let id = &op.operation_id;
        let f = format_ident!("invoke_{}", i);
        let cfg = cfg_features([&ctx.plan.operation(op).feature]);
        quote!(#cfg #id => #f(client, args, pages).await,)
    });
    let fns = ops.iter().enumerate().map(|(i, op)| invoke_fn(ctx, i, op));
    quote! {
        //! Every action by operationId, with JSON arguments (see `crate::catalog`).
        #![allow(deprecated, unused_mut, clippy::all)]

        use crate::catalog::invoke_support::{Arguments, Pages};
        use crate::catalog::InvokeError;

        /// Run `id`; `None` when the action is not compiled in (its feature is off) or
        /// unknown. Arguments were checked against the action's names by the caller.
        pub(crate) async fn dispatch(
            client: &crate::Client,
            id: &str,
            args: Arguments,
            pages: Pages,
        ) -> ::std::option::Option<::std::result::Result<::serde_json::Value, InvokeError>> {
            let _ = (client, &args, pages);
            ::std::option::Option::Some(match id {
                #(#arms)*
                _ => return ::std::option::Option::None,
            })
        }

        #(#fns)*
    }
}

fn invoke_fn(ctx: &Context, index: usize, op: &Operation) -> TokenStream {
    let f = format_ident!("invoke_{}", index);
    // The names the plan gave the typed method, so `invoke` calls exactly what users call.
    let op_plan = ctx.plan.operation(op);
    let cfg = cfg_features([&op_plan.feature]);
    let plan = InputPlan::new(ctx.api, op);
    let accessors = op_plan.names.accessors.iter().map(|g| {
        let g = ident(g);
        quote!(.#g())
    });
    let method = ident(&op_plan.names.method);
    let mut decodes = Vec::new();
    let mut required_args = Vec::new();
    let mut setters = Vec::new();
    for (i, param) in op.params.iter().enumerate() {
        let var = format_ident!("p{}", i);
        let wire = &param.name;
        let ty = ctx.type_expr(&param.ty);
        // A list filter also takes a single value.
        let list = param.location == ParamLocation::Query && matches!(param.ty, TypeRef::Array(_));
        let decode = match (param.required, list) {
            (true, false) => quote!(args.required::<#ty>(#wire)?),
            (true, true) => quote!(args.required_list::<#ty>(#wire)?),
            (false, false) => quote!(args.optional::<#ty>(#wire)?),
            (false, true) => quote!(args.optional_list::<#ty>(#wire)?),
        };
        decodes.push(quote!(let #var = #decode;));
        if param.required {
            required_args.push(quote!(#var));
        } else {
            let setter = ident(&op_plan.params[i]);
            setters.push(quote! {
                if let ::std::option::Option::Some(value) = #var {
                    request = request.#setter(value);
                }
            });
        }
    }
    let param_names: Vec<&String> = op.params.iter().map(|p| &p.name).collect();
    let body = match &plan.body {
        BodyInput::None => None,
        BodyInput::Merged { ty, required } => {
            let ty = ctx.type_expr(ty);
            let decode = if *required {
                quote!(args.merged_body::<#ty>(&[#(#param_names),*])?)
            } else {
                quote!(args.optional_merged_body::<#ty>(&[#(#param_names),*])?)
            };
            Some((decode, *required))
        }
        BodyInput::Whole { ty, required } => {
            let ty = ctx.type_expr(ty);
            let decode = if *required {
                quote!(args.required::<#ty>(crate::catalog::invoke_support::WHOLE_BODY)?)
            } else {
                quote!(args.optional::<#ty>(crate::catalog::invoke_support::WHOLE_BODY)?)
            };
            Some((decode, *required))
        }
    };
    if let Some((decode, required)) = body {
        decodes.push(quote!(let body = #decode;));
        if required {
            required_args.push(quote!(body));
        } else {
            setters.push(quote! {
                if let ::std::option::Option::Some(value) = body {
                    request = request.body(value);
                }
            });
        }
    }
    let call = match &op_plan.pagination {
        Some(p) => {
            let page = ident(&p.page_setter);
            quote! {
                match pages {
                    Pages::One => args.encode(&request.send().await?),
                    Pages::All => {
                        crate::catalog::invoke_support::all_pages(&args, |page| {
                            let request = request.clone().#page(page);
                            async move { request.send().await }
                        }).await
                    }
                }
            }
        }
        // Binary bodies travel in JSON as an array of byte values (the output schema says so).
        None if matches!(op.success.body, crate::ir::ResponseBody::Bytes { .. }) => quote! {
            let _ = pages;
            args.encode(&request.send().await?.to_vec())
        },
        None => quote! {
            let _ = pages;
            args.encode(&request.send().await?)
        },
    };
    quote! {
        #cfg
        async fn #f(client: &crate::Client, args: Arguments, pages: Pages) -> ::std::result::Result<::serde_json::Value, InvokeError> {
            #(#decodes)*
            let mut request = client #(#accessors)* .#method(#(#required_args),*);
            #(#setters)*
            #call
        }
    }
}
