//! The project overlays survive spec versions they were not written against. Each case
//! derives its fixture from the current spec inside the test: schemas the restore
//! overlay needs removed (it carries them and adds them only when absent), and the
//! restored operations published again (their actions are skipped with a notice, so
//! nothing is generated twice).

use std::path::Path;

use polar_codegen::overlay::{apply_all_reporting, load_overlays, Skipped};
use polar_tests::{current_spec, overlays_dir};
use serde_json::Value;

fn current() -> Value {
    polar_codegen::load::load_json(&current_spec()).expect("current spec loads")
}

/// Applies the project overlays and normalizes, as `load_api` does.
fn overlaid(mut spec: Value) -> (polar_codegen::ir::Api, Vec<Skipped>, Value) {
    let overlays = load_overlays(&overlays_dir()).expect("overlays load");
    let skipped = apply_all_reporting(&mut spec, &overlays).expect("overlays apply");
    let api = polar_codegen::api_from_json(Path::new("derived.json"), &spec)
        .unwrap_or_else(|err| panic!("derived spec normalizes: {err}"));
    (api, skipped, spec)
}

fn published_operations(spec: &Value) -> usize {
    polar_codegen::tools::overlay_check::operations(spec).len()
}

#[test]
fn spec_without_the_schemas_the_overlay_needs_still_generates() {
    let mut spec = current();
    let schemas = spec["components"]["schemas"]
        .as_object_mut()
        .expect("schemas");
    let removed: Vec<String> = schemas
        .keys()
        .filter(|name| *name == "MemberCreate" || name.starts_with("OrganizationAccessToken"))
        .cloned()
        .collect();
    assert!(removed.len() >= 5, "fixture removes schemas: {removed:?}");
    for name in &removed {
        schemas.shift_remove(name);
    }
    let published = published_operations(&spec);
    let (api, skipped, overlaid) = overlaid(spec);
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(api.operations.len(), published + 8);
    assert_eq!(api.operations.iter().filter(|op| op.restored).count(), 8);
    for name in &removed {
        assert!(
            overlaid["components"]["schemas"].get(name).is_some(),
            "the overlay adds {name} back"
        );
    }
    let plan = polar_codegen::plan::plan(&api).expect("plans");
    assert!(polar_codegen::emit::emit(&plan).is_ok(), "emits");
}

#[test]
fn schemas_the_spec_has_are_kept_as_they_are() {
    let mut spec = current();
    spec["components"]["schemas"]["MemberCreate"]["description"] =
        Value::String("Polar's own newer MemberCreate.".into());
    let (_, _, overlaid) = overlaid(spec);
    assert_eq!(
        overlaid["components"]["schemas"]["MemberCreate"]["description"],
        "Polar's own newer MemberCreate."
    );
}

#[test]
fn operations_polar_publishes_again_are_not_duplicated() {
    // What the overlay restores, published by "Polar" without the SDK's marker.
    let (_, _, restored_spec) = overlaid(current());
    let mut spec = current();
    let mut republished = 0;
    for (path, item) in restored_spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().into_iter().flatten() {
            if op.get("x-polar-sdk-restored") != Some(&Value::Bool(true)) {
                continue;
            }
            let mut op = op.clone();
            let op_obj = op.as_object_mut().expect("operation object");
            op_obj.shift_remove("x-polar-sdk-restored");
            op_obj.shift_remove("deprecated");
            spec["paths"]
                .as_object_mut()
                .expect("paths")
                .entry(path.clone())
                .or_insert_with(|| Value::Object(Default::default()))[method] = op;
            republished += 1;
        }
    }
    assert_eq!(republished, 8);
    let published = published_operations(&spec);
    let (api, skipped, _) = overlaid(spec);
    assert_eq!(skipped.len(), 8, "one notice per republished operation");
    assert!(
        skipped.iter().all(|s| s
            .to_string()
            .contains("skipped: the spec already has `$.paths[")),
        "{skipped:?}"
    );
    assert_eq!(api.operations.len(), published, "no duplicates");
    assert!(api.operations.iter().all(|op| !op.restored));
    assert!(api
        .operations
        .iter()
        .any(|op| op.operation_id == "members:create_member" && !op.docs.deprecated));
}
