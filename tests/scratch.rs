//! Scratch workspaces under the target directory, for tests that generate a crate and
//! compile it (or a program against it) outside this workspace.

use std::path::{Path, PathBuf};

use crate::workspace_root;

/// The target directory of this build (`CARGO_TARGET_DIR`, else `target/`).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// Copies `from` into `to`, leaving out `skip` (a path inside `from`).
pub fn copy_dir(from: &Path, to: &Path, skip: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        if path == skip {
            continue;
        }
        let dest = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &dest, skip);
        } else {
            std::fs::copy(&path, &dest).unwrap();
        }
    }
}

/// Makes `scratch` a workspace of `members` that provides what the generated manifest
/// inherits (`[workspace.package]`), with this workspace's lockfile so `--offline` works.
pub fn write_workspace(scratch: &Path, members: &[&str]) {
    let root_manifest = std::fs::read_to_string(workspace_root().join("Cargo.toml")).unwrap();
    let package = &root_manifest[root_manifest.find("[workspace.package]").unwrap()..];
    let package = &package[..package
        .find("\n[workspace.dependencies]")
        .unwrap_or(package.len())];
    let members: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    std::fs::write(
        scratch.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n{package}\n",
            members.join(", ")
        ),
    )
    .unwrap();
    std::fs::copy(
        workspace_root().join("Cargo.lock"),
        scratch.join("Cargo.lock"),
    )
    .unwrap();
}
