//! IR → Rust (and Cargo.toml) source files for the `polar-generated` crate.

mod calls;
mod cargo;
mod catalog;
mod context;
mod docs;
mod errors;
mod features;
mod fixtures;
mod invoke;
mod models;
mod services;
mod webhooks;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::Result;
use crate::format::format_rust;
use crate::ir::Api;
use crate::names::{snake, Namespace, RustName};

pub use context::Context;

/// Directory (relative to the crate root) that holds every generated Rust file.
pub const GENERATED_DIR: &str = "src/generated";

/// One output file, relative to the `polar-generated` crate root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

/// Emit every file of the generated crate.
pub fn emit(api: &Api) -> Result<Vec<GeneratedFile>> {
    let ctx = Context::new(api);
    let errors = errors::ErrorTable::new(&ctx);
    let mut files: BTreeMap<String, TokenStream> = BTreeMap::new();

    // Models: one file per type, gated by the features that reach it.
    let mut module_names = Namespace::new();
    module_names.reserve("mod");
    let mut model_mods = Vec::new();
    let mut defs: Vec<_> = api.types.values().filter(|d| d.usage.is_used()).collect();
    defs.sort_by(|a, b| a.name.rust.cmp(&b.name.rust));
    for def in defs {
        let module = module_names.claim(RustName::value_name(&snake(&def.name.rust)));
        let module_ident = context::ident(&module.rust);
        let name = context::ident(&def.name.rust);
        let cfg = context::cfg_features(&def.features);
        model_mods.push(quote! {
            #cfg mod #module_ident;
            #cfg pub use #module_ident::#name;
        });
        files.insert(
            format!("{GENERATED_DIR}/models/{}.rs", module.rust),
            models::model(&ctx, def),
        );
    }
    files.insert(
        format!("{GENERATED_DIR}/models/mod.rs"),
        quote! {
            //! Typed models for the schemas the operations and webhooks use.
            #(#model_mods)*
        },
    );
    files.insert(
        format!("{GENERATED_DIR}/literals.rs"),
        models::literals(&ctx),
    );
    files.insert(format!("{GENERATED_DIR}/errors.rs"), errors.module(&ctx));
    files.insert(
        format!("{GENERATED_DIR}/webhooks.rs"),
        webhooks::module(&ctx),
    );

    // Services: a module tree mirroring the nested `x-speakeasy-group`s.
    let root = services::ServiceNode::tree(&api.operations);
    let mut top_mods = Vec::new();
    for child in root.children.values() {
        let module = context::ident(&child.path[0].rust);
        let cfg = context::cfg_features([&child.feature()]);
        top_mods.push(quote!(#cfg pub mod #module;));
        service_files(
            &ctx,
            &errors,
            child,
            &format!("{GENERATED_DIR}/services"),
            &mut files,
        );
    }
    let accessors = services::client_accessors(&root);
    files.insert(
        format!("{GENERATED_DIR}/services/mod.rs"),
        quote! {
            //! Every operation, grouped into services by `x-speakeasy-group`.
            #(#top_mods)*
            #accessors
        },
    );

    files.insert(format!("{GENERATED_DIR}/mod.rs"), root_module(api));
    let workflow_catalog = crate::workflow::catalog(api);
    files.insert(
        catalog::data_path(),
        catalog::data_module(&workflow_catalog),
    );
    files.insert(invoke::invoke_path(), invoke::module(&ctx));

    let mut out = Vec::with_capacity(files.len() + 1);
    for (path, tokens) in files {
        let contents = format_rust(tokens, &path)?;
        out.push(GeneratedFile { path, contents });
    }
    let calls_ctx = Context::external(api);
    out.push(GeneratedFile {
        path: calls::CALLS_PATH.to_owned(),
        contents: format_rust(calls::module(&calls_ctx), calls::CALLS_PATH)?,
    });
    for (path, contents) in fixtures::webhook_fixtures(api)? {
        out.push(GeneratedFile { path, contents });
    }
    out.push(GeneratedFile {
        path: catalog::CATALOG_JSON.to_owned(),
        contents: catalog::catalog_json(&workflow_catalog)?,
    });
    out.push(GeneratedFile {
        path: "Cargo.toml".to_owned(),
        contents: cargo::cargo_toml(api)?,
    });
    out.push(GeneratedFile {
        path: "FEATURES.md".to_owned(),
        contents: features::features_md(api)?,
    });
    Ok(out)
}

fn service_files(
    ctx: &Context,
    errors: &errors::ErrorTable,
    node: &services::ServiceNode,
    dir: &str,
    files: &mut BTreeMap<String, TokenStream>,
) {
    let module = &node.path.last().map(|p| p.rust.clone()).unwrap_or_default();
    let path = if node.children.is_empty() {
        format!("{dir}/{module}.rs")
    } else {
        format!("{dir}/{module}/mod.rs")
    };
    files.insert(path, services::service(ctx, errors, node));
    for child in node.children.values() {
        service_files(ctx, errors, child, &format!("{dir}/{module}"), files);
    }
}

fn root_module(api: &Api) -> TokenStream {
    let version = &api.info.version;
    let servers = api.servers.iter().map(|s| {
        let env = s.environment.clone().unwrap_or_default();
        let url = &s.url;
        quote!((#env, #url))
    });
    let title = format!(
        " Generated from the {} OpenAPI document, API version `{version}`.",
        api.info.title
    );
    quote! {
        #![doc = #title]
        #![allow(clippy::all, rustdoc::broken_intra_doc_links, rustdoc::bare_urls, rustdoc::invalid_html_tags)]

        pub mod literals;
        pub mod models;
        #[cfg(feature = "__client")]
        pub mod services;
        // Always compiled: the runtime's `Error` names `ApiErrorBody` in every build;
        // its variants are gated by the features whose operations declare them.
        pub(crate) mod errors;
        pub use errors::ApiErrorBody;
        #[cfg(feature = "webhooks")]
        mod webhooks;
        #[cfg(feature = "webhooks")]
        pub use webhooks::WebhookEvent;
        // The workflow catalog's data and by-id dispatcher, read by `crate::catalog`.
        #[cfg(feature = "catalog")]
        pub(crate) mod catalog_data;
        #[cfg(all(feature = "catalog", feature = "__client"))]
        pub(crate) mod invoke;

        /// The API version of the spec this crate was generated from, sent as `Polar-Version`.
        pub const API_VERSION: &str = #version;

        /// The spec's servers as `(environment, base URL)`.
        pub const SERVERS: &[(&str, &str)] = &[#(#servers),*];
    }
}
