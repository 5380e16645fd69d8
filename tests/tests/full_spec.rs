//! The generator on the full current spec: every operation and webhook emitted, the
//! checked-in crate up to date, and the API surface snapshotted.

use std::collections::BTreeSet;

use polar_codegen::tools::{overlay_check, surface};
use polar_codegen::write::Mode;
use polar_tests::{current_api, current_spec, generated_crate, overlays_dir};

#[test]
fn checked_in_crate_is_up_to_date() {
    let report = polar_codegen::generate(
        &current_spec(),
        Some(&overlays_dir()),
        &generated_crate(),
        Mode::Check,
    )
    .expect("generation succeeds");
    assert!(
        report.is_clean(),
        "polar-generated is stale; run `cargo xtask regenerate`\n{}",
        report.summary()
    );
}

#[test]
fn every_operation_and_webhook_is_emitted() {
    let spec = polar_codegen::load::load_json(&current_spec()).unwrap();
    let published = overlay_check::operations(&spec).len();
    let events: BTreeSet<&str> = spec["webhooks"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let api = current_api();

    // Every published operation plus the ones the overlays restore.
    let restored = api.operations.iter().filter(|op| op.restored).count();
    assert_eq!(api.operations.len(), published + restored);
    let emitted: BTreeSet<&str> = api
        .operations
        .iter()
        .map(|op| op.operation_id.as_str())
        .collect();
    assert_eq!(
        emitted.len(),
        api.operations.len(),
        "operationIds are unique"
    );
    // Every operation sits in the planned service tree, reachable by its accessor chain
    // (`polar-generated/tests/dispatch.rs` calls each one through the compiled client).
    let plan = polar_codegen::plan::plan(&api).unwrap();
    let placed = service_tree_operations(&plan.services);
    assert_eq!(
        placed.keys().copied().collect::<Vec<_>>(),
        (0..api.operations.len()).collect::<Vec<_>>(),
        "every operation has exactly one place in the service tree"
    );
    for (index, chain) in &placed {
        assert_eq!(
            &plan.operations[*index].names.accessors, chain,
            "{}",
            api.operations[*index].operation_id
        );
    }

    let webhook_events: BTreeSet<&str> = polar::WebhookEvent::EVENT_TYPES.iter().copied().collect();
    assert_eq!(
        webhook_events, events,
        "one WebhookEvent variant per webhook"
    );
    println!(
        "emitted: {}/{} operations ({} published + {} restored), {}/{} webhook events",
        emitted.len(),
        api.operations.len(),
        published,
        restored,
        webhook_events.len(),
        events.len()
    );
}

/// Operation index → the accessor chain that reaches its service from `Client`.
fn service_tree_operations(
    services: &[polar_codegen::plan::ServicePlan],
) -> std::collections::BTreeMap<usize, Vec<String>> {
    fn walk(
        node: &polar_codegen::plan::ServicePlan,
        chain: &[String],
        out: &mut std::collections::BTreeMap<usize, Vec<String>>,
    ) {
        let mut chain = chain.to_vec();
        chain.push(node.accessor.clone());
        for &index in &node.operations {
            assert!(out.insert(index, chain.clone()).is_none(), "placed twice");
        }
        for child in &node.children {
            walk(child, &chain, out);
        }
    }
    let mut out = std::collections::BTreeMap::new();
    for service in services {
        walk(service, &[], &mut out);
    }
    out
}

#[test]
fn api_surface_snapshots() {
    let api = current_api();
    let plan = polar_codegen::plan::plan(&api).expect("the spec plans");
    // Every snapshot of this crate lives in `tests/snapshots/`.
    insta::with_settings!({ snapshot_path => "../snapshots" }, {
        insta::assert_snapshot!("operations", surface::operations(&plan));
        insta::assert_snapshot!("webhooks", surface::webhooks(&plan));
        insta::assert_snapshot!("models", surface::models(&plan));
    });
}

#[test]
fn generation_is_byte_identical_across_runs() {
    let api = current_api();
    let first = polar_codegen::emit::emit(&polar_codegen::plan::plan(&api).unwrap()).unwrap();
    let again = current_api();
    let second = polar_codegen::emit::emit(&polar_codegen::plan::plan(&again).unwrap()).unwrap();
    assert_eq!(first, second);
    // JSON fixtures cannot carry a comment; every other generated file starts with the header.
    for file in first.iter().filter(|f| !f.path.ends_with(".json")) {
        assert!(
            file.contents.contains("@generated"),
            "{} has no @generated header",
            file.path
        );
    }
}
