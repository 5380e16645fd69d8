//! Operations as methods: one service struct per `x-speakeasy-group` (nested by `.`),
//! one request builder per operation. Required parameters are method arguments,
//! optional ones builder setters; `send()` hands a `RequestSpec` to the runtime.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::context::{cfg_features, ident, Context};
use super::docs::doc_attrs;
use super::errors::ErrorTable;
use crate::ir::{
    AuthRequirement, BodyEncoding, HttpMethod, Operation, ParamLocation, ParamStyle, Parameter,
    ResponseBody, TypeRef,
};
use crate::names::{upper_camel, Namespace, RustName};

/// A node of the service tree.
#[derive(Default)]
pub struct ServiceNode<'a> {
    pub name: Option<RustName>,
    /// Path of group names from the root, e.g. `["customer_portal", "customers"]`.
    pub path: Vec<RustName>,
    pub operations: Vec<&'a Operation>,
    pub children: BTreeMap<String, ServiceNode<'a>>,
}

impl<'a> ServiceNode<'a> {
    pub fn tree(operations: &'a [Operation]) -> Self {
        let mut root = ServiceNode::default();
        for op in operations {
            let mut node = &mut root;
            for (depth, part) in op.group.iter().enumerate() {
                node = node
                    .children
                    .entry(part.rust.clone())
                    .or_insert_with(|| ServiceNode {
                        name: Some(part.clone()),
                        path: op.group[..=depth].to_vec(),
                        ..ServiceNode::default()
                    });
            }
            node.operations.push(op);
        }
        root
    }

    /// Rust type name of this service, e.g. `CustomerPortalCustomers`.
    pub fn type_name(&self) -> String {
        self.path.iter().map(|p| upper_camel(&p.wire)).collect()
    }

    /// The feature of the top-level group this node belongs to.
    pub fn feature(&self) -> String {
        self.operations
            .first()
            .map(|op| op.feature.clone())
            .or_else(|| self.children.values().next().map(|c| c.feature()))
            .unwrap_or_default()
    }
}

/// The accessor methods on `Client` for the top-level services.
pub fn client_accessors(root: &ServiceNode) -> TokenStream {
    let accessors = root.children.values().map(|child| {
        let method = ident(
            &child
                .name
                .as_ref()
                .map(|n| n.rust.clone())
                .unwrap_or_default(),
        );
        let module = method.clone();
        let ty = format_ident!("{}", child.type_name());
        let cfg = cfg_features([&child.feature()]);
        let doc = format!(" Operations of the `{}` group.", child.path[0].wire);
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
pub fn service(ctx: &Context, errors: &ErrorTable, node: &ServiceNode) -> TokenStream {
    let ty = format_ident!("{}", node.type_name());
    let doc = format!(
        " Operations of the `{}` group.",
        node.path
            .iter()
            .map(|p| p.wire.as_str())
            .collect::<Vec<_>>()
            .join(".")
    );
    let mut names = Namespace::new();
    let mut methods = Vec::new();
    let mut builders = Vec::new();
    for op in &node.operations {
        let method = names.claim(op.method_name.clone());
        let (method_tokens, builder_tokens) = operation(ctx, errors, node, op, &method);
        methods.push(method_tokens);
        builders.push(builder_tokens);
    }
    let children = node.children.values().map(|child| {
        let child_name = child
            .name
            .clone()
            .unwrap_or_else(|| RustName::value_name("service"));
        let accessor = ident(&names.claim(child_name.clone()).rust);
        let module = ident(&child_name.rust);
        let child_ty = format_ident!("{}", child.type_name());
        let doc = format!(
            " Operations of the `{}` group.",
            child
                .path
                .iter()
                .map(|p| p.wire.as_str())
                .collect::<Vec<_>>()
                .join(".")
        );
        quote! {
            #[doc = #doc]
            pub fn #accessor(&self) -> #module::#child_ty<'a> {
                #module::#child_ty { client: self.client }
            }
        }
    });
    let child_mods = node.children.values().map(|child| {
        let module = ident(
            &child
                .name
                .as_ref()
                .map(|n| n.rust.clone())
                .unwrap_or_default(),
        );
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
    required: bool,
    docs: TokenStream,
}

fn operation(
    ctx: &Context,
    errors: &ErrorTable,
    node: &ServiceNode,
    op: &Operation,
    method: &RustName,
) -> (TokenStream, TokenStream) {
    let builder = format_ident!("{}{}Builder", node.type_name(), upper_camel(&method.wire));
    let method_ident = ident(&method.rust);
    let mut args: Vec<Arg> = op
        .params
        .iter()
        .map(|p| Arg {
            name: ident(&p.name.rust),
            ty: ctx.type_expr(&p.ty),
            required: p.required,
            docs: doc_attrs(&p.docs, &[]),
        })
        .collect();
    if let Some(body) = &op.body {
        args.push(Arg {
            name: ident("body"),
            ty: ctx.type_expr(&body.ty),
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
        let (name, ty) = (&a.name, &a.ty);
        quote!(#name: impl ::std::convert::Into<#ty>)
    });
    let inits = args.iter().map(|a| {
        let name = &a.name;
        if a.required {
            quote!(#name: #name.into(),)
        } else {
            quote!(#name: ::std::option::Option::None,)
        }
    });
    let setters = args.iter().filter(|a| !a.required).map(|a| {
        let (name, ty, docs) = (&a.name, &a.ty, &a.docs);
        quote! {
            #docs
            pub fn #name(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                self.#name = ::std::option::Option::Some(value.into());
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
    let cfg_doc = format!(" Builder for [`{}::{}`].", node.type_name(), method.rust);
    let service_ty = format_ident!("{}", node.type_name());
    let _ = &service_ty;
    let send = send_fn(ctx, errors, op);
    let stream = op.pagination.as_ref().map(|p| {
        let item = ctx.type_expr(&p.item);
        let page = ident(&RustName::value_name(&p.page_param).rust);
        quote! {
            /// All items of every page, fetched lazily with this request's filters.
            /// Stops after the last page (`pagination.max_page`) or at an empty page.
            pub fn stream(self) -> impl ::futures_core::Stream<Item = ::std::result::Result<#item, crate::Error>> + 'a {
                let first = self.#page.unwrap_or(1);
                crate::runtime::pagination::paginate(first, move |page| {
                    let request = self.clone().#page(page);
                    async move {
                        let response = request.send().await?;
                        ::std::result::Result::Ok((response.items, response.pagination.max_page))
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
        #[must_use = "a request builder does nothing until `.send()` is awaited"]
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
    };
    (method_tokens, builder_tokens)
}

fn send_fn(ctx: &Context, errors: &ErrorTable, op: &Operation) -> TokenStream {
    let query = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .map(query_push);
    let headers = op.params.iter().filter(|p| p.location == ParamLocation::Header).map(|p| {
        let name = ident(&p.name.rust);
        let wire = &p.name.wire;
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
    let path = path_expr(op);
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
    let auth = match op.auth {
        AuthRequirement::None => quote!(None),
        AuthRequirement::AccessToken => quote!(AccessToken),
        AuthRequirement::CustomerSession => quote!(CustomerSession),
        AuthRequirement::CustomerOrMemberSession => quote!(CustomerOrMemberSession),
    };
    let (expect, ret, finish) = match &op.success.body {
        ResponseBody::Json(ty) => (quote!(Json), ctx.type_expr(ty), quote!(response.json())),
        ResponseBody::Text { .. } => (
            quote!(Text),
            quote!(::std::string::String),
            quote!(response.text()),
        ),
        ResponseBody::Bytes { .. } => (
            quote!(Bytes),
            quote!(::bytes::Bytes),
            quote!(response.bytes()),
        ),
        ResponseBody::Empty => (quote!(Empty), quote!(()), quote!(response.empty())),
    };
    let error_entries = op.errors.iter().filter_map(|e| {
        let decoder = errors.decoder(&e.ty)?;
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
            #query_decl
            #(#query)*
            #headers_decl
            #(#headers)*
            let spec = crate::runtime::request::RequestSpec {
                operation_id: #operation_id,
                method: crate::runtime::request::Method::#method,
                path: #path,
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

fn query_push(p: &Parameter) -> TokenStream {
    let name = ident(&p.name.rust);
    let wire = &p.name.wire;
    let push = |value: TokenStream| match (&p.ty, p.style) {
        (TypeRef::Map(_), ParamStyle::DeepObject) => quote!(query.push_deep_object(#wire, #value);),
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

/// `format!("/v1/customers/{}", path_segment(&self.id))` for a path template.
fn path_expr(op: &Operation) -> TokenStream {
    let mut template = String::new();
    let mut args = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        template.push_str(&rest[..start].replace('{', "{{").replace('}', "}}"));
        template.push_str("{}");
        let wire = &rest[start + 1..start + len];
        let param = op
            .params
            .iter()
            .find(|p| p.location == ParamLocation::Path && p.name.wire == wire)
            .map(|p| ident(&p.name.rust))
            .unwrap_or_else(|| ident(&RustName::value_name(wire).rust));
        args.push(quote!(crate::runtime::query::path_segment(&self.#param)));
        rest = &rest[start + len + 1..];
    }
    template.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    if args.is_empty() {
        quote!(::std::string::String::from(#template))
    } else {
        quote!(::std::format!(#template, #(#args),*))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Docs, ParamLocation, Primitive, TypeId};

    fn param(ty: TypeRef, style: ParamStyle) -> Parameter {
        Parameter {
            name: RustName::value_name("metadata"),
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
            TypeRef::Map(Box::new(TypeRef::Primitive(Primitive::String))),
            ParamStyle::DeepObject,
        );
        assert!(query_push(&direct)
            .to_string()
            .contains("push_deep_object (\"metadata\""));
        // `MetadataQuery`: a named alias of an optional map.
        let aliased = param(
            TypeRef::Named(TypeId("MetadataQuery".into())),
            ParamStyle::DeepObject,
        );
        assert!(query_push(&aliased)
            .to_string()
            .contains("push_deep_object_serialized (\"metadata\""));
        let form = param(TypeRef::Named(TypeId("Status".into())), ParamStyle::Form);
        assert!(query_push(&form)
            .to_string()
            .contains("push_serialized (\"metadata\""));
    }
}
