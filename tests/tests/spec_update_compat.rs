//! A spec update that only adds things is not a breaking release: a program written
//! against the crate generated from Polar's 2026-07-21 spec compiles unchanged against the
//! crate regenerated, in place, from the current spec, and so do the additions `cargo xtask
//! diff` calls non-breaking. The other side is checked too: a program naming every
//! required field of a model that gained one (which the diff calls breaking) compiles
//! against the old crate and not against the new one, so the check can fail.
//!
//! The programs live in `tests/spec_update_compat/`; they are copied into a scratch
//! workspace under `target/spec-update-compat/` beside the generated crate.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use polar_codegen::write::Mode;
use polar_tests::scratch::{copy_dir, target_dir, write_workspace};
use polar_tests::{current_spec, generated_crate, overlays_dir, paths, workspace_root};

const OLD_SPEC: &str = "2026-07-21.openapi.json";
const PROGRAMS: [&str; 2] = ["user_program", "required_field_probe"];
/// The model the current spec gives one more required field.
const GROWN_MODEL: &str = "OrganizationCustomerEmailSettings";

/// A scratch workspace: the hand-written part of the crate, the two programs and a
/// manifest providing what the generated one inherits.
fn scratch_workspace() -> PathBuf {
    let scratch = target_dir().join("spec-update-compat");
    let _ = std::fs::remove_dir_all(&scratch);
    copy_dir(
        &generated_crate(),
        &scratch.join("polar-generated"),
        &generated_crate().join("src/generated"),
    );
    let programs = workspace_root().join("tests/spec_update_compat");
    for program in PROGRAMS {
        copy_dir(
            &programs.join(program),
            &scratch.join(program),
            Path::new(""),
        );
    }
    let mut members = vec!["polar-generated"];
    members.extend(PROGRAMS);
    write_workspace(&scratch, &members);
    scratch
}

/// Generates the crate from `spec` into the workspace, replacing what was there.
fn generate(scratch: &Path, spec: &Path) {
    let crate_dir = scratch.join("polar-generated");
    polar_codegen::generate(spec, Some(&overlays_dir()), &crate_dir, Mode::Write)
        .unwrap_or_else(|err| panic!("{}: {err}", spec.display()));
}

fn cargo_check(scratch: &Path, package: &str) -> Output {
    Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--offline", "-p", package])
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", target_dir().join("other-specs-target"))
        .output()
        .expect("cargo runs")
}

/// The required fields of `model`'s `…Required` struct in the generated crate.
fn required_fields(scratch: &Path, model: &str) -> Vec<String> {
    let models = scratch.join("polar-generated/src/generated/models");
    let marker = format!("pub struct {model}Required {{");
    for entry in std::fs::read_dir(&models).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        if let Some(start) = text.find(&marker) {
            let body = &text[start + marker.len()..];
            let body = &body[..body.find('}').unwrap()];
            return body
                .lines()
                .filter_map(|line| line.trim().strip_prefix("pub "))
                .filter_map(|field| field.split(':').next())
                .map(str::to_owned)
                .collect();
        }
    }
    panic!("no {model}Required in the crate generated from {OLD_SPEC}");
}

#[test]
fn a_program_written_against_2026_07_21_compiles_unchanged_after_regenerating_from_the_current_spec(
) {
    let Some(old_spec) = paths::history_specs()
        .into_iter()
        .find(|spec| spec.ends_with(OLD_SPEC))
        .or_else(|| paths::missing_input(&format!("history/{OLD_SPEC} not found")))
    else {
        return;
    };
    let scratch = scratch_workspace();
    generate(&scratch, &old_spec);

    // The probe names every required field the old model has.
    let fields = required_fields(&scratch, GROWN_MODEL);
    assert!(fields.len() > 3, "{fields:?}");
    let probe = scratch.join("required_field_probe/src/main.rs");
    let source = std::fs::read_to_string(&probe).unwrap();
    let values: String = fields.iter().map(|f| format!("{f}: true,\n")).collect();
    std::fs::write(&probe, source.replace("// REQUIRED_FIELDS", &values)).unwrap();

    for program in ["user-program", "required-field-probe"] {
        let out = cargo_check(&scratch, program);
        assert!(
            out.status.success(),
            "{program} does not compile against the crate generated from {OLD_SPEC}:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    generate(&scratch, &current_spec());
    let out = cargo_check(&scratch, "user-program");
    assert!(
        out.status.success(),
        "the program written against {OLD_SPEC} no longer compiles after regenerating from \
         the current spec (a breaking release):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = cargo_check(&scratch, "required-field-probe");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "a model that gained a required field still compiles with the old field list"
    );
    assert!(
        stderr.contains(&format!("{GROWN_MODEL}Required")) && stderr.contains("missing"),
        "the probe fails for another reason than the new required field:\n{stderr}"
    );
    println!(
        "spec update compat: user program compiles against {OLD_SPEC} and the current spec; \
         the {GROWN_MODEL} probe ({} old fields) fails as the diff says",
        fields.len()
    );
}
