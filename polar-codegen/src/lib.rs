//! The Polar SDK generator: spec JSON → normalize → IR → emit → format → write.
//!
//! Each stage is a module that can be used and tested alone; [`generate`] runs them in
//! order and writes nothing unless every stage succeeded.

pub mod catalog;
pub mod diff;
pub mod emit;
pub mod error;
pub mod format;
pub mod ir;
pub mod json_schema;
pub mod load;
pub mod names;
pub mod normalize;
pub mod overlay;
pub mod overlay_check;
pub mod samples;
pub mod spec_source;
pub mod surface;
pub mod workflow;
pub mod write;

use std::path::Path;

pub use error::{Error, Result};

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
    let files = emit::emit(&api)?;
    write::ensure_files(crate_root, &files, mode)
}
