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
    generate_and_check_path(&spec, spec_name);
}

fn generate_and_check_path(spec: &Path, spec_name: &str) {
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
    let report = polar_codegen::generate(spec, Some(&overlays_dir()), &crate_dir, Mode::Write)
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

/// The constructs other Polar spec versions use, added to the current spec: a form body
/// whose `oneOf` points into the operation's `x-components`, a binary (PDF) response,
/// an `allOf` of several schemas, a `type` list and a `$ref` into a root-level vendor
/// extension. The crate generated from it must compile.
#[test]
fn new_constructs_generate_a_compiling_crate() {
    let mut spec = polar_codegen::load::load_json(&polar_tests::current_spec()).unwrap();
    // A new operation beside the real `/v1/oauth2/token` (which the hand-written
    // oauth-connect module calls); its inline types clash with component names.
    let token = "#/paths/~1v1~1grants~1token/post/x-components";
    spec["paths"]["/v1/grants/token"] = serde_json::json!({"post": {
        "operationId": "grants:request_token", "x-speakeasy-group": "grants",
        "requestBody": {"required": true, "content": {"application/x-www-form-urlencoded": {"schema": {
            "oneOf": [{"$ref": format!("{token}/AuthorizationCodeTokenRequest")}, {"$ref": format!("{token}/RefreshTokenRequest")}],
            "discriminator": {"propertyName": "grant_type", "mapping": {
                "authorization_code": format!("{token}/AuthorizationCodeTokenRequest"),
                "refresh_token": format!("{token}/RefreshTokenRequest")}}}}}},
        "responses": {"200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TokenWithExtras"}}}}},
        "x-components": {
            "AuthorizationCodeTokenRequest": {"type": "object", "required": ["grant_type", "code"], "properties": {
                "grant_type": {"const": "authorization_code"}, "code": {"type": "string"}}},
            "RefreshTokenRequest": {"type": "object", "required": ["grant_type", "refresh_token"], "properties": {
                "grant_type": {"const": "refresh_token"}, "refresh_token": {"type": "string"}}}
        }
    }});
    spec["paths"]["/v1/invoices/{id}/pdf"] = serde_json::json!({"get": {
        "operationId": "invoices:download", "x-speakeasy-group": "invoices",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "", "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}
    }});
    spec["x-shared"] =
        serde_json::json!({"Scopes": {"type": "array", "items": {"type": "string"}}});
    spec["components"]["schemas"]["TokenWithExtras"] = serde_json::json!({"allOf": [
        {"type": "object", "required": ["access_token"], "properties": {"access_token": {"type": "string"}}},
        {"type": "object", "properties": {
            "expires": {"type": ["integer", "string", "null"]},
            "scopes": {"$ref": "#/x-shared/Scopes"}
        }}
    ]});
    let dir = target_dir().join("other-specs-derived");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("constructs.openapi.json");
    std::fs::write(&path, serde_json::to_vec(&spec).unwrap()).unwrap();
    generate_and_check_path(&path, "constructs");
}
