//! Shared helpers for the workspace integration tests: where the workspace, the
//! Polar specs and the project overlays are ([`paths`]), the current API, the
//! workflow-catalog text parser ([`catalog`]) and the routes the overlays restore.

use std::path::PathBuf;

pub mod catalog;
pub mod paths;
pub mod public_api;
pub mod restored;
pub mod scratch;

pub use paths::{current_spec, workspace_root};

/// The project's overlays (`spec/overlays`).
pub fn overlays_dir() -> PathBuf {
    paths::overlays()
}

/// The generated crate's directory.
pub fn generated_crate() -> PathBuf {
    workspace_root().join("polar-generated")
}

/// The current spec with the project overlays, normalized.
pub fn current_api() -> polar_codegen::ir::Api {
    let spec = current_spec();
    polar_codegen::load_api(&spec, Some(&overlays_dir()))
        .unwrap_or_else(|err| panic!("cannot load {}: {err}", spec.display()))
}
