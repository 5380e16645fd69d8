//! Shared helpers for the workspace integration tests: where the workspace, the
//! shared Polar specs and the project overlays are.

use std::path::{Path, PathBuf};

/// The workspace root (the directory holding the workspace `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// `../shared` beside the workspace, as laid out on developer machines and in CI.
pub fn shared_dir() -> PathBuf {
    workspace_root().join("../shared")
}

/// The spec tests run against: `$POLAR_OPENAPI_SPEC`, else the shared 2026-10 document.
pub fn current_spec() -> PathBuf {
    std::env::var_os("POLAR_OPENAPI_SPEC")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| shared_spec("2026-10.openapi.json"))
}

/// A document under `../shared/polar-openapi/`.
pub fn shared_spec(relative: &str) -> PathBuf {
    shared_dir().join("polar-openapi").join(relative)
}

/// The project's overlays (`spec/overlays`).
pub fn overlays_dir() -> PathBuf {
    workspace_root().join("spec/overlays")
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
