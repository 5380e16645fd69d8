//! The spec under test: the published document with the project's overlays applied (the
//! same input `cargo xtask regenerate` uses), normalized to the IR, plus the copy served
//! to Prism, written to a temporary file that is removed on drop.

use std::path::{Path, PathBuf};

use polar_codegen::ir::Api;
use polar_codegen::overlay::{apply_all, load_overlays};
use serde_json::Value;

pub struct Spec {
    pub api: Api,
    /// Where the spec was read from.
    pub source: PathBuf,
    /// The overlaid spec with the mock shims, for Prism.
    pub served: TempFile,
    pub shims: Shims,
}

pub fn load() -> Spec {
    // `POLAR_OPENAPI_SPEC`, else the shared reference copy beside the workspace.
    let source = polar_tests::paths::current_spec();
    let mut spec = polar_codegen::load::load_json(&source)
        .unwrap_or_else(|err| panic!("{}: {err}", source.display()));
    let overlays = load_overlays(&polar_tests::paths::overlays()).expect("overlays load");
    apply_all(&mut spec, &overlays).expect("overlays apply");
    let api = polar_codegen::api_from_json(&source, &spec).expect("spec normalizes");

    let mut shims = Shims::default();
    shims.apply(&mut spec);
    let served = TempFile::new("served.openapi.json");
    std::fs::write(
        &served.0,
        serde_json::to_vec(&spec).expect("spec serializes"),
    )
    .expect("write the served spec");
    Spec {
        api,
        source,
        served,
        shims,
    }
}

/// Changes to the copy Prism serves, each for a gap in Prism's response generator
/// (json-schema-faker), none changing what a valid request or response is for our client:
///
/// - `format: uuid4` (Polar's own name, ~1,000 uses) becomes the standard `uuid`: the faker
///   does not know `uuid4` and would fill ids with lorem-ipsum words, which no real Polar
///   response contains; a UUID is what the spec means.
/// - `prefixItems` tuples (e.g. `Tax Id`, 9 schemas) also get the draft-07 form
///   `items: [..]`: the faker only knows that form and otherwise fails the whole response
///   with "missing items" (HTTP 500).
/// - Maps keyed by UUID (`propertyNames: {format: uuid4}`, e.g. `Checkout.prices`) have
///   their value schema under `patternProperties` with a UUID pattern instead of under
///   `additionalProperties`: the faker ignores `propertyNames` and writes keys such as
///   `property1`, which the client rightly refuses as UUIDs.
#[derive(Debug, Default, Clone, Copy)]
pub struct Shims {
    pub uuid4_formats: usize,
    pub tuples: usize,
    pub uuid_keyed_maps: usize,
}

/// A lower-case hyphenated UUID, the form Polar writes.
const UUID_KEY_PATTERN: &str = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

impl Shims {
    fn apply(&mut self, value: &mut Value) {
        match value {
            Value::Object(object) => {
                if object.get("format").and_then(Value::as_str) == Some("uuid4") {
                    object.insert("format".into(), "uuid".into());
                    self.uuid4_formats += 1;
                }
                let uuid_keys = object
                    .get("propertyNames")
                    .and_then(|names| names.get("format"))
                    .and_then(Value::as_str)
                    .is_some_and(|format| matches!(format, "uuid" | "uuid4"));
                if uuid_keys
                    && object
                        .get("additionalProperties")
                        .is_some_and(Value::is_object)
                {
                    let value = object.insert("additionalProperties".into(), false.into());
                    let patterns = serde_json::json!({ UUID_KEY_PATTERN: value });
                    object.insert("patternProperties".into(), patterns);
                    self.uuid_keyed_maps += 1;
                }
                if let Some(prefix) = object.get("prefixItems").cloned() {
                    if !object.contains_key("items") && prefix.is_array() {
                        object.insert("items".into(), prefix);
                        self.tuples += 1;
                    }
                }
                object.values_mut().for_each(|v| self.apply(v));
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.apply(v)),
            _ => {}
        }
    }
}

/// A file in the temporary directory, removed on drop.
pub struct TempFile(pub PathBuf);

impl TempFile {
    fn new(name: &str) -> TempFile {
        let dir = std::env::temp_dir().join(format!("polar-conformance-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create a temporary directory");
        TempFile(dir.join(name))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}
