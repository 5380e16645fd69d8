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

use std::sync::atomic::{AtomicUsize, Ordering};

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::Result;
use crate::format::format_rust;
use crate::ir::{Api, TypeId};
use crate::plan::catalog::Catalog;
use crate::plan::{Plan, ServicePlan, GENERATED_DIR};

pub use crate::output::GeneratedFile;
pub use context::{ident, Context};

/// Emit every file of the generated SDK crate (its tests' support files are
/// [`crate::test_support`]'s job).
///
/// Printing and formatting ~780 files is most of a regeneration, and each file is
/// independent: they are printed on every core. `proc_macro2` tokens cannot cross
/// threads, so a worker gets a `RustFile` and makes its tokens itself. The output is
/// the same whatever the number of threads.
pub fn emit(plan: &Plan) -> Result<Vec<GeneratedFile>> {
    let workflow_catalog = crate::plan::catalog::catalog(plan);
    let mut jobs = vec![
        RustFile::ModelsMod,
        RustFile::Literals,
        RustFile::Errors,
        RustFile::Webhooks,
        RustFile::ServicesMod,
        RustFile::Root,
        RustFile::CatalogData,
        RustFile::Invoke,
    ];
    jobs.extend(plan.types.keys().map(RustFile::Model));
    let mut services = Vec::new();
    for child in &plan.services {
        collect_services(child, &mut services);
    }
    jobs.extend(services.into_iter().map(RustFile::Service));

    let mut out = parallel_map(&jobs, |job| {
        let ctx = Context::new(plan);
        let (path, tokens) = render(&ctx, job, &workflow_catalog);
        let contents = format_rust(tokens, &path)?;
        Ok(GeneratedFile { path, contents })
    })?;
    out.sort_by(|a, b| a.path.cmp(&b.path));
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

/// One generated Rust file, named without tokens so that any thread can print it.
enum RustFile<'p> {
    /// One model (and its builders) per file.
    Model(&'p TypeId),
    ModelsMod,
    Literals,
    Errors,
    Webhooks,
    /// A service and its request builders.
    Service(&'p ServicePlan),
    ServicesMod,
    Root,
    CatalogData,
    Invoke,
}

/// The path and tokens of one file.
fn render(ctx: &Context, job: &RustFile, workflow_catalog: &Catalog) -> (String, TokenStream) {
    let plan = ctx.plan;
    match job {
        RustFile::Model(id) => {
            let def = &plan.api.types[*id];
            let model = models::model(ctx, def);
            let builders = builders::builders(ctx, def);
            (plan.types[*id].file.clone(), quote!(#model #builders))
        }
        RustFile::ModelsMod => {
            // Models: one file per type, gated by the features that reach it.
            let mut types: Vec<_> = plan.types.iter().collect();
            types.sort_by(|a, b| a.1.name.cmp(&b.1.name));
            let model_mods = types.into_iter().map(|(id, type_plan)| {
                let module_ident = context::ident(&type_plan.module);
                let name = context::ident(&type_plan.name);
                let cfg = context::cfg_features(&type_plan.features);
                let required = plan
                    .builder(id)
                    .and_then(|b| b.required.as_deref())
                    .map(context::ident);
                let exported = match required {
                    Some(required) => quote!({#name, #required}),
                    None => quote!(#name),
                };
                quote! {
                    #cfg mod #module_ident;
                    #cfg pub use #module_ident::#exported;
                }
            });
            (
                format!("{GENERATED_DIR}/models/mod.rs"),
                quote! {
                    //! Typed models for the schemas the operations and webhooks use.
                    #(#model_mods)*
                },
            )
        }
        RustFile::Literals => (
            format!("{GENERATED_DIR}/literals.rs"),
            models::literals(ctx),
        ),
        RustFile::Errors => (format!("{GENERATED_DIR}/errors.rs"), errors::module(ctx)),
        RustFile::Webhooks => (
            format!("{GENERATED_DIR}/webhooks.rs"),
            webhooks::module(ctx),
        ),
        RustFile::Service(node) => (node.file.clone(), services::service(ctx, node)),
        RustFile::ServicesMod => {
            // Services: a module tree mirroring the nested `x-speakeasy-group`s.
            let top_mods = plan.services.iter().map(|child| {
                let module = context::ident(&child.module);
                let cfg = context::cfg_features([&child.feature]);
                quote!(#cfg pub mod #module;)
            });
            let accessors = services::client_accessors(&plan.services);
            (
                format!("{GENERATED_DIR}/services/mod.rs"),
                quote! {
                    //! Every operation, grouped into services by `x-speakeasy-group`.
                    #(#top_mods)*
                    #accessors
                },
            )
        }
        RustFile::Root => (format!("{GENERATED_DIR}/mod.rs"), root_module(plan.api)),
        RustFile::CatalogData => (catalog::data_path(), catalog::data_module(workflow_catalog)),
        RustFile::Invoke => (invoke::invoke_path(), invoke::module(ctx)),
    }
}

fn collect_services<'p>(node: &'p ServicePlan, out: &mut Vec<&'p ServicePlan>) {
    out.push(node);
    for child in &node.children {
        collect_services(child, out);
    }
}

/// `f` over `items` on every available core (each thread takes the next unclaimed
/// item), results in the order of `items`; the first error in that order wins.
fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> Result<R> + Sync,
) -> Result<Vec<R>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(items.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(index) else {
                return done;
            };
            done.push((index, f(item)));
        }
    };
    let mut results: Vec<(usize, Result<R>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut all = work();
        for worker in workers {
            match worker.join() {
                Ok(done) => all.extend(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        all
    });
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn parallel_map_keeps_order_and_reports_the_first_error() {
        let items: Vec<usize> = (0..500).collect();
        let doubled = parallel_map(&items, |i| Ok(i * 2)).unwrap();
        assert_eq!(doubled, items.iter().map(|i| i * 2).collect::<Vec<_>>());

        let failing = parallel_map(&items, |&i| {
            if i % 100 == 37 {
                Err(Error::Other(format!("item {i}")))
            } else {
                Ok(i)
            }
        });
        assert!(
            matches!(&failing, Err(Error::Other(message)) if message == "item 37"),
            "{failing:?}"
        );
        assert!(parallel_map(&[] as &[usize], |i| Ok(*i))
            .unwrap()
            .is_empty());
    }
}
