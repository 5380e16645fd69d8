//! The project's overlays (`spec/overlays/`) applied to the shared reference specs:
//! every restored operation appears, deprecated and named, no `$ref` dangles, and no
//! name collides with a published one.

use std::path::Path;

use polar_codegen::load::load_json;
use polar_codegen::overlay::{apply_all, load_overlays};
use polar_codegen::tools::overlay_check::{operations, unresolved_refs};
use polar_tests::paths;
use polar_tests::restored::RESTORED_ROUTES;

fn check_project_overlays(spec_path: &Path) -> (usize, usize) {
    let relative = spec_path.display();
    let mut spec = load_json(spec_path).expect("spec loads");
    let before = operations(&spec);
    for (method, path) in RESTORED_ROUTES {
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

    let overlays = load_overlays(&paths::overlays()).expect("load overlays");
    apply_all(&mut spec, &overlays).expect("apply overlays");
    let after = operations(&spec);
    let dangling = unresolved_refs(&spec);
    assert!(
        dangling.is_empty(),
        "{relative}: unresolved refs after overlays: {dangling:?}"
    );
    for (method, path) in RESTORED_ROUTES {
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
    assert_eq!(
        after.len(),
        before.len() + RESTORED_ROUTES.len(),
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
    check_project_overlays(&paths::older_spec());
}
