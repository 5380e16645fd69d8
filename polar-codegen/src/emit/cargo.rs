//! `polar-generated/Cargo.toml` from an askama template: one feature per top-level group.

use askama::Template;

use super::features::{dep_list, ensure_newline, CLIENT_DEPS, WEBHOOKS_DEPS};
use crate::error::{Error, Result};
use crate::format::GENERATED_HEADER;
use crate::plan::features::Manifest;
use crate::plan::Plan;

#[derive(Template)]
#[template(path = "Cargo.toml.askama", escape = "none")]
struct CargoToml<'a> {
    header: &'a str,
    api_version: &'a str,
    groups: Vec<String>,
    manifest: &'a Manifest,
    webhooks_deps: String,
    client_deps: String,
}

pub fn cargo_toml(plan: &Plan) -> Result<String> {
    CargoToml {
        header: GENERATED_HEADER,
        api_version: &plan.api.info.version,
        groups: plan
            .features
            .groups
            .iter()
            .map(|g| g.name.clone())
            .collect(),
        manifest: &plan.features.manifest,
        webhooks_deps: dep_list(WEBHOOKS_DEPS),
        client_deps: dep_list(CLIENT_DEPS),
    }
    .render()
    .map(ensure_newline)
    .map_err(|err| Error::Other(format!("rendering Cargo.toml: {err}")))
}
