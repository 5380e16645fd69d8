//! The generator works on other Polar spec versions without code changes: each
//! generates a crate (with the project overlays) that `cargo check` accepts, and a
//! manifest Cargo accepts without the overlays too; so does a spec missing a whole
//! operation group.
//!
//! The crate is generated into a scratch workspace under `target/other-specs/`, next
//! to a copy of the hand-written runtime, and checked with a shared target directory
//! so dependencies compile once.

use std::path::{Path, PathBuf};
use std::process::Command;

use polar_codegen::write::Mode;
use polar_tests::scratch::{copy_dir, target_dir, write_workspace};
use polar_tests::{generated_crate, overlays_dir, paths};

/// Generates the crate from `spec` (with the project overlays or none) into a scratch
/// workspace of its own; returns the workspace directory.
fn generate_into(spec: &Path, spec_name: &str, overlays: bool) -> PathBuf {
    let suffix = if overlays { "" } else { "-no-overlays" };
    let scratch = target_dir()
        .join("other-specs")
        .join(format!("{}{suffix}", spec_name.replace('/', "_")));
    let _ = std::fs::remove_dir_all(&scratch);
    let crate_dir = scratch.join("polar-generated");
    copy_dir(
        &generated_crate(),
        &crate_dir,
        &generated_crate().join("src/generated"),
    );
    let overlays = overlays.then(overlays_dir);
    let report = polar_codegen::generate(spec, overlays.as_deref(), &crate_dir, Mode::Write)
        .unwrap_or_else(|err| panic!("{spec_name}: {err}"));
    assert!(report.removed.is_empty());
    write_workspace(&scratch, &["polar-generated"]);
    scratch
}

/// `cargo metadata` of the generated package: Cargo accepts its manifest (every
/// feature it enables exists). Fails naming the spec and Cargo's message otherwise.
fn manifest_metadata(scratch: &Path, spec_name: &str) -> serde_json::Value {
    let out = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(scratch)
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "the Cargo.toml generated from {spec_name} is not a valid manifest:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata JSON");
    metadata["packages"][0].clone()
}

fn cargo_check(scratch: &Path, spec_name: &str) {
    let status = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--lib", "--all-features", "--offline"])
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", target_dir().join("other-specs-target"))
        .env("RUSTFLAGS", "-Dwarnings")
        .status()
        .expect("cargo runs");
    assert!(
        status.success(),
        "the crate generated from {spec_name} does not compile"
    );
}

/// With the project overlays: a crate `cargo check` accepts. Without them (the spec as
/// published): a manifest Cargo accepts.
fn generate_and_check_path(spec: &Path, spec_name: &str) {
    let scratch = generate_into(spec, spec_name, true);
    manifest_metadata(&scratch, spec_name);
    cargo_check(&scratch, spec_name);
    let bare = generate_into(spec, spec_name, false);
    manifest_metadata(&bare, &format!("{spec_name} (no overlays)"));
}

#[test]
fn spec_2026_04_generates_a_compiling_crate() {
    let Some(spec) = paths::reference_spec("2026-04.openapi.json") else {
        return;
    };
    generate_and_check_path(&spec, "2026-04.openapi.json");
}

/// Every older spec in `history/`, with and without the overlays.
#[test]
fn history_specs_generate_a_compiling_crate() {
    // Empty only when the directory is missing and inputs are not required (skipped).
    for spec in paths::history_specs() {
        let name = format!(
            "history/{}",
            spec.file_name().expect("file name").to_string_lossy()
        );
        generate_and_check_path(&spec, &name);
    }
}

/// A spec without a whole operation group (every `events` operation removed): the
/// manifest leaves `ingest` (built on `events`) and its targets out instead of naming a
/// feature that does not exist, and the crate still compiles with every feature.
#[test]
fn spec_without_the_events_group_leaves_ingest_out() {
    let mut spec = polar_codegen::load::load_json(&polar_tests::current_spec()).unwrap();
    let mut removed = 0;
    for item in spec["paths"].as_object_mut().expect("paths").values_mut() {
        let item = item.as_object_mut().expect("path item");
        let events: Vec<String> = item
            .iter()
            .filter(|(_, op)| {
                op["x-speakeasy-group"]
                    .as_str()
                    .is_some_and(|g| g == "events" || g.starts_with("events."))
            })
            .map(|(method, _)| method.clone())
            .collect();
        removed += events.len();
        for method in events {
            item.shift_remove(&method);
        }
    }
    assert!(
        removed >= 3,
        "the fixture removes the events operations ({removed})"
    );
    let dir = target_dir().join("other-specs-derived");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("no-events.openapi.json");
    std::fs::write(&path, serde_json::to_vec(&spec).unwrap()).unwrap();

    let scratch = generate_into(&path, "no-events", true);
    let package = manifest_metadata(&scratch, "no-events");
    let features = package["features"].as_object().expect("features");
    assert!(!features.contains_key("events") && !features.contains_key("ingest"));
    assert!(features.contains_key("oauth-connect") && features.contains_key("file-uploads"));
    let full: Vec<&str> = features["full"]
        .as_array()
        .expect("full")
        .iter()
        .filter_map(|f| f.as_str())
        .collect();
    assert!(
        !full.contains(&"ingest") && full.contains(&"oauth-connect"),
        "{full:?}"
    );
    let mut unbuilt: Vec<&str> = package["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .filter(|t| t["kind"][0] == "test" && t["test"] == false)
        .filter_map(|t| t["name"].as_str())
        .collect();
    unbuilt.sort_unstable();
    assert_eq!(
        unbuilt,
        [
            "client_load",
            "ingest_backpressure",
            "ingest_faults",
            "ingest_spool"
        ]
    );
    let features_md = std::fs::read_to_string(scratch.join("polar-generated/FEATURES.md")).unwrap();
    assert!(
        features_md.contains(
            "| `ingest` | left out: this spec has no operations in its group(s) events |"
        ),
        "FEATURES.md says why"
    );
    cargo_check(&scratch, "no-events");
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
