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
//!
//! Every test that may skip for a missing input decides through [`missing_input`]: with
//! `CI` set (to anything but `false`/`0`) or `POLAR_REQUIRE_SPECS=1`, a missing input
//! fails the test with the same message instead of passing it. CI sets `CI=true`, so a
//! moved or deleted spec can never turn the suite green by skipping.
//!
//! This file is also compiled into other crates' tests (`#[path]`:
//! `polar-codegen/tests/spec_mutations.rs`, xtask's fetch tests), so it uses nothing but
//! `std`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Environment variable that makes every missing test input a failure.
pub const REQUIRE_ENV: &str = "POLAR_REQUIRE_SPECS";

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

/// Missing inputs fail the tests: `CI` or `POLAR_REQUIRE_SPECS` is set to a value
/// other than empty, `0` or `false` (read through `env`).
pub fn inputs_required_in(env: &dyn Fn(&str) -> Option<OsString>) -> bool {
    ["CI", REQUIRE_ENV].iter().any(|name| {
        env(name).is_some_and(|v| {
            let v = v.to_string_lossy().trim().to_ascii_lowercase();
            !(v.is_empty() || v == "0" || v == "false")
        })
    })
}

/// [`inputs_required_in`] the process environment.
pub fn inputs_required() -> bool {
    inputs_required_in(&|name| std::env::var_os(name))
}

/// The one place a test decides about an input it cannot find (`why` says which and
/// how to provide it): when inputs are required ([`inputs_required`]), panics with
/// `why`; otherwise prints `SKIPPED: why` on stderr and returns `None`, and the caller
/// returns early.
pub fn missing_input<T>(why: &str) -> Option<T> {
    missing_input_in(inputs_required(), why)
}

/// [`missing_input`] with the decision given.
pub fn missing_input_in<T>(required: bool, why: &str) -> Option<T> {
    if required {
        panic!("{why} (a required test input: CI or {REQUIRE_ENV} is set)");
    }
    eprintln!("SKIPPED: {why}");
    None
}

/// `path` if it is a file, else [`missing_input`] with `why`.
pub fn optional_input(path: PathBuf, why: &str) -> Option<PathBuf> {
    if path.is_file() {
        Some(path)
    } else {
        missing_input(&format!("{} not found: {why}", path.display()))
    }
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
    let path = reference_dir().join(name);
    if path.is_file() {
        return Some(path);
    }
    // The pinned version is also where `cargo xtask fetch-spec` caches it.
    if pinned_version().is_some_and(|v| name == format!("{v}.openapi.json"))
        && cached_spec().is_file()
    {
        return Some(cached_spec());
    }
    missing_input(&format!(
        "spec {name} not found at {} (set POLAR_OPENAPI_DIR to a directory holding \
         Polar's other spec versions)",
        path.display()
    ))
}

/// `$POLAR_OPENAPI_DIR`, else `<root>/../shared/polar-openapi`.
fn reference_dir() -> PathBuf {
    env_path("POLAR_OPENAPI_DIR").unwrap_or_else(|| shared_dir().join("polar-openapi"))
}

/// Every older spec in the reference directory's `history/` (`*.json`, by name); empty
/// after [`missing_input`] when there is none.
pub fn history_specs() -> Vec<PathBuf> {
    let dir = reference_dir().join("history");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "json"))
        .collect();
    specs.sort();
    if specs.is_empty() {
        return missing_input(&format!(
            "no older specs (*.json) in {} (set POLAR_OPENAPI_DIR to a directory with a \
             history/ of Polar's older specs)",
            dir.display()
        ))
        .unwrap_or_default();
    }
    specs
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
    missing_input(&format!(
        "workflow catalog not found at {} (set POLAR_WORKFLOW_CATALOG)",
        path.display()
    ))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<OsString> {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn ci_or_require_env_makes_inputs_required() {
        let cases: &[(&[(&str, &str)], bool)] = &[
            (&[], false),
            (&[("CI", "true")], true),
            (&[("CI", "1")], true),
            (&[("CI", "false")], false),
            (&[("CI", "")], false),
            (&[(REQUIRE_ENV, "1")], true),
            (&[(REQUIRE_ENV, "0")], false),
            (&[("CI", "0"), (REQUIRE_ENV, "yes")], true),
        ];
        for (vars, required) in cases {
            assert_eq!(inputs_required_in(&env(vars)), *required, "{vars:?}");
        }
    }

    #[test]
    fn a_missing_input_panics_when_required_and_skips_otherwise() {
        let missing = workspace_root().join("no-such-dir/spec.json");
        let why = format!("{} not found: test", missing.display());
        assert_eq!(missing_input_in::<PathBuf>(false, &why), None);
        let required = inputs_required_in(&env(&[(REQUIRE_ENV, "1")]));
        let panic = std::panic::catch_unwind(|| missing_input_in::<PathBuf>(required, &why))
            .expect_err("a required missing input panics");
        let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
        assert!(
            message.contains("no-such-dir/spec.json not found") && message.contains(REQUIRE_ENV),
            "{message}"
        );
    }
}
