//! The generated `Cargo.toml` is a valid manifest whatever operation groups the spec
//! has: a hand-written feature whose groups are missing (`ingest` without `events`,
//! `oauth-connect` without `oauth2`, `file-uploads` without `files`) is left out of the
//! features and of `full`, and the targets that need it are not built.

use std::collections::BTreeSet;

use polar_codegen::normalize::normalize;
use polar_codegen::plan::plan;
use serde_json::{json, Value};

/// A spec with one operation in each of `groups`.
fn spec(groups: &[&str]) -> Value {
    let mut paths = serde_json::Map::new();
    for group in groups {
        paths.insert(
            format!("/v1/{group}/"),
            json!({"get": {
                "operationId": format!("{group}:list"), "x-speakeasy-group": group,
                "x-speakeasy-name-override": "list",
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"type": "object", "properties": {"id": {"type": "string"}}}}}}}
            }}),
        );
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Polar API", "version": "2026-10"},
        "servers": [{"url": "https://api.polar.sh", "x-speakeasy-server-id": "production"}],
        "paths": paths,
        "components": {"schemas": {}}
    })
}

/// The `Cargo.toml` generated from `spec`.
fn manifest(spec: &Value) -> (String, Vec<String>) {
    let api = normalize(spec).expect("normalizes");
    let plan = plan(&api).expect("plans");
    let notes = plan.features.manifest.notes();
    let files = polar_codegen::emit::emit(&plan).expect("emits");
    let text = files
        .into_iter()
        .find(|f| f.path == "Cargo.toml")
        .expect("Cargo.toml emitted")
        .contents;
    (text, notes)
}

/// Parses the manifest and checks what Cargo checks about features: every feature a
/// feature enables is defined (or is `dep:x` / `x/feature`), and so is every required
/// feature of a built target. Returns the defined features.
pub fn check_manifest(text: &str) -> BTreeSet<String> {
    let doc: toml::Table = toml::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let features = doc["features"].as_table().expect("[features]");
    let defined: BTreeSet<String> = features.keys().cloned().collect();
    for (name, enables) in features {
        for item in enables.as_array().expect("feature list") {
            let item = item.as_str().expect("string");
            if item.starts_with("dep:") || item.contains('/') {
                continue;
            }
            assert!(
                defined.contains(item),
                "feature `{name}` enables undefined `{item}`\n{text}"
            );
        }
    }
    for kind in ["test", "bench", "example"] {
        for target in doc
            .get(kind)
            .and_then(|t| t.as_array())
            .into_iter()
            .flatten()
        {
            let built = target.get(kind).and_then(|v| v.as_bool()).unwrap_or(true);
            let required = target.get("required-features").and_then(|v| v.as_array());
            for feature in required.into_iter().flatten() {
                let feature = feature.as_str().expect("string");
                assert!(
                    !built || defined.contains(feature),
                    "[[{kind}]] {} requires undefined `{feature}`",
                    target["name"]
                );
            }
        }
    }
    defined
}

fn full(text: &str) -> Vec<String> {
    let doc: toml::Table = toml::from_str(text).expect("parses");
    doc["features"]["full"]
        .as_array()
        .expect("full")
        .iter()
        .map(|v| v.as_str().expect("string").to_owned())
        .collect()
}

fn unbuilt_targets(text: &str) -> Vec<String> {
    let doc: toml::Table = toml::from_str(text).expect("parses");
    let mut out = Vec::new();
    for kind in ["test", "bench"] {
        for target in doc
            .get(kind)
            .and_then(|t| t.as_array())
            .into_iter()
            .flatten()
        {
            if target.get(kind).and_then(|v| v.as_bool()) == Some(false) {
                out.push(target["name"].as_str().expect("name").to_owned());
            }
        }
    }
    out
}

#[test]
fn hand_written_features_need_their_groups() {
    let cases: &[(&[&str], &[&str], &[&str])] = &[
        // (groups in the spec, hand-written features kept, targets not built)
        (
            &["events", "files", "oauth2"],
            &["oauth-connect", "file-uploads", "ingest"],
            &[],
        ),
        (
            &["customers"],
            &[],
            &[
                "oauth_connect",
                "file_uploads",
                "file_uploads_memory",
                "ingest_faults",
                "ingest_spool",
                "ingest_backpressure",
                "client_load",
                "ingest_throughput",
                "client_overhead",
            ],
        ),
        (
            &["oauth2", "files"],
            &["oauth-connect", "file-uploads"],
            &[
                "ingest_faults",
                "ingest_spool",
                "ingest_backpressure",
                "client_load",
                "ingest_throughput",
                "client_overhead",
            ],
        ),
        (
            &["events"],
            &["ingest"],
            &["oauth_connect", "file_uploads", "file_uploads_memory"],
        ),
    ];
    for (groups, kept, unbuilt) in cases {
        let (text, notes) = manifest(&spec(groups));
        let defined = check_manifest(&text);
        for feature in ["oauth-connect", "file-uploads", "ingest"] {
            assert_eq!(
                defined.contains(feature),
                kept.contains(&feature),
                "{groups:?}: feature `{feature}`\n{text}"
            );
            assert_eq!(
                full(&text).iter().any(|f| f == feature),
                kept.contains(&feature),
                "{groups:?}: `full` and `{feature}`"
            );
        }
        assert_eq!(unbuilt_targets(&text), *unbuilt, "{groups:?}\n{text}");
        // A note for every left-out feature and unbuilt target; none when all are kept.
        assert_eq!(notes.len(), 3 - kept.len() + unbuilt.len(), "{notes:#?}");
        for note in &notes {
            assert!(
                note.contains("left out") || note.contains("is not built"),
                "{note}"
            );
        }
        // The crate's code names left-out features in cfgs: declared for check-cfg.
        assert_eq!(
            text.contains("'cfg(feature, values("),
            kept.len() < 3,
            "{groups:?}\n{text}"
        );
    }
}

#[test]
fn no_operations_at_all_still_gives_a_manifest() {
    let (text, notes) = manifest(&spec(&[]));
    let defined = check_manifest(&text);
    assert!(
        defined.contains("full") && defined.contains("webhooks"),
        "{text}"
    );
    assert!(!defined.contains("ingest"));
    assert!(text.contains(r#"check-cfg = ['cfg(docsrs)', 'cfg(feature, values("events", "file-uploads", "files", "ingest", "oauth-connect", "oauth2"))']"#), "{text}");
    assert!(
        notes.iter().any(|n| n.contains("`ingest` left out")),
        "{notes:?}"
    );
}
