//! The project's overlays (`spec/overlays/`) applied to the reference specs: every
//! restored operation appears (Polar's own where the spec publishes it again, else
//! restored, deprecated and marked), no `$ref` dangles, and no name collides.

use std::path::Path;

use polar_codegen::load::load_json;
use polar_codegen::overlay::{apply_all_reporting, load_overlays};
use polar_codegen::tools::overlay_check::{operations, unresolved_refs};
use polar_tests::paths;
use polar_tests::restored::RESTORED_ROUTES;

/// The overlays applied to `spec_path`: `(operations before, operations after)`.
/// An operation the spec publishes again is kept as Polar's own (its restore action is
/// skipped with a notice); every other one is restored, deprecated and marked.
fn check_project_overlays(spec_path: &Path) -> (usize, usize) {
    let relative = spec_path.display();
    let mut spec = load_json(spec_path).expect("spec loads");
    let before = operations(&spec);
    let republished: Vec<&(&str, &str)> = RESTORED_ROUTES
        .iter()
        .filter(|(method, path)| before.contains(&(method.to_string(), path.to_string())))
        .collect();
    assert!(
        unresolved_refs(&spec).is_empty(),
        "{relative} itself has dangling refs"
    );

    let overlays = load_overlays(&paths::overlays()).expect("load overlays");
    let skipped = apply_all_reporting(&mut spec, &overlays).expect("apply overlays");
    assert_eq!(
        skipped.len(),
        republished.len(),
        "{relative}: one skip notice per operation published again: {skipped:?}"
    );
    let after = operations(&spec);
    let dangling = unresolved_refs(&spec);
    assert!(
        dangling.is_empty(),
        "{relative}: unresolved refs after overlays: {dangling:?}"
    );
    for route @ (method, path) in RESTORED_ROUTES {
        let key = (method.to_string(), path.to_string());
        assert!(after.contains(&key), "{relative}: {method} {path} missing");
        let op = &spec["paths"][path][method.to_ascii_lowercase()];
        if republished.contains(&route) {
            assert!(
                op.get("x-polar-sdk-restored").is_none(),
                "{relative}: {method} {path} is published again, yet the overlay replaced it"
            );
            continue;
        }
        assert_eq!(op["x-polar-sdk-restored"], true, "{method} {path}");
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
    assert_eq!(
        after.len(),
        before.len() + RESTORED_ROUTES.len() - republished.len(),
        "{relative}"
    );
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
    (before.len(), after.len())
}

#[test]
fn project_overlays_apply_to_current_spec() {
    assert_eq!(check_project_overlays(&paths::current_spec()), (186, 194));
}

#[test]
fn project_overlays_apply_to_older_spec() {
    let Some(older) = paths::older_spec() else {
        return;
    };
    check_project_overlays(&older);
}
