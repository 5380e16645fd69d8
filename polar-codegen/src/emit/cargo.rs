//! `polar-generated/Cargo.toml` from an askama template: one feature per top-level group.

use std::collections::BTreeSet;

use askama::Template;

use crate::error::{Error, Result};
use crate::format::GENERATED_HEADER;
use crate::ir::Api;

#[derive(Template)]
#[template(path = "Cargo.toml.askama", escape = "none")]
struct CargoToml<'a> {
    header: &'a str,
    api_version: &'a str,
    groups: Vec<String>,
}

pub fn cargo_toml(api: &Api) -> Result<String> {
    let groups: BTreeSet<String> = api.operations.iter().map(|op| op.feature.clone()).collect();
    CargoToml {
        header: GENERATED_HEADER,
        api_version: &api.info.version,
        groups: groups.into_iter().collect(),
    }
    .render()
    .map(|mut s| {
        if !s.ends_with('\n') {
            s.push('\n');
        }
        s
    })
    .map_err(|err| Error::Other(format!("rendering Cargo.toml: {err}")))
}
