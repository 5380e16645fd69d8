//! `FEATURES.md`, and the dependency lists of the crate's Cargo features (decided in
//! `plan::features`). `Cargo.toml` and `FEATURES.md` render the same data so the two
//! never disagree.

use askama::Template;

use crate::error::{Error, Result};
use crate::format::GENERATED_HEADER;
use crate::plan::{Features, Plan};

/// Optional dependencies of the `webhooks` feature: signature verification only.
pub const WEBHOOKS_DEPS: &[&str] = &["hmac", "sha2", "base64", "http"];

/// Optional dependencies of the internal `__client` feature (the HTTP runtime), which
/// every group feature enables.
pub const CLIENT_DEPS: &[&str] = &[
    "reqwest",
    "tokio",
    "futures-core",
    "futures-util",
    "fastrand",
    "bytes",
    "percent-encoding",
    "http",
];

#[derive(Template)]
#[template(path = "FEATURES.md.askama", escape = "none")]
struct FeaturesMd<'a> {
    header: &'a str,
    api_version: &'a str,
    features: &'a Features,
    webhooks_deps: String,
    client_deps: String,
}

/// `polar-generated/FEATURES.md`: the default set, the minimal paths and every feature.
pub fn features_md(plan: &Plan) -> Result<String> {
    let list = |deps: &[&str]| {
        deps.iter()
            .map(|d| format!("`{d}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    FeaturesMd {
        header: GENERATED_HEADER,
        api_version: &plan.api.info.version,
        features: &plan.features,
        webhooks_deps: list(WEBHOOKS_DEPS),
        client_deps: list(CLIENT_DEPS),
    }
    .render()
    .map(ensure_newline)
    .map_err(|err| Error::Other(format!("rendering FEATURES.md: {err}")))
}

/// Cargo's `["dep:a", "dep:b"]` for a dependency list.
pub fn dep_list(deps: &[&str]) -> String {
    let items: Vec<String> = deps.iter().map(|d| format!("\"dep:{d}\"")).collect();
    format!("[{}]", items.join(", "))
}

pub fn ensure_newline(mut text: String) -> String {
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::ir::Api;

    /// Two groups sharing `Shared`; the spec's `webhooks` group must become `webhook-endpoints`.
    fn api() -> Api {
        let ok = |schema: &str| {
            json!({"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": format!("#/components/schemas/{schema}")}}}}})
        };
        let spec = json!({
            "openapi": "3.1.0",
            "info": {"title": "Test", "version": "2026-01"},
            "paths": {
                "/checkouts": {"get": {"operationId": "checkouts:get",
                    "x-speakeasy-group": "checkouts", "responses": ok("Checkout")}},
                "/endpoints": {"get": {"operationId": "webhooks:get",
                    "x-speakeasy-group": "webhooks", "responses": ok("Endpoint")}},
                "/endpoints/x": {"post": {"operationId": "webhooks:create",
                    "x-speakeasy-group": "webhooks", "responses": ok("Shared")}}
            },
            "components": {"schemas": {
                "Checkout": {"type": "object", "properties": {"s": {"$ref": "#/components/schemas/Shared"}}},
                "Endpoint": {"type": "object", "properties": {"id": {"type": "string"}}},
                "Shared": {"type": "object", "properties": {"id": {"type": "string"}}}
            }}
        });
        crate::normalize::normalize(&spec).unwrap()
    }

    #[test]
    fn one_feature_per_top_group_with_shared_models_counted_once_each() {
        let api = api();
        let plan = crate::plan::plan(&api).unwrap();
        let features = &plan.features;
        let rows: Vec<_> = features
            .groups
            .iter()
            .map(|g| (g.name.as_str(), g.operations, g.models, g.own_models))
            .collect();
        assert_eq!(
            rows,
            [("checkouts", 1, 2, 1), ("webhook-endpoints", 2, 2, 1)]
        );
        assert_eq!((features.total_models, features.total_operations), (3, 3));
    }

    #[test]
    fn cargo_toml_and_features_md_list_the_same_features() {
        let api = api();
        let plan = crate::plan::plan(&api).unwrap();
        let toml = super::super::cargo::cargo_toml(&plan).unwrap();
        let md = features_md(&plan).unwrap();
        for name in ["checkouts", "webhook-endpoints"] {
            assert!(
                toml.contains(&format!("\n{name} = [\"__client\"]")),
                "{toml}"
            );
            assert!(md.contains(&format!("| `{name}` |")), "{md}");
        }
        assert!(toml.contains(&format!("webhooks = {}", dep_list(WEBHOOKS_DEPS))));
        assert!(md.contains("| `webhooks` |"));
    }
}
