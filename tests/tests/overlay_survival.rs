//! The project overlays survive spec versions they were not written against. Each case
//! derives its fixture from the current spec inside the test: schemas the restore
//! overlay needs removed (it carries them and adds them only when absent), the
//! restored operations published again (their actions are skipped with a notice, so
//! nothing is generated twice), every action's target removed or (for a schema) moved
//! into the token operation's `x-components` (applied elsewhere or skipped, with a
//! notice, never an error), and a whole operation group removed (the generated
//! `Cargo.toml` stays a valid manifest).

use std::path::Path;

use polar_codegen::overlay::{
    apply_all_reporting, load_overlays, IfMissing, Notice, NoticeKind, Overlay,
};
use polar_tests::{current_spec, overlays_dir};
use serde_json::{json, Value};

fn current() -> Value {
    polar_codegen::load::load_json(&current_spec()).expect("current spec loads")
}

/// Applies the project overlays and normalizes, as `load_api` does.
fn overlaid(mut spec: Value) -> (polar_codegen::ir::Api, Vec<Notice>, Value) {
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

/// Every action of every project overlay says what happens on a spec without its
/// target (`x-polar-sdk-if-target-missing`), so none can fail a regeneration that way.
#[test]
fn every_project_overlay_action_declares_a_missing_target_rule() {
    let overlays = load_overlays(&overlays_dir()).expect("overlays load");
    assert!(overlays.len() >= 2, "the project has overlays");
    for overlay in &overlays {
        for (index, action) in overlay.actions.iter().enumerate() {
            assert_ne!(
                action.if_missing,
                IfMissing::Error,
                "{}: actions[{index}] (`{}`) has no x-polar-sdk-if-target-missing",
                overlay.file.display(),
                action.target
            );
        }
    }
}

/// `spec` with every node `query` matches removed.
fn without(spec: &Value, query: &str) -> Value {
    let mut spec = spec.clone();
    let remove = json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"},
        "actions": [{"target": query, "remove": true, "x-polar-sdk-if-target-missing": "skip"}]});
    Overlay::from_value(&remove, Path::new("derive.json"))
        .expect("remove overlay")
        .apply(&mut spec)
        .expect("remove");
    spec
}

/// Applies one overlay file to a spec lacking the target of the action at `index`:
/// that action must have a notice (skipped, applied at an alternative, or its target
/// created), unless an earlier action created the same target (then it applied there).
/// Returns the action's notice, or the earlier one.
fn apply_one(overlay: &Overlay, spec: &mut Value, index: usize, case: &str) -> Notice {
    let notices = overlay
        .apply(spec)
        .unwrap_or_else(|err| panic!("{case}: {} fails: {err}", overlay.file.display()));
    for notice in &notices {
        eprintln!("{case}: {notice}");
    }
    let target = &overlay.actions[index].target;
    notices
        .iter()
        .find(|n| n.index == index)
        .or_else(|| {
            notices.iter().find(|n| {
                n.index < index
                    && matches!(&n.kind, NoticeKind::Created { target: created } if created == target)
            })
        })
        .unwrap_or_else(|| {
            panic!(
                "{case}: no notice for actions[{index}] of {}: {notices:?}",
                overlay.file.display()
            )
        })
        .clone()
}

#[test]
fn every_overlay_action_survives_a_spec_without_its_target() {
    let spec = current();
    let overlays = load_overlays(&overlays_dir()).expect("overlays load");
    let mut cases = 0;
    for overlay in &overlays {
        for (index, action) in overlay.actions.iter().enumerate() {
            let mut derived = without(&spec, &action.target);
            for (alternative, _) in &action.alternatives {
                derived = without(&derived, alternative);
            }
            let case = format!(
                "{} actions[{index}] without `{}`",
                overlay.file.display(),
                action.target
            );
            let notice = apply_one(overlay, &mut derived, index, &case);
            match &action.if_missing {
                IfMissing::Skip => assert!(
                    matches!(notice.kind, NoticeKind::TargetMissing { .. })
                        || matches!(notice.kind, NoticeKind::Present { .. }),
                    "{case}: {notice}"
                ),
                IfMissing::Create(_) => assert!(
                    matches!(notice.kind, NoticeKind::Created { .. })
                        || matches!(notice.kind, NoticeKind::Present { .. }),
                    "{case}: {notice}"
                ),
                IfMissing::Error => unreachable!("every project action declares a rule"),
            }
            cases += 1;
        }
    }
    assert!(cases >= 10, "{cases} actions checked");
}

/// The token operation of every Polar spec: where older ones keep its form schemas.
const TOKEN_OPERATION: (&str, &str) = ("/v1/oauth2/token", "post");

/// `spec` with the component schema `name` moved into the token operation's
/// `x-components`, and every reference to it rewritten, as older Polar specs have it.
fn with_schema_moved(spec: &Value, name: &str) -> Value {
    let mut spec = spec.clone();
    let schema = spec["components"]["schemas"]
        .as_object_mut()
        .expect("schemas")
        .shift_remove(name)
        .unwrap_or_else(|| panic!("the current spec has the schema {name}"));
    let (path, method) = TOKEN_OPERATION;
    let op = &mut spec["paths"][path][method];
    assert!(op.is_object(), "the current spec has {method} {path}");
    op["x-components"] = json!({ name: schema });
    let from = format!("#/components/schemas/{name}");
    let to = format!(
        "#/paths/{}/{method}/x-components/{name}",
        path.replace('/', "~1")
    );
    let text = serde_json::to_string(&spec).expect("serializes");
    let text = text.replace(&format!("\"{from}\""), &format!("\"{to}\""));
    serde_json::from_str(&text).expect("reparses")
}

#[test]
fn schema_targets_moved_into_the_token_operation_are_found() {
    let spec = current();
    let overlays = load_overlays(&overlays_dir()).expect("overlays load");
    let mut moved = Vec::new();
    for overlay in &overlays {
        for (index, action) in overlay.actions.iter().enumerate() {
            let Some(rest) = action.target.strip_prefix("$.components.schemas.") else {
                continue;
            };
            let name = rest.split(['.', '[']).next().expect("a schema name");
            let mut derived = with_schema_moved(&spec, name);
            let case = format!(
                "{} actions[{index}] with {name} moved",
                overlay.file.display()
            );
            let notice = apply_one(overlay, &mut derived, index, &case);
            assert_eq!(notice.index, index, "{case}");
            assert!(
                matches!(&notice.kind, NoticeKind::Alternative { alternative, .. } if alternative.contains("x-components")),
                "{case}: applied at the moved schema: {notice}"
            );
            let (path, method) = TOKEN_OPERATION;
            let moved_schema = &derived["paths"][path][method]["x-components"][name];
            assert!(
                derived["components"]["schemas"].get(name).is_none(),
                "{case}: not re-added"
            );
            if let Some(Value::Object(update)) = action_update(action) {
                for key in update.keys() {
                    assert!(
                        moved_schema["properties"].get(key).is_some(),
                        "{case}: `{key}` added to the moved schema"
                    );
                }
            }
            moved.push((name.to_owned(), derived));
        }
    }
    assert!(
        moved
            .iter()
            .any(|(name, _)| name == "AuthorizationCodeTokenRequest"),
        "the PKCE overlay targets a component schema"
    );
    // The whole project set on such a spec generates, and the field reaches the IR.
    for (name, derived) in moved {
        let (api, _, _) = overlaid(derived);
        let def = api
            .types
            .values()
            .find(|d| d.origin.ends_with(&format!("/x-components/{name}")))
            .unwrap_or_else(|| panic!("{name} is in the IR, from the x-components"));
        let polar_codegen::ir::TypeKind::Struct(s) = &def.kind else {
            panic!("{name} is a struct");
        };
        assert!(
            s.fields.iter().any(|f| f.name == "code_verifier"),
            "{name} has the overlay's code_verifier"
        );
    }
}

fn action_update(action: &polar_codegen::overlay::Action) -> Option<&Value> {
    match &action.kind {
        polar_codegen::overlay::ActionKind::Update(value) => Some(value),
        polar_codegen::overlay::ActionKind::Remove => None,
    }
}
