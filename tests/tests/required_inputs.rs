//! A missing test input fails the suite under CI: the helper in `tests/paths.rs` run
//! in a child test process with `POLAR_REQUIRE_SPECS=1` (or `CI=true`) and a spec
//! directory that does not exist panics with the same message it prints as `SKIPPED`
//! otherwise.

use std::process::{Command, Output};

use polar_tests::paths;

/// Set in the child process: the test then looks the inputs up instead of spawning.
const CHILD_ENV: &str = "POLAR_TESTS_REQUIRED_INPUTS_CHILD";

/// Runs this test binary's `child_looks_up_missing_inputs` with `vars` set, in a
/// directory where no reference spec, history or catalog exists.
fn child(vars: &[(&str, &str)]) -> Output {
    let missing = std::env::temp_dir().join("polar-tests-no-such-dir");
    let mut command = Command::new(std::env::current_exe().expect("test binary"));
    command
        .args(["--exact", "child_looks_up_missing_inputs", "--nocapture"])
        .env(CHILD_ENV, "1")
        .env("POLAR_OPENAPI_DIR", &missing)
        .env("POLAR_WORKFLOW_CATALOG", missing.join("catalog.txt"))
        .env_remove("CI")
        .env_remove(paths::REQUIRE_ENV);
    for (name, value) in vars {
        command.env(name, value);
    }
    command.output().expect("run the test binary")
}

/// The lookups every skipping test makes. Does nothing unless run by [`child`].
#[test]
fn child_looks_up_missing_inputs() {
    if std::env::var_os(CHILD_ENV).is_none() {
        return;
    }
    assert_eq!(paths::reference_spec("2026-04.openapi.json"), None);
    assert_eq!(paths::history_specs(), Vec::<std::path::PathBuf>::new());
    assert_eq!(paths::workflow_catalog(), None);
    println!("CHILD DONE");
}

#[test]
fn missing_inputs_skip_locally_and_fail_when_required() {
    let local = child(&[]);
    let stdout = String::from_utf8_lossy(&local.stdout);
    let stderr = String::from_utf8_lossy(&local.stderr);
    assert!(local.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("CHILD DONE"), "{stdout}");
    for needle in [
        "SKIPPED: spec 2026-04.openapi.json not found at",
        "SKIPPED: no older specs (*.json) in",
        "SKIPPED: workflow catalog not found at",
    ] {
        assert!(stderr.contains(needle), "`{needle}` not in:\n{stderr}");
    }

    for vars in [[(paths::REQUIRE_ENV, "1")], [("CI", "true")]] {
        let out = child(&vars);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.status.success(), "{vars:?}: passed:\n{text}");
        assert!(!text.contains("CHILD DONE"), "{vars:?}:\n{text}");
        assert!(
            text.contains("spec 2026-04.openapi.json not found at")
                && text.contains("a required test input"),
            "{vars:?}:\n{text}"
        );
    }
}
