//! The workflow catalog, twice: `catalog.json` at the crate root (for platforms that
//! read files) and `src/generated/catalog_data.rs`, the same data as Rust statics behind
//! the `catalog` feature (listing needs no JSON parsing; each schema is JSON text parsed
//! on demand).

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::GENERATED_DIR;
use crate::error::{Error, Result};
use crate::plan::catalog::{Action, Catalog, Trigger};

/// Path of the catalog file, relative to the `polar-generated` crate root.
pub const CATALOG_JSON: &str = "catalog.json";

/// The generated statics' file, relative to the crate root.
pub fn data_path() -> String {
    format!("{GENERATED_DIR}/catalog_data.rs")
}

/// `catalog.json`: pretty-printed (so changes diff line by line), newline-terminated.
pub fn catalog_json(catalog: &Catalog) -> Result<String> {
    let mut text = serde_json::to_string_pretty(catalog)
        .map_err(|err| Error::Other(format!("encoding catalog.json: {err}")))?;
    text.push('\n');
    Ok(text)
}

/// The statics read by `polar::catalog`.
pub fn data_module(catalog: &Catalog) -> TokenStream {
    let groups = catalog.groups.iter().map(|g| {
        let (id, title, description) = (&g.id, &g.title, &g.description);
        quote!(crate::catalog::Group { id: #id, title: #title, description: #description },)
    });
    let triggers = catalog.triggers.iter().map(trigger);
    let mut actions: Vec<&Action> = catalog.actions.iter().collect();
    // Sorted by id: `catalog::action` looks ids up by binary search.
    actions.sort_by(|a, b| a.id.cmp(&b.id));
    let actions = actions.into_iter().map(action);
    let defs = catalog.defs.iter().map(|(id, schema)| {
        let text = compact(schema);
        quote!((#id, #text),)
    });
    let version = catalog.catalog_version;
    quote! {
        //! The workflow catalog as static data (the same as `catalog.json`).

        /// Version of the catalog format.
        pub(crate) const CATALOG_VERSION: u32 = #version;

        pub(crate) static GROUPS: &[crate::catalog::Group] = &[#(#groups)*];

        /// Sorted by event type.
        pub(crate) static TRIGGERS: &[crate::catalog::Trigger] = &[#(#triggers)*];

        /// Sorted by id.
        pub(crate) static ACTIONS: &[crate::catalog::Action] = &[#(#actions)*];

        /// Named types the schemas reference as `#/$defs/<id>`, sorted by id; JSON text.
        pub(crate) static DEFS: &[(&str, &str)] = &[#(#defs)*];
    }
}

fn trigger(t: &Trigger) -> TokenStream {
    let (event_type, title, description, group) =
        (&t.event_type, &t.title, &t.description, &t.group);
    let sample_action = option(t.sample_action.as_deref());
    let schema = compact(&t.payload_schema);
    let example = compact(&t.example);
    quote! {
        crate::catalog::Trigger {
            event_type: #event_type,
            title: #title,
            description: #description,
            group: #group,
            sample_action: #sample_action,
            payload_schema_json: #schema,
            example_json: #example,
        },
    }
}

fn action(a: &Action) -> TokenStream {
    let (id, group, title, description, method, path, feature) = (
        &a.id,
        &a.group,
        &a.title,
        &a.description,
        &a.method,
        &a.path,
        &a.feature,
    );
    let credential = match a.credential.as_str() {
        "none" => quote!(None),
        "customer_session" => quote!(CustomerSession),
        "customer_or_member_session" => quote!(CustomerOrMemberSession),
        _ => quote!(AccessToken),
    };
    let (deprecated, restored, paginated, read_only, destructive, idempotent) = (
        a.deprecated,
        a.restored,
        a.paginated,
        a.read_only,
        a.destructive,
        a.idempotent,
    );
    let dedupe_key = option(a.dedupe_key.as_deref());
    let arguments = &a.arguments;
    let options = a.dynamic_options.iter().map(|o| {
        let (argument, action, value_field, label_field) =
            (&o.argument, &o.action, &o.value_field, &o.label_field);
        quote! {
            crate::catalog::DynamicOption {
                argument: #argument,
                action: #action,
                value_field: #value_field,
                label_field: #label_field,
            },
        }
    });
    let statuses = &a.error_statuses;
    let input = compact(&a.input_schema);
    let output = compact(&a.output_schema);
    quote! {
        crate::catalog::Action {
            id: #id,
            group: #group,
            title: #title,
            description: #description,
            method: #method,
            path: #path,
            credential: crate::catalog::Credential::#credential,
            deprecated: #deprecated,
            restored: #restored,
            paginated: #paginated,
            read_only: #read_only,
            destructive: #destructive,
            idempotent: #idempotent,
            dedupe_key: #dedupe_key,
            arguments: &[#(#arguments),*],
            dynamic_options: &[#(#options)*],
            error_statuses: &[#(#statuses),*],
            feature: #feature,
            input_schema_json: #input,
            output_schema_json: #output,
        },
    }
}

fn option(value: Option<&str>) -> TokenStream {
    match value {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    }
}

fn compact(value: &Value) -> String {
    value.to_string()
}
