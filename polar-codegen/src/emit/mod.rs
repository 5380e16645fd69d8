//! IR → Rust (and Cargo.toml) source files for the `polar-generated` crate.

mod awaiting;
mod builders;
mod cargo;
mod catalog;
mod context;
mod docs;
mod errors;
mod features;
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
use crate::plan::{Plan, ServicePlan, GENERATED_DIR};

pub use crate::output::GeneratedFile;
pub use context::{ident, Context};

/// Emit every file of the generated SDK crate (its tests' support files are
/// [`crate::test_support`]'s job).
pub fn emit(plan: &Plan) -> Result<Vec<GeneratedFile>> {
    let ctx = Context::new(plan);
    let api = plan.api;
    let mut files: BTreeMap<String, TokenStream> = BTreeMap::new();

    // Models: one file per type, gated by the features that reach it.
    let mut model_mods = Vec::new();
    let mut defs: Vec<_> = plan.types.iter().collect();
    defs.sort_by(|a, b| a.1.name.cmp(&b.1.name));
    for (id, type_plan) in defs {
        let module_ident = context::ident(&type_plan.module);
        let name = context::ident(&type_plan.name);
        let cfg = context::cfg_features(&type_plan.features);
        model_mods.push(quote! {
            #cfg mod #module_ident;
            #cfg pub use #module_ident::#name;
        });
        let def = &api.types[id];
        files.insert(type_plan.file.clone(), {
            let model = models::model(&ctx, def);
            let builders = builders::builders(&ctx, def);
            quote!(#model #builders)
        });
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
    files.insert(format!("{GENERATED_DIR}/errors.rs"), errors::module(&ctx));
    files.insert(
        format!("{GENERATED_DIR}/webhooks.rs"),
        webhooks::module(&ctx),
    );

    // Services: a module tree mirroring the nested `x-speakeasy-group`s.
    let mut top_mods = Vec::new();
    for child in &plan.services {
        let module = context::ident(&child.module);
        let cfg = context::cfg_features([&child.feature]);
        top_mods.push(quote!(#cfg pub mod #module;));
        service_files(&ctx, child, &mut files);
    }
    let accessors = services::client_accessors(&plan.services);
    files.insert(
        format!("{GENERATED_DIR}/services/mod.rs"),
        quote! {
            //! Every operation, grouped into services by `x-speakeasy-group`.
            #(#top_mods)*
            #accessors
        },
    );

    files.insert(format!("{GENERATED_DIR}/mod.rs"), root_module(api));
    let workflow_catalog = crate::plan::catalog::catalog(plan);
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
    out.push(GeneratedFile {
        path: catalog::CATALOG_JSON.to_owned(),
        contents: catalog::catalog_json(&workflow_catalog)?,
    });
    out.push(GeneratedFile {
        path: "Cargo.toml".to_owned(),
        contents: cargo::cargo_toml(plan)?,
    });
    out.push(GeneratedFile {
        path: "FEATURES.md".to_owned(),
        contents: features::features_md(plan)?,
    });
    Ok(out)
}

fn service_files(ctx: &Context, node: &ServicePlan, files: &mut BTreeMap<String, TokenStream>) {
    files.insert(node.file.clone(), services::service(ctx, node));
    for child in &node.children {
        service_files(ctx, child, files);
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
