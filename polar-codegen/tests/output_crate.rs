//! Level 2: tiny spec fixtures → emitted Rust, checked in under `tests/output/` (a
//! workspace crate that cargo compiles and whose own tests exercise the behaviour).
//! This test fails when that output is stale; `UPDATE_OUTPUT=1 cargo test -p
//! polar-codegen --test output_crate` rewrites it.

use std::path::Path;

use polar_codegen::plan::GENERATED_DIR;
use polar_codegen::write::{ensure_files, Mode};

#[test]
fn emitted_fixture_crate_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = root.join("tests/fixtures/shop.json");
    let api = polar_codegen::load_api(&spec, None).expect("the fixture spec normalizes");
    let plan = polar_codegen::plan_api(&spec, &api).expect("the fixture spec plans");
    // Only the Rust modules: the crate's manifest and lib.rs are written by hand.
    let files: Vec<_> = polar_codegen::emit::emit(&plan)
        .expect("the fixture spec emits")
        .into_iter()
        .filter(|f| f.path.starts_with(GENERATED_DIR))
        .collect();
    assert!(
        files.len() > 10,
        "expected models and services, got {files:?}"
    );
    let mode = if std::env::var_os("UPDATE_OUTPUT").is_some() {
        Mode::Write
    } else {
        Mode::Check
    };
    let crate_root = root.join("tests/output");
    let report = ensure_files(&crate_root, GENERATED_DIR, &files, mode).unwrap();
    assert!(
        mode == Mode::Write || report.is_clean(),
        "tests/output is stale; run `UPDATE_OUTPUT=1 cargo test -p polar-codegen --test output_crate`\n{}",
        report.summary()
    );
}
