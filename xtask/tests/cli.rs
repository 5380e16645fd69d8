//! The xtask command line end to end: the built binary on real specs and on bad input.
//! Bad input must fail with a clear message naming the file (and the JSON pointer
//! for spec errors), a non-zero exit status, nothing on stdout for `diff`, and no
//! change to the checked-in `polar-generated` crate for `regenerate`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_owned()
}

fn shared(relative: &str) -> PathBuf {
    let path = root().join("../shared/polar-openapi").join(relative);
    assert!(path.exists(), "{} not found", path.display());
    path
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        // The spec must come from the arguments, never from the environment.
        .env_remove("POLAR_OPENAPI_SPEC")
        .output()
        .expect("run xtask")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write temp file");
    path.display().to_string()
}

/// A small OpenAPI 3.1 document that is otherwise fine: one operation, one webhook.
const TINY: &str = r##"{
  "openapi": "3.1.0",
  "info": {"title": "Polar API", "version": "2026-10"},
  "paths": {
    "/v1/things/{id}": {
      "get": {
        "operationId": "things:get",
        "x-speakeasy-group": "things",
        "x-speakeasy-name-override": "get",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}
      }
    }
  },
  "webhooks": {
    "thing.created": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/WebhookThingCreatedPayload"}}}}, "responses": {"200": {"description": "ok"}}}}
  },
  "components": {"schemas": {
    "Thing": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
    "WebhookThingCreatedPayload": {"type": "object", "properties": {"type": {"const": "thing.created"}, "data": {"$ref": "#/components/schemas/Thing"}}, "required": ["type", "data"]}
  }}
}"##;

// ---------------------------------------------------------------- diff

#[test]
fn diff_reports_older_to_current() {
    let (old, new) = (
        shared("history/2026-07-21.openapi.json"),
        shared("2026-10.openapi.json"),
    );
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());

    let text = xtask(&["diff", old, new]);
    assert_eq!(text.status.code(), Some(0), "{}", stderr(&text));
    let report = stdout(&text);
    assert!(report.starts_with("Old (API version 2026-04): 193 operations, 37 webhook events"));
    assert!(report.contains("\nNew (API version 2026-10): 194 operations, 41 webhook events"));
    assert!(report.contains("\nBreaking changes (4):\n"), "{report}");
    assert!(
        report.contains("- added webhook `subscription.cycled`"),
        "{report}"
    );

    let json = xtask(&["diff", "--format", "json", "--no-overlays", old, new]);
    assert_eq!(json.status.code(), Some(0), "{}", stderr(&json));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON report");
    assert_eq!(value["summary"]["old"]["operations"], 185);
    assert_eq!(value["summary"]["new"]["operations"], 186);
    assert_eq!(value["summary"]["old"]["webhooks"], 37);
    assert_eq!(value["summary"]["new"]["webhooks"], 41);
    assert_eq!(value["summary"]["breaking"], 4);
    let changes = value["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 97);
    assert!(changes[0]["breaking"].as_bool().expect("breaking flag"));

    let gate = xtask(&["diff", "--fail-on-breaking", old, new]);
    assert_eq!(
        gate.status.code(),
        Some(1),
        "breaking changes fail the gate"
    );
    assert_eq!(stdout(&gate), report, "the report is still printed");
    assert!(
        stderr(&gate).contains("4 breaking change(s)"),
        "{}",
        stderr(&gate)
    );

    let same = xtask(&["diff", "--fail-on-breaking", new, new]);
    assert_eq!(same.status.code(), Some(0));
    assert!(stdout(&same).ends_with("No API surface changes.\n"));
}

/// Runs `diff` and checks it failed as bad input: status 2, nothing on stdout, and
/// every `expected` fragment in the message.
fn diff_fails(args: &[&str], expected: &[&str]) {
    let mut all = vec!["diff"];
    all.extend_from_slice(args);
    let out = xtask(&all);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "{args:?} printed: {}", stdout(&out));
    for fragment in expected {
        assert!(
            err.contains(fragment),
            "{args:?}: `{fragment}` not in: {err}"
        );
    }
}

#[test]
fn diff_rejects_bad_specs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = shared("2026-10.openapi.json");
    let good = good.to_str().unwrap();
    let tiny = write(dir.path(), "tiny.json", TINY);
    let missing = dir.path().join("missing.json").display().to_string();
    let truncated = write(dir.path(), "truncated.json", "{\"openapi\": \"3.1.0\",\n");
    let array = write(dir.path(), "array.json", "[1, 2]");
    let swagger = write(
        dir.path(),
        "swagger.json",
        r#"{"swagger": "2.0", "info": {"title": "x", "version": "1"}, "paths": {}}"#,
    );
    let no_ops = write(
        dir.path(),
        "no-ops.json",
        r#"{"openapi": "3.1.0", "info": {"title": "x", "version": "1"}, "paths": {}}"#,
    );
    let dangling = write(
        dir.path(),
        "dangling.json",
        &TINY.replace("schemas/Thing\"}}}}}", "schemas/Nothing\"}}}}}"),
    );

    diff_fails(&[&missing, good], &["cannot read", "missing.json"]);
    diff_fails(
        &[good, &truncated],
        &["truncated.json", "not valid JSON", "line 2"],
    );
    diff_fails(&[&array, good], &["array.json", "#/openapi", "OpenAPI 3.1"]);
    diff_fails(&[&swagger, good], &["swagger.json", "#/openapi"]);
    diff_fails(
        &["--no-overlays", &no_ops, good],
        &[
            "no-ops.json",
            "not a Polar-like OpenAPI document",
            "no operations",
        ],
    );
    diff_fails(
        &["--no-overlays", &tiny, &dangling],
        &[
            "dangling.json",
            "#/paths/~1v1~1things~1{id}/get/responses/200/content/application~1json/schema/$ref",
            "#/components/schemas/Nothing",
        ],
    );
    // The tiny spec itself is fine.
    let ok = xtask(&["diff", "--no-overlays", &tiny, &tiny]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
}

#[test]
fn diff_rejects_bad_overlays_and_options() {
    let good = shared("2026-10.openapi.json");
    let good = good.to_str().unwrap();
    let cases: [(&str, &str, &[&str]); 4] = [
        (
            "broken.yaml",
            "overlay: 1.0.0\nactions: [\n",
            &["broken.yaml", "invalid YAML"],
        ),
        (
            "broken.json",
            "{\"overlay\": ",
            &["broken.json", "invalid JSON"],
        ),
        (
            "spec.json",
            r#"{"openapi": "3.1.0", "info": {"title": "x", "version": "1"}}"#,
            &["spec.json", "not an Overlay 1.0 document", "overlay"],
        ),
        (
            "v2.yaml",
            "overlay: 2.0.0\ninfo: {title: t, version: '1'}\nactions: []\n",
            &["v2.yaml", "not an Overlay 1.0 document", "2.0.0"],
        ),
    ];
    for (name, text, expected) in cases {
        let dir = tempfile::tempdir().expect("temp dir");
        write(dir.path(), name, text);
        let overlays = dir.path().display().to_string();
        diff_fails(&["--overlays", &overlays, good, good], expected);
    }
    let nowhere = tempfile::tempdir().expect("temp dir").path().join("none");
    diff_fails(
        &["--overlays", nowhere.to_str().unwrap(), good, good],
        &["none"],
    );

    // Usage errors (clap) also exit with 2 and print nothing on stdout.
    diff_fails(
        &["--format", "yaml", good, good],
        &["invalid value 'yaml'", "text, json"],
    );
    diff_fails(&[good], &["NEW"]);
}

// ---------------------------------------------------------------- regenerate

/// Contents of the checked-in generated files, by path.
fn generated_files() -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                let bytes = std::fs::read(&path).expect("read file");
                out.insert(path, bytes);
            }
        }
    }
    let crate_dir = root().join("polar-generated");
    let mut files = BTreeMap::new();
    walk(&crate_dir.join("src/generated"), &mut files);
    for file in ["Cargo.toml", "tests/support/operation_calls.rs"] {
        let path = crate_dir.join(file);
        if let Ok(bytes) = std::fs::read(&path) {
            files.insert(path, bytes);
        }
    }
    assert!(files.len() > 100, "found the generated crate");
    files
}

#[test]
fn regenerate_rejects_bad_specs_and_writes_nothing() {
    let before = generated_files();
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("missing.json").display().to_string();
    let invalid = write(dir.path(), "invalid.json", "{\"openapi\": \"3.1.0\", }");
    // The real spec with one reference broken: the error names file and pointer.
    let spec = std::fs::read_to_string(shared("2026-10.openapi.json")).expect("spec");
    let needle = "\"$ref\": \"#/components/schemas/ResourceNotFound\"";
    let first = spec.find(needle).expect("a ResourceNotFound reference");
    let broken = format!(
        "{}\"$ref\": \"#/components/schemas/ResourceNotFoundd\"{}",
        &spec[..first],
        &spec[first + needle.len()..]
    );
    let dangling = write(dir.path(), "dangling.json", &broken);

    let cases: [(&str, &[&str]); 3] = [
        (&missing, &["cannot read", "missing.json"]),
        (&invalid, &["invalid.json", "not valid JSON", "line 1"]),
        (
            &dangling,
            &[
                "dangling.json",
                "#/paths/",
                "/$ref",
                "dangling $ref `#/components/schemas/ResourceNotFoundd`",
            ],
        ),
    ];
    for (spec, expected) in cases {
        for check in [false, true] {
            let mut args = vec!["regenerate", "--spec", spec];
            if check {
                args.push("--check");
            }
            let out = xtask(&args);
            let err = stderr(&out);
            assert!(!out.status.success(), "{args:?} succeeded");
            for fragment in expected {
                assert!(
                    err.contains(fragment),
                    "{args:?}: `{fragment}` not in: {err}"
                );
            }
        }
    }
    assert!(
        before == generated_files(),
        "a failed regenerate changed the checked-in crate"
    );
}
