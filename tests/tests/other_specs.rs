//! The generator works on other Polar spec versions without code changes: each
//! generates a crate (with the project overlays) that `cargo check` accepts.
//!
//! The crate is generated into a scratch workspace under `target/other-specs/`, next
//! to a copy of the hand-written runtime, and checked with a shared target directory
//! so dependencies compile once.

use std::path::{Path, PathBuf};
use std::process::Command;

use polar_codegen::write::Mode;
use polar_tests::{generated_crate, overlays_dir, paths, workspace_root};

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

fn copy_dir(from: &Path, to: &Path, skip: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path == skip {
            continue;
        }
        let dest = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &dest, skip);
        } else {
            std::fs::copy(&path, &dest).unwrap();
        }
    }
}

fn generate_and_check(spec_name: &str) {
    let Some(spec) = paths::reference_spec(spec_name) else {
        return;
    };
    let scratch = target_dir()
        .join("other-specs")
        .join(spec_name.replace('/', "_"));
    let _ = std::fs::remove_dir_all(&scratch);
    let crate_dir = scratch.join("polar-generated");
    copy_dir(
        &generated_crate(),
        &crate_dir,
        &generated_crate().join("src/generated"),
    );
    let report = polar_codegen::generate(&spec, Some(&overlays_dir()), &crate_dir, Mode::Write)
        .unwrap_or_else(|err| panic!("{spec_name}: {err}"));
    assert!(report.removed.is_empty());
    // A scratch workspace that provides what the generated manifest inherits.
    let root_manifest = std::fs::read_to_string(workspace_root().join("Cargo.toml")).unwrap();
    let package = &root_manifest[root_manifest.find("[workspace.package]").unwrap()..];
    let package = &package[..package
        .find("\n[workspace.dependencies]")
        .unwrap_or(package.len())];
    std::fs::write(
        scratch.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"2\"\nmembers = [\"polar-generated\"]\n\n{package}\n"),
    )
    .unwrap();
    std::fs::copy(
        workspace_root().join("Cargo.lock"),
        scratch.join("Cargo.lock"),
    )
    .unwrap();

    let status = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--lib", "--all-features", "--offline"])
        .current_dir(&scratch)
        .env("CARGO_TARGET_DIR", target_dir().join("other-specs-target"))
        .env("RUSTFLAGS", "-Dwarnings")
        .status()
        .expect("cargo runs");
    assert!(
        status.success(),
        "the crate generated from {spec_name} does not compile"
    );
}

#[test]
fn spec_2026_04_generates_a_compiling_crate() {
    generate_and_check("2026-04.openapi.json");
}

#[test]
fn spec_2026_07_21_generates_a_compiling_crate() {
    generate_and_check("history/2026-07-21.openapi.json");
}
