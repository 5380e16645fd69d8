//! The Polar SDK generator. The pipeline, one module per stage:
//!
//! `load` (JSON) → `overlay` → `normalize` (→ the neutral [`ir`]) → `plan` (every Rust
//! name, boxing, features) → `emit` (the SDK) and `test_support` (its tests' files) →
//! `format` → `write`.
//!
//! Each stage can be used and tested alone; [`generate`] runs them in order and writes
//! nothing unless every stage succeeded. `docs/architecture.md` describes the data
//! passed between them. [`tools`] holds what is built on the stages without being one
//! (spec diff, surface printer, overlay check).

pub mod emit;
pub mod error;
pub mod format;
pub mod ir;
pub mod load;
pub mod names;
pub mod normalize;
pub mod output;
pub mod overlay;
pub mod plan;
pub mod test_support;
pub mod tools;
pub mod write;

use std::path::Path;

pub use error::{Error, Result};
pub use test_support::samples;

/// Load a spec file, apply every overlay in `overlay_dir` (in file-name order) and
/// normalize it into the IR.
pub fn load_api(spec_path: &Path, overlay_dir: Option<&Path>) -> Result<ir::Api> {
    let mut spec = load::load_json(spec_path)?;
    if let Some(dir) = overlay_dir {
        // A wrong file should be reported as such, not as an overlay that does not apply.
        normalize::check_document(&spec).map_err(|source| Error::Spec {
            path: spec_path.to_owned(),
            source,
        })?;
        let overlays = overlay::load_overlays(dir)?;
        overlay::apply_all(&mut spec, &overlays)?;
    }
    api_from_json(spec_path, &spec)
}

/// Normalize an already loaded spec, naming `spec_path` in errors.
pub fn api_from_json(spec_path: &Path, spec: &serde_json::Value) -> Result<ir::Api> {
    normalize::normalize(spec).map_err(|source| Error::Spec {
        path: spec_path.to_owned(),
        source,
    })
}

/// Run every stage and bring `crate_root` (the `polar-generated` directory) up to date,
/// or only compare in [`write::Mode::Check`].
pub fn generate(
    spec_path: &Path,
    overlay_dir: Option<&Path>,
    crate_root: &Path,
    mode: write::Mode,
) -> Result<write::Report> {
    let api = load_api(spec_path, overlay_dir)?;
    let plan = plan_api(spec_path, &api)?;
    for note in plan.features.manifest.notes() {
        eprintln!("note: {note}");
    }
    let mut files = emit::emit(&plan)?;
    files.extend(test_support::test_support(&plan)?);
    write::ensure_files(crate_root, plan::GENERATED_DIR, &files, mode)
}

/// Make the Rust decisions for `api`, naming `spec_path` in errors.
pub fn plan_api<'a>(spec_path: &Path, api: &'a ir::Api) -> Result<plan::Plan<'a>> {
    plan::plan(api).map_err(|source| Error::Spec {
        path: spec_path.to_owned(),
        source,
    })
}
