//! Consistency checks for a spec after overlays: every local `$ref` resolves, and a
//! list of the operations present. Used by the tests that apply the project's
//! overlays (`spec/overlays/`) to the reference specs, and usable by the CLI.

use serde::Serialize;
use serde_json::Value;

/// HTTP methods that may hold an operation in an OpenAPI path item.
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A `$ref` that does not point at anything in the same document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnresolvedRef {
    /// JSON pointer of the object holding the `$ref`.
    pub at: String,
    pub reference: String,
}

/// Every `$ref` in `doc` that is not a local reference (`#/...`) to an existing node.
pub fn unresolved_refs(doc: &Value) -> Vec<UnresolvedRef> {
    let mut out = Vec::new();
    walk(doc, doc, &mut String::new(), &mut out);
    out
}

fn walk(root: &Value, node: &Value, at: &mut String, out: &mut Vec<UnresolvedRef>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                let resolves = reference
                    .strip_prefix('#')
                    .is_some_and(|pointer| root.pointer(pointer).is_some());
                if !resolves {
                    out.push(UnresolvedRef {
                        at: at.clone(),
                        reference: reference.clone(),
                    });
                }
            }
            for (key, value) in map {
                let len = at.len();
                at.push('/');
                at.push_str(&key.replace('~', "~0").replace('/', "~1"));
                walk(root, value, at, out);
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, value) in items.iter().enumerate() {
                let len = at.len();
                at.push('/');
                at.push_str(&i.to_string());
                walk(root, value, at, out);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

/// `(METHOD, path)` of every operation under `paths`, in document order.
pub fn operations(doc: &Value) -> Vec<(String, String)> {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            if METHODS.contains(&method.as_str()) && op.is_object() {
                out.push((method.to_ascii_uppercase(), path.clone()));
            }
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use std::path::{Path, PathBuf};

    use serde_json::json;

    use super::*;
    use crate::overlay::{apply_all, load_overlays};

    #[test]
    fn finds_unresolved_refs() {
        let doc = json!({
            "components": {"schemas": {"A": {"type": "string"}, "a/b": {}}},
            "paths": {"/x": {"get": {"responses": {"200": {"$ref": "#/components/schemas/A"}},
                                      "x-list": [{"$ref": "#/components/schemas/Missing"}],
                                      "x-slash": {"$ref": "#/components/schemas/a~1b"},
                                      "x-remote": {"$ref": "other.json#/A"}}}}
        });
        let found = unresolved_refs(&doc);
        assert_eq!(
            found,
            [
                UnresolvedRef {
                    at: "/paths/~1x/get/x-list/0".into(),
                    reference: "#/components/schemas/Missing".into()
                },
                UnresolvedRef {
                    at: "/paths/~1x/get/x-remote".into(),
                    reference: "other.json#/A".into()
                },
            ]
        );
        assert_eq!(operations(&doc), [("GET".to_owned(), "/x".to_owned())]);
    }

    /// The operations `spec/overlays/010-restore-catalog-actions.yaml` restores.
    pub(crate) const RESTORED: &[(&str, &str)] = &[
        ("POST", "/v1/members/"),
        ("GET", "/v1/members/{id}"),
        ("PATCH", "/v1/members/{id}"),
        ("DELETE", "/v1/members/{id}"),
        ("GET", "/v1/organization-access-tokens/"),
        ("POST", "/v1/organization-access-tokens/"),
        ("PATCH", "/v1/organization-access-tokens/{id}"),
        ("DELETE", "/v1/organization-access-tokens/{id}"),
    ];

    pub(crate) fn workspace_root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    /// Reference specs: `POLAR_OPENAPI_DIR`, else the shared copy on the team machines.
    pub(crate) fn reference_spec(relative: &str) -> Option<Value> {
        let dir = std::env::var_os("POLAR_OPENAPI_DIR").map_or_else(
            || PathBuf::from("/work/shared/polar-openapi"),
            PathBuf::from,
        );
        let path = dir.join(relative);
        match std::fs::read(&path) {
            Ok(bytes) => Some(serde_json::from_slice(&bytes).expect("reference spec is JSON")),
            Err(_) => {
                eprintln!("{} not found; skipping", path.display());
                None
            }
        }
    }

    fn check_project_overlays(relative: &str) -> Option<(usize, usize)> {
        let mut spec = reference_spec(relative)?;
        let before = operations(&spec);
        for (method, path) in RESTORED {
            let key = (method.to_string(), path.to_string());
            assert!(
                !before.contains(&key),
                "{relative} publishes {method} {path} again: drop it from the overlay"
            );
        }
        assert!(
            unresolved_refs(&spec).is_empty(),
            "{relative} itself has dangling refs"
        );

        let overlays =
            load_overlays(&workspace_root().join("spec/overlays")).expect("load overlays");
        apply_all(&mut spec, &overlays).expect("apply overlays");
        let after = operations(&spec);
        let dangling = unresolved_refs(&spec);
        assert!(
            dangling.is_empty(),
            "{relative}: unresolved refs after overlays: {dangling:?}"
        );
        for (method, path) in RESTORED {
            let key = (method.to_string(), path.to_string());
            assert!(
                after.contains(&key),
                "{relative}: {method} {path} not restored"
            );
            let op = &spec["paths"][path][method.to_ascii_lowercase()];
            assert_eq!(op["deprecated"], true, "{method} {path}");
            assert!(op["x-speakeasy-group"].is_string(), "{method} {path}");
            assert!(
                op["x-speakeasy-name-override"].is_string(),
                "{method} {path}"
            );
            let description = op["description"].as_str().unwrap_or_default();
            assert!(
                description.contains("restored by the SDK's overlay"),
                "{method} {path}"
            );
        }
        assert_eq!(after.len(), before.len() + RESTORED.len(), "{relative}");
        // Restored names must not collide with published ones.
        let mut ids = std::collections::BTreeSet::new();
        let mut names = std::collections::BTreeSet::new();
        for (method, path) in &after {
            let op = &spec["paths"][path][method.to_ascii_lowercase()];
            let id = op["operationId"].as_str().unwrap_or_default().to_owned();
            assert!(
                ids.insert(id.clone()),
                "{relative}: duplicate operationId {id}"
            );
            let name = format!(
                "{}.{}",
                op["x-speakeasy-group"], op["x-speakeasy-name-override"]
            );
            assert!(
                names.insert(name.clone()),
                "{relative}: duplicate method {name}"
            );
        }
        eprintln!(
            "{relative}: {} operations, {} after overlays",
            before.len(),
            after.len()
        );
        Some((before.len(), after.len()))
    }

    #[test]
    fn project_overlays_apply_to_current_spec() {
        if let Some(counts) = check_project_overlays("2026-10.openapi.json") {
            assert_eq!(counts, (186, 194));
        }
    }

    #[test]
    fn project_overlays_apply_to_older_spec() {
        check_project_overlays("history/2026-07-21.openapi.json");
    }
}
