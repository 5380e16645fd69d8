//! Where the integration tests find the workspace, the spec and the other inputs.
//!
//! - The current spec: `$POLAR_OPENAPI_SPEC`, else `<root>/../shared/polar-openapi/2026-10.openapi.json`,
//!   else the pinned spec cached by `cargo xtask fetch-spec` (`spec/cache/openapi.json`).
//!   `scripts/test.sh` fetches it first when none exists, so this always resolves there.
//! - Other spec versions (2026-04, history/2026-07-21), which no lock file pins:
//!   `$POLAR_OPENAPI_DIR/<name>`, else `<root>/../shared/polar-openapi/<name>`. Tests
//!   that need one print why they are skipped when it is missing (never silently).
//! - The seed workflow catalog: `$POLAR_WORKFLOW_CATALOG`, else
//!   `<root>/../shared/seed/polar-workflow-catalog.txt`; skipped the same way.

use std::path::{Path, PathBuf};

/// The workspace root (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate lives in the workspace")
        .to_owned()
}

fn shared_dir() -> PathBuf {
    workspace_root().join("../shared")
}

fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// The pinned spec as cached by `cargo xtask fetch-spec`.
pub fn cached_spec() -> PathBuf {
    workspace_root().join("spec/cache/openapi.json")
}

/// The current spec (see the module docs for the order). Fails naming every place
/// looked at, and how to provide one, when none exists.
pub fn current_spec() -> PathBuf {
    if let Some(path) = env_path("POLAR_OPENAPI_SPEC") {
        return existing(path, "POLAR_OPENAPI_SPEC points at a missing file");
    }
    let candidates = [
        shared_dir().join("polar-openapi/2026-10.openapi.json"),
        cached_spec(),
    ];
    match candidates.iter().find(|p| p.is_file()) {
        Some(path) => path.clone(),
        None => panic!(
            "no spec: looked at {} and {}; run `cargo xtask fetch-spec` (downloads the pinned, \
             sha256-checked spec) or set POLAR_OPENAPI_SPEC",
            candidates[0].display(),
            candidates[1].display()
        ),
    }
}

/// Another Polar spec version, e.g. `2026-04.openapi.json` or
/// `history/2026-07-21.openapi.json`; `None` after printing why the calling test is
/// skipped when it is not available.
pub fn reference_spec(name: &str) -> Option<PathBuf> {
    let dir = env_path("POLAR_OPENAPI_DIR").unwrap_or_else(|| shared_dir().join("polar-openapi"));
    let path = dir.join(name);
    if path.is_file() {
        return Some(path);
    }
    // The pinned version is also where `cargo xtask fetch-spec` caches it.
    if pinned_version().is_some_and(|v| name == format!("{v}.openapi.json"))
        && cached_spec().is_file()
    {
        return Some(cached_spec());
    }
    eprintln!(
        "SKIPPED: spec {name} not found at {} (set POLAR_OPENAPI_DIR to a directory holding \
         Polar's other spec versions)",
        path.display()
    );
    None
}

/// The API version pinned in `spec/openapi.lock` (`api_version = "2026-10"`).
fn pinned_version() -> Option<String> {
    let lock = std::fs::read_to_string(workspace_root().join("spec/openapi.lock")).ok()?;
    lock.lines().find_map(|line| {
        let value = line
            .trim()
            .strip_prefix("api_version")?
            .trim()
            .strip_prefix('=')?;
        Some(value.trim().trim_matches('"').to_owned())
    })
}

/// The older reference spec (`history/2026-07-21.openapi.json`), if available.
pub fn older_spec() -> Option<PathBuf> {
    reference_spec("history/2026-07-21.openapi.json")
}

/// The workflow catalog, if available (else `None` after printing why).
pub fn workflow_catalog() -> Option<PathBuf> {
    let path = env_path("POLAR_WORKFLOW_CATALOG")
        .unwrap_or_else(|| shared_dir().join("seed/polar-workflow-catalog.txt"));
    if path.is_file() {
        return Some(path);
    }
    eprintln!(
        "SKIPPED: workflow catalog not found at {} (set POLAR_WORKFLOW_CATALOG)",
        path.display()
    );
    None
}

/// The project's overlays (`spec/overlays`).
pub fn overlays() -> PathBuf {
    existing(
        workspace_root().join("spec/overlays"),
        "the project overlays are missing",
    )
}

fn existing(path: PathBuf, why: &str) -> PathBuf {
    assert!(path.exists(), "{}: {why}", path.display());
    path
}
