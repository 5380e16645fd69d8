//! Consistency checks for a spec after overlays: every local `$ref` resolves, and a
//! list of the operations present. Used by the tests that apply the project's
//! overlays (`spec/overlays/`) to the reference specs (in the workspace tests crate).

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
mod tests {
    use serde_json::json;

    use super::*;

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
}
