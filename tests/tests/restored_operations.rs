//! The overlay `spec/overlays/010-restore-catalog-actions.yaml` restores 8 operations
//! Polar no longer lists publicly and marks them deprecated with a note saying so.
//! The generated methods must carry that note in `#[deprecated]`, so users see it in
//! compiler warnings, not only in the docs.

use std::path::Path;

use polar_codegen::ir::Operation;
use polar_tests::paths;

const RESTORED: [&str; 8] = [
    "members:create_member",
    "members:get_member",
    "members:update_member",
    "members:delete_member",
    "organization_access_tokens:list",
    "organization_access_tokens:create",
    "organization_access_tokens:update",
    "organization_access_tokens:delete",
];

const NOTE: &str = "Polar no longer lists this endpoint publicly";

fn restored_operations() -> Vec<Operation> {
    let api = polar_codegen::load_api(&paths::current_spec(), Some(&paths::overlays()))
        .expect("spec loads");
    let ops: Vec<Operation> = api
        .operations
        .into_iter()
        .filter(|op| RESTORED.contains(&op.operation_id.as_str()))
        .collect();
    assert_eq!(
        ops.len(),
        RESTORED.len(),
        "all restored operations are in the IR"
    );
    ops
}

/// The `.rs` file under `src/generated/services` whose builder sends `operation_id`.
fn service_source(operation_id: &str) -> (String, String) {
    fn walk(dir: &Path, needle: &str) -> Option<(String, String)> {
        let mut entries: Vec<_> = std::fs::read_dir(dir).ok()?.flatten().collect();
        entries.sort_by_key(|e| e.path());
        entries.into_iter().find_map(|entry| {
            let path = entry.path();
            if path.is_dir() {
                return walk(&path, needle);
            }
            let text = std::fs::read_to_string(&path).ok()?;
            text.contains(needle)
                .then(|| (path.display().to_string(), text))
        })
    }
    let dir = paths::workspace_root().join("polar-generated/src/generated/services");
    walk(&dir, &format!("operation_id: \"{operation_id}\""))
        .unwrap_or_else(|| panic!("no generated service sends {operation_id}"))
}

/// The attributes (text between the previous item and `pub fn name(`) of the
/// service method `name`, which takes `&self` (builder setters take `mut self`).
fn method_attributes<'a>(source: &'a str, name: &str) -> &'a str {
    let head = format!("pub fn {name}(");
    let at = source
        .match_indices(&head)
        .map(|(i, _)| i)
        .find(|&i| {
            let args = &source[i + head.len()..];
            args[..args.find(')').unwrap_or(args.len())].contains("&self")
        })
        .unwrap_or_else(|| panic!("no service method `{name}(&self, …)`"));
    let before = &source[..at];
    let start = ["}\n", "{\n", ";\n"]
        .iter()
        .filter_map(|end| before.rfind(end).map(|i| i + end.len()))
        .max()
        .unwrap_or(0);
    &source[start..at]
}

#[test]
fn restored_operations_are_deprecated_with_the_note() {
    for op in restored_operations() {
        assert!(op.docs.deprecated, "{} is deprecated", op.operation_id);
        let description = op.docs.description.as_deref().unwrap_or_default();
        assert!(
            description.contains(NOTE),
            "{}: {description}",
            op.operation_id
        );

        let (file, source) = service_source(&op.operation_id);
        let attrs = method_attributes(&source, &op.method_name);
        let deprecated = attrs
            .find("#[deprecated(")
            .map(|i| &attrs[i..])
            .unwrap_or_else(|| panic!("{file}: `{}` has no #[deprecated]", op.method_name));
        assert!(
            deprecated.contains(NOTE),
            "{file}: the deprecation note of `{}` does not say Polar no longer lists it:\n{attrs}",
            op.method_name
        );
        assert!(
            attrs.contains("**Deprecated** in the Polar API."),
            "{file}: the docs of `{}` say it is deprecated",
            op.method_name
        );
    }
}

/// Exactly the overlay's operations carry the `x-polar-sdk-restored` marker; operations
/// Polar itself deprecates keep the generic note.
#[test]
fn only_restored_operations_are_marked_restored() {
    let api = polar_codegen::load_api(&paths::current_spec(), Some(&paths::overlays()))
        .expect("spec loads");
    let with_note: Vec<&str> = api
        .operations
        .iter()
        .filter(|op| op.restored)
        .map(|op| op.operation_id.as_str())
        .collect();
    let mut expected = RESTORED.to_vec();
    expected.sort_unstable();
    let mut got = with_note.clone();
    got.sort_unstable();
    assert_eq!(got, expected);
}
