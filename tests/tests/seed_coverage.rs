//! The seed workflow catalog against the SDK: every trigger is a `WebhookEvent` of the
//! generated crate and every action an operation the generated client offers.
//!
//! Actions are matched to operations on the IR (spec + overlays) with
//! `catalog::match_catalog`; each matched operation must then be in the generated
//! crate itself: its operationId is in `OPERATION_IDS` of the generated dispatcher
//! `polar-generated/tests/support/operation_calls.rs`, which this test compiles, so
//! the method it calls exists.

use std::collections::BTreeMap;

use polar::WebhookEvent;
use polar_codegen::ir::Api;
use polar_tests::catalog::{load_catalog, match_catalog, Catalog, CatalogCoverage};
use polar_tests::paths;

// Generated code: rustfmt must not touch it (`regenerate --check` would fail).
#[rustfmt::skip]
#[allow(dead_code, unused_variables)]
#[path = "../../polar-generated/tests/support/operation_calls.rs"]
mod operation_calls;

/// The seed catalog, or `None` (the test is skipped, saying why) where it is not available.
fn catalog() -> Option<Catalog> {
    let catalog = load_catalog(&paths::workflow_catalog()?).expect("the seed catalog parses");
    assert_eq!(
        (catalog.triggers.len(), catalog.actions.len()),
        (35, 169),
        "the seed catalog lists 35 triggers and 169 actions"
    );
    Some(catalog)
}

fn coverage(spec: &std::path::Path) -> Option<(Api, CatalogCoverage)> {
    let catalog = catalog()?;
    let api = polar_codegen::load_api(spec, Some(&paths::overlays())).expect("spec loads");
    let coverage = match_catalog(&catalog, &api);
    Some((api, coverage))
}

#[test]
fn seed_catalog_is_covered_by_the_generated_crate() {
    let Some(catalog) = catalog() else { return };
    let Some((api, coverage)) = coverage(&paths::current_spec()) else {
        return;
    };

    // Triggers: the generated crate's own list of event types.
    let missing_events: Vec<&str> = catalog
        .triggers
        .iter()
        .map(|t| t.event.as_str())
        .filter(|e| !WebhookEvent::EVENT_TYPES.contains(e))
        .collect();
    assert!(
        missing_events.is_empty(),
        "catalog triggers without a WebhookEvent variant: {missing_events:?}"
    );
    assert!(
        coverage.unmatched_triggers.is_empty(),
        "{:?}",
        coverage.unmatched_triggers
    );

    // Actions: matched on the IR, then found in the generated client.
    assert!(
        coverage.unmatched_actions.is_empty(),
        "catalog actions without an operation: {:#?}",
        coverage.unmatched_actions
    );
    let operation_ids: BTreeMap<String, &str> = api
        .operations
        .iter()
        .map(|op| (op.qualified_name(), op.operation_id.as_str()))
        .collect();
    let not_generated: Vec<String> = coverage
        .matched_actions
        .iter()
        .filter(|m| {
            let id = operation_ids[&m.operation];
            !operation_calls::OPERATION_IDS.contains(&id)
        })
        .map(|m| format!("{} → {}", m.title, m.operation))
        .collect();
    assert!(
        not_generated.is_empty(),
        "matched operations missing from the generated crate \
         (run `cargo xtask regenerate`): {not_generated:#?}"
    );

    let triggers = catalog.triggers.len() - missing_events.len();
    let actions = coverage.matched_actions.len() - not_generated.len();
    println!(
        "seed: {triggers}/{} triggers, {actions}/{} actions",
        catalog.triggers.len(),
        catalog.actions.len()
    );
    assert_eq!((triggers, actions), (35, 169));

    // The workflow catalog (`polar::catalog`, `catalog.json`) lists each of them.
    let catalog_triggers = catalog
        .triggers
        .iter()
        .filter(|t| polar::catalog::trigger(&t.event).is_some())
        .count();
    let catalog_actions = coverage
        .matched_actions
        .iter()
        .filter(|m| polar::catalog::action(operation_ids[&m.operation]).is_some())
        .count();
    println!("seed in the workflow catalog: {catalog_triggers}/35 triggers, {catalog_actions}/169 actions");
    assert_eq!((catalog_triggers, catalog_actions), (35, 169));
}

/// Each action maps to its own operation: two catalog entries never share one.
#[test]
fn seed_actions_map_to_distinct_operations() {
    let Some((_, coverage)) = coverage(&paths::current_spec()) else {
        return;
    };
    let mut by_operation: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for m in &coverage.matched_actions {
        by_operation
            .entry(m.operation.as_str())
            .or_default()
            .push(m.title.as_str());
    }
    let shared: Vec<_> = by_operation.iter().filter(|(_, t)| t.len() > 1).collect();
    assert!(shared.is_empty(), "{shared:#?}");
}

/// The older spec (IR level, with overlays): what an SDK built from it would cover.
#[test]
fn seed_catalog_against_the_older_spec() {
    let Some(catalog) = catalog() else { return };
    let Some(older) = paths::older_spec() else {
        return;
    };
    let Some((_, coverage)) = coverage(&older) else {
        return;
    };
    let unmatched_triggers: Vec<&str> = coverage
        .unmatched_triggers
        .iter()
        .map(|t| t.event.as_str())
        .collect();
    let unmatched_actions: Vec<String> = coverage
        .unmatched_actions
        .iter()
        .map(|a| format!("{} {}", a.method.as_str(), a.path))
        .collect();
    println!(
        "seed on 2026-07-21: {}/{} triggers, {}/{} actions; missing {unmatched_triggers:?} {unmatched_actions:?}",
        coverage.matched_triggers.len(),
        catalog.triggers.len(),
        coverage.matched_actions.len(),
        catalog.actions.len()
    );
    assert_eq!(unmatched_triggers, Vec::<&str>::new());
    assert_eq!(unmatched_actions, Vec::<String>::new());
}
