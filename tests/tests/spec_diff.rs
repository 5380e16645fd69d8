//! The API-surface diff on real specs: the older reference spec against the current
//! one, with and without the project's overlays. The report is an `insta` file
//! snapshot in `tests/snapshots/`; the counts were checked against the raw JSON by
//! hand (see docs/updating-the-spec.md).

use polar_codegen::tools::diff::{diff_apis, ChangeKind, DiffReport, Item};
use polar_tests::paths;

/// The 2026-10 spec itself (not `POLAR_OPENAPI_SPEC`): the facts below are about it.
fn spec_2026_10() -> Option<std::path::PathBuf> {
    paths::reference_spec("2026-10.openapi.json")
}

/// The diff, or `None` (the test is skipped, saying why) without both specs.
fn report(overlays: bool) -> Option<DiffReport> {
    let dir = overlays.then(paths::overlays);
    let old = polar_codegen::load_api(&paths::older_spec()?, dir.as_deref()).expect("old spec");
    let new = polar_codegen::load_api(&spec_2026_10()?, dir.as_deref()).expect("new spec");
    Some(diff_apis(&old, &new))
}

fn count(report: &DiffReport, item: Item, kind: ChangeKind) -> usize {
    report
        .changes
        .iter()
        .filter(|c| c.item == item && c.kind == kind)
        .count()
}

fn subjects(report: &DiffReport, item: Item, kind: ChangeKind) -> Vec<&str> {
    report
        .changes
        .iter()
        .filter(|c| c.item == item && c.kind == kind)
        .map(|c| c.subject.as_str())
        .collect()
}

#[test]
fn older_to_current_spec_report() {
    let Some(report) = report(true) else { return };
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
        description => "cargo xtask diff history/2026-07-21.openapi.json 2026-10.openapi.json",
    }, {
        insta::assert_snapshot!("diff_2026-07-21_to_2026-10", report.to_text());
    });
}

#[test]
fn older_to_current_spec_facts() {
    // Published specs only: 185 → 186 operations, 37 → 41 webhooks.
    let Some(raw) = report(false) else { return };
    let s = &raw.summary;
    assert_eq!((s.old.operations, s.new.operations), (185, 186));
    assert_eq!((s.old.webhooks, s.new.webhooks), (37, 41));
    // The overlay adds the same 8 operations to both.
    let Some(with) = report(true) else { return };
    let s = &with.summary;
    assert_eq!((s.old.operations, s.new.operations), (193, 194));
    assert_eq!(
        raw.changes, with.changes,
        "the overlay changes nothing between the two"
    );

    assert_eq!(
        subjects(&with, Item::Operation, ChangeKind::Added),
        ["benefits.files"]
    );
    assert_eq!(count(&with, Item::Operation, ChangeKind::Removed), 0);
    assert_eq!(count(&with, Item::Operation, ChangeKind::Renamed), 0);
    assert_eq!(
        subjects(&with, Item::Webhook, ChangeKind::Added),
        [
            "discount.created",
            "discount.deleted",
            "discount.updated",
            "subscription.cycled"
        ]
    );
    assert_eq!(count(&with, Item::Webhook, ChangeKind::Removed), 0);
    assert_eq!(count(&with, Item::Type, ChangeKind::Removed), 0);
    // Breaking: two changed 403 bodies, a removed 400 and a new required field of an
    // input struct; optional input fields are additions (non-exhaustive models).
    assert_eq!((s.breaking, s.non_breaking), (4, 93));
}

#[test]
fn same_api_in_two_versions_has_no_changes() {
    let (Some(spec), Some(current)) = (
        paths::reference_spec("2026-04.openapi.json"),
        spec_2026_10(),
    ) else {
        return;
    };
    let dir = paths::overlays();
    let a = polar_codegen::load_api(&spec, Some(&dir)).expect("2026-04");
    let b = polar_codegen::load_api(&current, Some(&dir)).expect("2026-10");
    let report = diff_apis(&a, &b);
    assert!(report.is_empty(), "{}", report.to_text());
}
