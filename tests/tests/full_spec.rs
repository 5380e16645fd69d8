//! The generator on the full current spec: every operation and webhook emitted, the
//! checked-in crate up to date, and the API surface snapshotted.

use std::collections::BTreeSet;

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
    let published = polar_codegen::overlay_check::operations(&spec).len();
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
    assert_eq!(
        emitted,
        polar_ids(),
        "the generated dispatcher covers every operation"
    );

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

fn polar_ids() -> BTreeSet<&'static str> {
    // The dispatcher is generated from the IR and compiled against the generated crate,
    // so every id in it is reachable through `client.<group>()...<method>()`.
    let source = include_str!("../../polar-generated/tests/support/operation_calls.rs");
    let start = source
        .find("OPERATION_IDS: &[&str] = &[")
        .expect("OPERATION_IDS in the dispatcher");
    let list = &source[start..source[start..].find("];").map(|end| start + end).unwrap()];
    list.split('"').skip(1).step_by(2).collect()
}

#[test]
fn every_group_is_reachable_from_the_client() {
    let api = current_api();
    let groups: BTreeSet<String> = api
        .operations
        .iter()
        .map(|op| {
            op.group
                .iter()
                .map(|g| g.wire.clone())
                .collect::<Vec<_>>()
                .join(".")
        })
        .collect();
    // The dispatcher compiles against the generated crate; strip the formatter's line breaks.
    let source: String =
        std::fs::read_to_string(generated_crate().join("tests/support/operation_calls.rs"))
            .unwrap()
            .split_whitespace()
            .collect();
    for group in &groups {
        let chain: String = group
            .split('.')
            .map(|g| format!(".{}()", polar_codegen::names::snake(g)))
            .collect();
        assert!(
            source.contains(&format!("client{chain}")),
            "group {group} is not reached as client{chain}"
        );
    }
    println!("groups reachable: {}/{}", groups.len(), groups.len());
}

#[test]
fn api_surface_snapshots() {
    let api = current_api();
    insta::assert_snapshot!("operations", polar_codegen::surface::operations(&api));
    insta::assert_snapshot!("webhooks", polar_codegen::surface::webhooks(&api));
    insta::assert_snapshot!("models", polar_codegen::surface::models(&api));
}

#[test]
fn generation_is_byte_identical_across_runs() {
    let api = current_api();
    let first = polar_codegen::emit::emit(&api).unwrap();
    let second = polar_codegen::emit::emit(&current_api()).unwrap();
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
