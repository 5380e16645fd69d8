//! Operations as methods: one service struct per `x-speakeasy-group` (nested by `.`),
//! one request builder per operation. Required parameters are method arguments,
//! optional ones builder setters; `send()` hands a `RequestSpec` to the runtime.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::{cfg_features, ident, Context};
use super::docs::{doc_attrs, doc_attrs_for};
use crate::ir::{
    BodyEncoding, HttpMethod, Operation, ParamLocation, ParamStyle, Parameter, PathSegment,
    ResponseBody, TypeRef,
};
use crate::plan::ServicePlan;

/// The accessor methods on `Client` for the top-level services.
pub fn client_accessors(services: &[ServicePlan]) -> TokenStream {
    let accessors = services.iter().map(|child| {
        let method = ident(&child.accessor);
        let module = ident(&child.module);
        let ty = ident(&child.type_name);
        let cfg = cfg_features([&child.feature]);
        let doc = format!(" Operations of the `{}` group.", child.group);
        quote! {
            #cfg
            #[doc = #doc]
            pub fn #method(&self) -> crate::services::#module::#ty<'_> {
                crate::services::#module::#ty { client: self }
            }
        }
    });
    quote! {
        impl crate::Client {
            #(#accessors)*
        }
    }
}

/// The module body for one service node: the service struct, its operation methods,
/// accessors for nested services and one builder per operation.
pub fn service(ctx: &Context, node: &ServicePlan) -> TokenStream {
    let ty = ident(&node.type_name);
    let doc = format!(" Operations of the `{}` group.", node.group);
    let mut methods = Vec::new();
    let mut builders = Vec::new();
    for &index in &node.operations {
        let op = &ctx.api.operations[index];
        let (method_tokens, builder_tokens) = operation(ctx, op);
        methods.push(method_tokens);
        builders.push(builder_tokens);
    }
    let children = node.children.iter().map(|child| {
        let accessor = ident(&child.accessor);
        let module = ident(&child.module);
        let child_ty = ident(&child.type_name);
        let doc = format!(" Operations of the `{}` group.", child.group);
        quote! {
            #[doc = #doc]
            pub fn #accessor(&self) -> #module::#child_ty<'a> {
                #module::#child_ty { client: self.client }
            }
        }
    });
    let child_mods = node.children.iter().map(|child| {
        let module = ident(&child.module);
        quote!(pub mod #module;)
    });
    quote! {
        #(#child_mods)*

        #[doc = #doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #ty<'a> {
            pub(crate) client: &'a crate::Client,
        }

        impl<'a> #ty<'a> {
            #(#methods)*
            #(#children)*
        }

        #(#builders)*
    }
}

struct Arg {
    name: proc_macro2::Ident,
    ty: TokenStream,
    /// The element type of a query filter that takes a list (`?id=a&id=b`): its setter
    /// takes `impl OneOrMany<element>`, so one value works as well as a list.
    list_element: Option<TokenStream>,
    required: bool,
    docs: TokenStream,
}

impl Arg {
    /// The type a setter or method argument takes, and how the argument `value` becomes
    /// the field's type.
    fn input(&self, value: &proc_macro2::Ident) -> (TokenStream, TokenStream) {
        match &self.list_element {
            Some(element) => (
                quote!(impl crate::runtime::one_or_many::OneOrMany<#element>),
                quote!(crate::runtime::one_or_many::OneOrMany::into_vec(#value)),
            ),
            None => {
                let ty = &self.ty;
                (
                    quote!(impl ::std::convert::Into<#ty>),
                    quote!(#value.into()),
                )
            }
        }
    }
}

fn operation(ctx: &Context, op: &Operation) -> (TokenStream, TokenStream) {
    let plan = ctx.plan.operation(op);
    let names = &plan.names;
    let builder = ident(&names.builder);
    let method_ident = ident(&names.method);
    let mut args: Vec<Arg> = op
        .params
        .iter()
        .zip(&plan.params)
        .map(|(p, rust)| Arg {
            name: ident(rust),
            ty: ctx.type_expr(&p.ty),
            list_element: match (&p.location, &p.ty) {
                (ParamLocation::Query, TypeRef::Array(element)) => Some(ctx.type_expr(element)),
                _ => None,
            },
            required: p.required,
            docs: doc_attrs_for(&p.docs, &p.name, &[]),
        })
        .collect();
    if let Some(body) = &op.body {
        args.push(Arg {
            name: ident("body"),
            ty: ctx.type_expr(&body.ty),
            list_element: None,
            required: body.required,
            docs: quote!(#[doc = " The request body."]),
        });
    }
    let fields = args.iter().map(|a| {
        let (name, ty) = (&a.name, &a.ty);
        if a.required {
            quote!(#name: #ty,)
        } else {
            quote!(#name: ::std::option::Option<#ty>,)
        }
    });
    let required: Vec<&Arg> = args.iter().filter(|a| a.required).collect();
    let params = required.iter().map(|a| {
        let name = &a.name;
        let (input, _) = a.input(name);
        quote!(#name: #input)
    });
    let inits = args.iter().map(|a| {
        let name = &a.name;
        if a.required {
            let (_, convert) = a.input(name);
            quote!(#name: #convert,)
        } else {
            quote!(#name: ::std::option::Option::None,)
        }
    });
    let setters = args.iter().filter(|a| !a.required).map(|a| {
        let (name, docs) = (&a.name, &a.docs);
        let (input, convert) = a.input(&ident("value"));
        quote! {
            #docs
            pub fn #name(mut self, value: #input) -> Self {
                self.#name = ::std::option::Option::Some(#convert);
                self
            }
        }
    });
    let mut extra = vec![format!(
        "`{} {}` (operationId `{}`).",
        op.http_method.as_str(),
        op.path,
        op.operation_id
    )];
    if op.docs.deprecated {
        extra.push("**Deprecated** in the Polar API.".to_owned());
    }
    let errors: Vec<String> = op
        .errors
        .iter()
        .filter_map(|e| {
            let plan = ctx.plan.error_for(&e.ty)?;
            Some(format!(
                "HTTP {}: `ApiErrorBody::{}`",
                e.status, plan.variant
            ))
        })
        .collect();
    if !errors.is_empty() {
        extra.push(format!(
            "Error bodies the spec declares (read with `err.api_body()`): {}.",
            errors.join("; ")
        ));
    }
    let docs = doc_attrs(&op.docs, &extra);
    let deprecated = if op.docs.deprecated {
        let note = match op.docs.description.as_deref() {
            Some(description) if op.restored => description,
            _ if op.restored => "Polar no longer lists this endpoint publicly",
            _ => "deprecated in the Polar API",
        };
        quote!(#[deprecated(note = #note)])
    } else {
        quote!()
    };
    let cfg_doc = format!(" Builder for [`{}::{}`].", names.service, names.method);
    let send = send_fn(ctx, op);
    let into_future = super::awaiting::into_future_impl(ctx, op, &builder);
    let stream = op
        .pagination
        .as_ref()
        .zip(plan.pagination.as_ref())
        .map(|(p, names)| {
            let item = ctx.type_expr(&p.item);
            let page = ident(&names.page_setter);
            let items = ident(&names.items_field);
            let last_page = names.last_page_path.iter().map(|f| ident(f));
            let operation_id = &op.operation_id;
            quote! {
                /// All items of every page, fetched lazily with this request's filters: walk
                /// them with `.next().await` or `.next_page().await`, collect them with
                /// `.collect_all(max_items)`, or use the `Stream`. Stops after the last page
                /// (`pagination.max_page`) or at an empty page.
                pub fn stream(self) -> crate::runtime::pagination::Paginator<'a, #item> {
                    let first = self.#page.unwrap_or(1);
                    crate::runtime::pagination::paginate(#operation_id, first, move |page| {
                        let request = self.clone().#page(page);
                        async move {
                            let response = request.send().await?;
                            ::std::result::Result::Ok((response.#items, response #(.#last_page)*))
                        }
                    })
                }
            }
        });
    let method_tokens = quote! {
        #docs
        #deprecated
        pub fn #method_ident(&self, #(#params),*) -> #builder<'a> {
            #builder {
                client: self.client,
                #(#inits)*
                options: ::std::default::Default::default(),
            }
        }
    };
    let builder_tokens = quote! {
        #[doc = #cfg_doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request builder does nothing until it is awaited (or `.send()` is)"]
        pub struct #builder<'a> {
            client: &'a crate::Client,
            #(#fields)*
            options: crate::runtime::RequestOptions,
        }

        impl<'a> #builder<'a> {
            #(#setters)*

            /// Per-call overrides of the client's timeout and retry settings.
            pub fn options(mut self, options: crate::runtime::RequestOptions) -> Self {
                self.options = options;
                self
            }

            #send
            #stream
        }

        #into_future
    };
    (method_tokens, builder_tokens)
}

fn send_fn(ctx: &Context, op: &Operation) -> TokenStream {
    let params = &ctx.plan.operation(op).params;
    let query = op
        .params
        .iter()
        .zip(params)
        .filter(|(p, _)| p.location == ParamLocation::Query)
        .map(|(p, rust)| query_push(p, rust));
    let headers = op.params.iter().zip(params).filter(|(p, _)| p.location == ParamLocation::Header).map(|(p, rust)| {
        let name = ident(rust);
        let wire = &p.name;
        if p.required {
            quote!(headers.push((::std::borrow::Cow::Borrowed(#wire), crate::runtime::query::QueryValue::to_query_value(&self.#name)));)
        } else {
            quote! {
                if let ::std::option::Option::Some(value) = &self.#name {
                    headers.push((::std::borrow::Cow::Borrowed(#wire), crate::runtime::query::QueryValue::to_query_value(value)));
                }
            }
        }
    });
    let (path_lets, path) = path_expr(op, params);
    let path_template = &op.path;
    let body = match &op.body {
        None => quote!(crate::runtime::request::Body::None),
        Some(body) => {
            let encode = match body.encoding {
                BodyEncoding::Json => quote!(crate::runtime::request::Body::Json(
                    crate::runtime::request::to_json(value)?
                )),
                BodyEncoding::Form => quote!(crate::runtime::request::Body::Form(
                    crate::runtime::request::to_form(value)?
                )),
            };
            if body.required {
                quote!({ let value = &self.body; #encode })
            } else {
                quote! {
                    match &self.body {
                        ::std::option::Option::Some(value) => #encode,
                        ::std::option::Option::None => crate::runtime::request::Body::None,
                    }
                }
            }
        }
    };
    let method = match op.http_method {
        HttpMethod::Get => quote!(Get),
        HttpMethod::Post => quote!(Post),
        HttpMethod::Put => quote!(Put),
        HttpMethod::Patch => quote!(Patch),
        HttpMethod::Delete => quote!(Delete),
        HttpMethod::Head => quote!(Head),
    };
    let auth = ident(ctx.plan.operation(op).credential.variant());
    let (expect, ret, finish) = match &op.success.body {
        ResponseBody::Json(ty) => (quote!(Json), ctx.type_expr(ty), quote!(response.json())),
        ResponseBody::Text { content_type } => (
            quote!(Text { content_type: #content_type }),
            quote!(::std::string::String),
            quote!(response.text()),
        ),
        ResponseBody::Bytes { content_type } => (
            quote!(Bytes { content_type: #content_type }),
            quote!(::bytes::Bytes),
            quote!(response.bytes()),
        ),
        ResponseBody::Empty => (quote!(Empty), quote!(()), quote!(response.empty())),
    };
    let error_entries = op.errors.iter().filter_map(|e| {
        let decoder = ident(&ctx.plan.error_for(&e.ty)?.decoder);
        let status = e.status;
        Some(quote!((#status, crate::errors::#decoder)))
    });
    let operation_id = &op.operation_id;
    let has_headers = op
        .params
        .iter()
        .any(|p| p.location == ParamLocation::Header);
    let headers_decl = if has_headers {
        quote!(let mut headers = ::std::vec::Vec::new();)
    } else {
        quote!(let headers = ::std::vec::Vec::new();)
    };
    let has_query = op.params.iter().any(|p| p.location == ParamLocation::Query);
    let query_decl = if has_query {
        quote!(let mut query = crate::runtime::query::Query::new();)
    } else {
        quote!(let query = crate::runtime::query::Query::new();)
    };
    quote! {
        /// Send the request.
        pub async fn send(self) -> ::std::result::Result<#ret, crate::Error> {
            // First, so that later locals cannot shadow a path parameter's name.
            #path_lets
            let path = #path;
            #query_decl
            #(#query)*
            #headers_decl
            #(#headers)*
            let spec = crate::runtime::request::RequestSpec {
                operation_id: #operation_id,
                method: crate::runtime::request::Method::#method,
                path,
                path_template: #path_template,
                query,
                headers,
                body: #body,
                auth: crate::runtime::request::Auth::#auth,
                expect: crate::runtime::request::Expect::#expect,
                errors: &[#(#error_entries),*],
                options: self.options,
            };
            let response = self.client.execute(spec).await?;
            #finish
        }
    }
}

/// Adds parameter `p` (the builder field `rust`) to the query string.
fn query_push(p: &Parameter, rust: &str) -> TokenStream {
    let name = ident(rust);
    let wire = &p.name;
    let push = |value: TokenStream| match (&p.ty, p.style) {
        (TypeRef::Map { .. }, ParamStyle::DeepObject) => {
            quote!(query.push_deep_object(#wire, #value);)
        }
        (TypeRef::Array(_), _) => quote!(query.push_each(#wire, #value);),
        (TypeRef::Primitive(_) | TypeRef::Literal(_), _) => quote!(query.push(#wire, #value);),
        // A named alias of a map (e.g. `MetadataQuery`, an optional map): still deepObject.
        (_, ParamStyle::DeepObject) => {
            quote!(query.push_deep_object_serialized(#wire, #value);)
        }
        _ => quote!(query.push_serialized(#wire, #value);),
    };
    if p.required {
        push(quote!(&self.#name))
    } else {
        let body = push(quote!(value));
        quote! {
            if let ::std::option::Option::Some(value) = &self.#name {
                #body
            }
        }
    }
}

/// The request path: one `let` per path parameter (percent-encoded as a segment),
/// then `format!("/v1/customers/{}", id)`.
fn path_expr(op: &Operation, params: &[String]) -> (TokenStream, TokenStream) {
    let mut template = String::new();
    let mut lets = Vec::new();
    let mut args = Vec::new();
    for segment in &op.path_template.segments {
        match segment {
            PathSegment::Literal(text) => {
                template.push_str(&text.replace('{', "{{").replace('}', "}}"))
            }
            PathSegment::Param(wire) => {
                template.push_str("{}");
                // Normalize guarantees that every placeholder is a declared path parameter.
                let param = op
                    .params
                    .iter()
                    .zip(params)
                    .find(|(p, _)| p.location == ParamLocation::Path && &p.name == wire)
                    .map(|(_, rust)| ident(rust))
                    .unwrap_or_else(|| ident(wire));
                lets.push(quote!(let #param = crate::runtime::query::path_segment(&self.#param);));
                args.push(param);
            }
        }
    }
    let path = if args.is_empty() {
        quote!(::std::string::String::from(#template))
    } else {
        quote!(::std::format!(#template, #(#args),*))
    };
    (quote!(#(#lets)*), path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Docs, ParamLocation, Primitive, TypeId};

    fn param(ty: TypeRef, style: ParamStyle) -> Parameter {
        Parameter {
            name: "metadata".to_owned(),
            location: ParamLocation::Query,
            ty,
            required: false,
            style,
            docs: Docs::default(),
        }
    }

    #[test]
    fn deep_object_params_stay_deep_object_behind_named_aliases() {
        let direct = param(
            TypeRef::string_map(TypeRef::Primitive(Primitive::String)),
            ParamStyle::DeepObject,
        );
        assert!(query_push(&direct, "metadata")
            .to_string()
            .contains("push_deep_object (\"metadata\""));
        // `MetadataQuery`: a named alias of an optional map.
        let aliased = param(
            TypeRef::Named(TypeId("MetadataQuery".into())),
            ParamStyle::DeepObject,
        );
        assert!(query_push(&aliased, "metadata")
            .to_string()
            .contains("push_deep_object_serialized (\"metadata\""));
        let form = param(TypeRef::Named(TypeId("Status".into())), ParamStyle::Form);
        assert!(query_push(&form, "metadata")
            .to_string()
            .contains("push_serialized (\"metadata\""));
    }
}
