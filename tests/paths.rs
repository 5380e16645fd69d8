//! Where the integration tests find the workspace and the team's shared inputs.
//!
//! The shared directory sits next to the workspace (`<root>/../shared`); the current
//! spec can be overridden with `POLAR_OPENAPI_SPEC` and the catalog with
//! `POLAR_WORKFLOW_CATALOG`. A missing input fails the test with its path, rather
//! than skipping it silently.

use std::path::{Path, PathBuf};

/// The workspace root (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate lives in the workspace")
        .to_owned()
}

/// `<root>/../shared/<relative>`, which must exist.
pub fn shared(relative: &str) -> PathBuf {
    existing(workspace_root().join("../shared").join(relative))
}

/// The current spec: `$POLAR_OPENAPI_SPEC`, else `shared/polar-openapi/2026-10.openapi.json`.
pub fn current_spec() -> PathBuf {
    match std::env::var_os("POLAR_OPENAPI_SPEC").filter(|v| !v.is_empty()) {
        Some(path) => existing(PathBuf::from(path)),
        None => shared("polar-openapi/2026-10.openapi.json"),
    }
}

/// The older reference spec (`shared/polar-openapi/history/2026-07-21.openapi.json`).
pub fn older_spec() -> PathBuf {
    shared("polar-openapi/history/2026-07-21.openapi.json")
}

/// The workflow catalog: `$POLAR_WORKFLOW_CATALOG`, else `shared/seed/polar-workflow-catalog.txt`.
pub fn workflow_catalog() -> PathBuf {
    match std::env::var_os("POLAR_WORKFLOW_CATALOG").filter(|v| !v.is_empty()) {
        Some(path) => existing(PathBuf::from(path)),
        None => shared("seed/polar-workflow-catalog.txt"),
    }
}

/// The project's overlays (`spec/overlays`).
pub fn overlays() -> PathBuf {
    existing(workspace_root().join("spec/overlays"))
}

fn existing(path: PathBuf) -> PathBuf {
    assert!(
        path.exists(),
        "{} not found: these tests need the team's shared inputs \
         (set POLAR_OPENAPI_SPEC / POLAR_WORKFLOW_CATALOG to point elsewhere)",
        path.display()
    );
    path
}
