//! The crate's Cargo features, derived from the IR: one per top-level operation group,
//! plus `webhooks`. Rendered into `Cargo.toml` and `FEATURES.md` from the same data so
//! the two never disagree.

use std::collections::BTreeMap;

use askama::Template;

use crate::error::{Error, Result};
use crate::format::GENERATED_HEADER;
use crate::ir::Api;

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

/// The event feature; the operation group of the same name is renamed `webhook-endpoints`.
pub const WEBHOOKS_FEATURE: &str = "webhooks";

/// One operation-group feature.
#[derive(Debug, Clone)]
pub struct GroupFeature {
    /// Cargo feature name, e.g. `customer-portal`.
    pub name: String,
    /// The top-level `x-speakeasy-group`, e.g. `customer_portal`.
    pub group: String,
    /// `Client` accessor (and module under `services`), e.g. `customer_portal`.
    pub accessor: String,
    pub operations: usize,
    /// Named models compiled when this feature is on.
    pub models: usize,
    /// Of those, the models no other feature reaches.
    pub own_models: usize,
}

/// Every feature of the generated crate, in name order.
#[derive(Debug, Clone)]
pub struct Features {
    pub groups: Vec<GroupFeature>,
    /// Models the webhook events reach.
    pub webhook_models: usize,
    pub webhook_own_models: usize,
    pub webhook_events: usize,
    /// Every used model (the `full` build).
    pub total_models: usize,
    pub total_operations: usize,
}

impl Features {
    pub fn new(api: &Api) -> Self {
        let mut groups: BTreeMap<String, GroupFeature> = BTreeMap::new();
        for op in &api.operations {
            let entry = groups
                .entry(op.feature.clone())
                .or_insert_with(|| GroupFeature {
                    name: op.feature.clone(),
                    group: op.group.first().map(|g| g.wire.clone()).unwrap_or_default(),
                    accessor: op.group.first().map(|g| g.rust.clone()).unwrap_or_default(),
                    operations: 0,
                    models: 0,
                    own_models: 0,
                });
            entry.operations += 1;
        }
        let (mut webhook_models, mut webhook_own_models, mut total_models) = (0, 0, 0);
        for def in api.types.values().filter(|d| d.usage.is_used()) {
            total_models += 1;
            let own = def.features.len() == 1;
            for feature in &def.features {
                if feature == WEBHOOKS_FEATURE {
                    webhook_models += 1;
                    webhook_own_models += usize::from(own);
                } else if let Some(group) = groups.get_mut(feature) {
                    group.models += 1;
                    group.own_models += usize::from(own);
                }
            }
        }
        Features {
            groups: groups.into_values().collect(),
            webhook_models,
            webhook_own_models,
            webhook_events: api.webhooks.len(),
            total_models,
            total_operations: api.operations.len(),
        }
    }
}

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
pub fn features_md(api: &Api) -> Result<String> {
    let features = Features::new(api);
    let list = |deps: &[&str]| {
        deps.iter()
            .map(|d| format!("`{d}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    FeaturesMd {
        header: GENERATED_HEADER,
        api_version: &api.info.version,
        features: &features,
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
        let features = Features::new(&api());
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
        let toml = super::super::cargo::cargo_toml(&api).unwrap();
        let md = features_md(&api).unwrap();
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
