//! Signature vectors made with the Standard Webhooks reference implementation
//! (`scripts/webhook-vectors/`), checked against this crate's verifier. The fixture is
//! committed, so this test needs no Python.

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use polar::webhooks::{
    header_fn, KeyDerivation, VerifiedPayload, Webhook, WebhookError, HEADER_ID, HEADER_TIMESTAMP,
};
use serde_json::Value;

const FIXTURE: &str = include_str!("fixtures/webhook_signature_vectors.json");

struct Case {
    name: String,
    secret: String,
    body: String,
    headers: Vec<(String, String)>,
    expected: String,
    header: Option<String>,
    sign_check: Option<String>,
}

fn load() -> (SystemTime, Vec<Case>) {
    let document: Value = serde_json::from_str(FIXTURE).expect("fixture is JSON");
    let now = UNIX_EPOCH + Duration::from_secs(document["now"].as_u64().expect("now"));
    assert_eq!(document["tolerance_seconds"], 300);
    let text = |case: &Value, key: &str| case[key].as_str().map(str::to_owned);
    let cases = document["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|case| Case {
            name: text(case, "name").expect("name"),
            secret: text(case, "secret").expect("secret"),
            body: text(case, "body").expect("body"),
            headers: case["headers"]
                .as_object()
                .expect("headers")
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().expect("header value").to_owned()))
                .collect(),
            expected: text(case, "expected").expect("expected"),
            header: text(case, "header"),
            sign_check: text(case, "sign_check"),
        })
        .collect();
    (now, cases)
}

/// The fixture's name for an outcome.
fn outcome(result: &Result<VerifiedPayload, WebhookError>) -> (&'static str, Option<&'static str>) {
    match result {
        Ok(_) => ("valid", None),
        Err(WebhookError::MissingHeader { header }) => ("missing_header", Some(header)),
        Err(WebhookError::InvalidHeader { header, .. }) => ("invalid_header", Some(header)),
        Err(WebhookError::TimestampTooOld { .. }) => ("timestamp_too_old", None),
        Err(WebhookError::TimestampTooNew { .. }) => ("timestamp_too_new", None),
        Err(WebhookError::NoMatchingSignature) => ("no_matching_signature", None),
        Err(other) => panic!("unexpected error kind: {other:?}"),
    }
}

#[test]
fn every_vector_has_its_expected_outcome_from_every_header_source() {
    let (now, cases) = load();
    assert!(cases.len() >= 30, "fixture has only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let webhook = Webhook::new(&case.secret).expect("usable secret");
        let body = case.body.as_bytes();

        let mut header_map = http::HeaderMap::new();
        for (name, value) in &case.headers {
            let name = http::HeaderName::from_bytes(name.as_bytes()).expect("header name");
            header_map.insert(name, http::HeaderValue::from_str(value).expect("value"));
        }
        let hash_map: HashMap<String, String> = case.headers.iter().cloned().collect();
        let lookup = header_fn(|name| {
            case.headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        });

        let results = [
            ("HeaderMap", webhook.verify_at(body, &header_map, now)),
            ("HashMap", webhook.verify_at(body, &hash_map, now)),
            ("pairs", webhook.verify_at(body, &case.headers, now)),
            ("header_fn", webhook.verify_at(body, &lookup, now)),
        ];
        for (source, result) in &results {
            if let Ok(payload) = result {
                // What was verified is handed back: the id, the timestamp and the body.
                let get = |name: &str| {
                    case.headers
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(name))
                };
                assert_eq!(Some(payload.id()), get(HEADER_ID).map(|(_, v)| v.as_str()));
                let sent: Option<i64> = get(HEADER_TIMESTAMP).and_then(|(_, v)| v.parse().ok());
                assert_eq!(Some(payload.timestamp().timestamp()), sent, "{}", case.name);
                assert_eq!(payload.body(), body, "{}", case.name);
            }
            let (kind, header) = outcome(result);
            if kind != case.expected || header != case.header.as_deref() {
                failures.push(format!(
                    "{} via {source}: expected {} {:?}, got {result:?}",
                    case.name, case.expected, case.header
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn sign_reproduces_the_reference_signatures() {
    let (_, cases) = load();
    let mut checked = 0;
    for case in cases.iter().filter(|case| case.sign_check.is_some()) {
        let derivation = match case.sign_check.as_deref() {
            Some("base64_decoded") => KeyDerivation::Base64Decoded,
            Some("raw_bytes") => KeyDerivation::RawBytes,
            other => panic!("{}: unknown derivation {other:?}", case.name),
        };
        let get = |name: &str| {
            case.headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
                .expect("header")
        };
        let timestamp: i64 = get(HEADER_TIMESTAMP).parse().expect("timestamp");
        let webhook = Webhook::new(&case.secret).expect("usable secret");
        let signed = webhook.sign_with(derivation, get(HEADER_ID), timestamp, case.body.as_bytes());
        assert_eq!(
            signed.as_deref(),
            Some(get("webhook-signature")),
            "{}",
            case.name
        );
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} signatures checked");
}

#[test]
fn error_messages_never_contain_the_secret() {
    let (now, cases) = load();
    for case in &cases {
        let webhook = Webhook::new(&case.secret).expect("usable secret");
        let tail = &case.secret[case.secret.len() - 12..];
        assert!(!format!("{webhook:?}").contains(tail), "{}", case.name);
        if let Err(err) = webhook.verify_at(case.body.as_bytes(), &case.headers, now) {
            assert!(!err.to_string().contains(tail), "{}: {err}", case.name);
            assert!(!format!("{err:?}").contains(tail), "{}: {err:?}", case.name);
            assert_eq!(err.status_code(), 403, "{}", case.name);
        }
    }
}
