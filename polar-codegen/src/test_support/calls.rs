//! `polar-generated/tests/support/operation_calls.rs`: a dispatcher that calls any
//! operation by operationId with arguments given as JSON. Tests use it to reach every
//! operation through the public client API (builders and all), e.g. the conformance
//! run against a spec-driven mock.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::{ident, Context};
use crate::ir::Operation;
use crate::plan::OperationPlan;

/// Path of the dispatcher, relative to the `polar-generated` crate root.
pub const CALLS_PATH: &str = "tests/support/operation_calls.rs";

pub fn module(api_ctx: &Context) -> TokenStream {
    let ops = &api_ctx.api.operations;
    let plans = &api_ctx.plan.operations;
    let ids: Vec<&String> = ops.iter().map(|op| &op.operation_id).collect();
    let arms = ops.iter().enumerate().map(|(i, op)| {
        let id = &op.operation_id;
        let f = format_ident!("call_{}", i);
        quote!(#id => #f(client, args).await,)
    });
    let fns = ops
        .iter()
        .zip(plans)
        .enumerate()
        .map(|(i, (op, plan))| call_fn(api_ctx, i, op, plan));
    quote! {
        //! Calls any operation by operationId with JSON arguments (keys: the Rust
        //! parameter names, plus `body`), through the public client API.
        #![allow(deprecated, dead_code, unused_variables, clippy::all)]

        use ::serde_json::{Map, Value};

        /// Why a dispatched call failed.
        #[derive(Debug)]
        pub enum CallError {
            /// An argument was missing or did not decode into the parameter's type.
            Argument { name: &'static str, message: ::std::string::String },
            /// The call itself failed.
            Api(::polar::Error),
            /// The typed result could not be re-encoded as JSON.
            Encode(::std::string::String),
        }

        fn required<T: ::serde::de::DeserializeOwned>(args: &Map<::std::string::String, Value>, name: &'static str) -> ::std::result::Result<T, CallError> {
            let value = args.get(name).cloned().ok_or(CallError::Argument { name, message: "missing".into() })?;
            ::serde_json::from_value(value).map_err(|err| CallError::Argument { name, message: err.to_string() })
        }

        fn optional<T: ::serde::de::DeserializeOwned>(args: &Map<::std::string::String, Value>, name: &'static str) -> ::std::result::Result<::std::option::Option<T>, CallError> {
            match args.get(name) {
                ::std::option::Option::None | ::std::option::Option::Some(Value::Null) => Ok(None),
                ::std::option::Option::Some(value) => ::serde_json::from_value(value.clone())
                    .map(Some)
                    .map_err(|err| CallError::Argument { name, message: err.to_string() }),
            }
        }

        fn encode<T: ::serde::Serialize>(value: &T) -> ::std::result::Result<Value, CallError> {
            ::serde_json::to_value(value).map_err(|err| CallError::Encode(err.to_string()))
        }

        /// Every operationId the generated client offers.
        pub const OPERATION_IDS: &[&str] = &[#(#ids),*];

        /// Call `operation_id` with `args`; `None` if the operation is unknown.
        pub async fn call(
            client: &::polar::Client,
            operation_id: &str,
            args: &Map<::std::string::String, Value>,
        ) -> ::std::option::Option<::std::result::Result<Value, CallError>> {
            Some(match operation_id {
                #(#arms)*
                _ => return None,
            })
        }

        #(#fns)*
    }
}

fn call_fn(ctx: &Context, index: usize, op: &Operation, plan: &OperationPlan) -> TokenStream {
    let f = format_ident!("call_{}", index);
    let accessors = plan.names.accessors.iter().map(|g| {
        let g = ident(g);
        quote!(.#g())
    });
    let method = ident(&plan.names.method);
    let mut required_args = Vec::new();
    let mut setters = Vec::new();
    let params = op
        .params
        .iter()
        .zip(&plan.params)
        .map(|(p, rust)| (rust.clone(), p.ty.clone(), p.required));
    let body = op
        .body
        .iter()
        .map(|b| ("body".to_owned(), b.ty.clone(), b.required));
    for (name, ty, required) in params.chain(body) {
        let ty = ctx.type_expr(&ty);
        let setter = ident(&name);
        if required {
            required_args.push(quote!(required::<#ty>(args, #name)?));
        } else {
            setters.push(quote! {
                if let ::std::option::Option::Some(value) = optional::<#ty>(args, #name)? {
                    request = request.#setter(value);
                }
            });
        }
    }
    let mutability = if setters.is_empty() {
        quote!()
    } else {
        quote!(mut)
    };
    quote! {
        async fn #f(client: &::polar::Client, args: &Map<::std::string::String, Value>) -> ::std::result::Result<Value, CallError> {
            let #mutability request = client #(#accessors)* .#method(#(#required_args),*);
            #(#setters)*
            let result = request.send().await.map_err(CallError::Api)?;
            encode(&result)
        }
    }
}
