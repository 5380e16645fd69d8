//! Helpers shared by the webhook and documentation tests.
#![allow(dead_code)] // each test binary uses a different subset

use serde_json::Value;

/// A realistic `order.paid` payload generated from the schema by `cargo xtask regenerate`.
pub const ORDER_PAID_FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/order_paid.json"
);

/// One generated payload per webhook event, keyed by event type.
pub const WEBHOOK_PAYLOADS_FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/webhook_payloads.json"
);

/// The `order.paid` body.
pub fn order_paid_body() -> Vec<u8> {
    std::fs::read(ORDER_PAID_FIXTURE).unwrap_or_else(|err| panic!("{ORDER_PAID_FIXTURE}: {err}"))
}

/// Every event's generated payload.
pub fn webhook_payloads() -> serde_json::Map<String, Value> {
    let bytes = std::fs::read(WEBHOOK_PAYLOADS_FIXTURE)
        .unwrap_or_else(|err| panic!("{WEBHOOK_PAYLOADS_FIXTURE}: {err}"));
    serde_json::from_slice(&bytes).expect("webhook payloads are a JSON object")
}

/// The sample as JSON.
pub fn order_paid_value() -> Value {
    serde_json::from_slice(&order_paid_body()).expect("order_paid sample is JSON")
}

/// Serialize an event object with `type` as the first member, as Polar does (whatever
/// order `serde_json::Map` keeps).
pub fn body_type_first(event: &Value) -> Vec<u8> {
    let mut rest = event.as_object().expect("event object").clone();
    let tag = rest.remove("type").expect("type member");
    let mut body = format!("{{\"type\":{tag}");
    for (key, value) in &rest {
        body.push_str(&format!(",{}:{value}", Value::from(key.as_str())));
    }
    body.push('}');
    body.into_bytes()
}

/// Serialize an event object with `type` as the last member (the slow path).
pub fn body_type_last(event: &Value) -> Vec<u8> {
    let mut rest = event.as_object().expect("event object").clone();
    let tag = rest.remove("type").expect("type member");
    let mut body = serde_json::to_string(&rest).expect("serializes");
    body.pop();
    let separator = if rest.is_empty() { "" } else { "," };
    body.push_str(&format!("{separator}\"type\":{tag}}}"));
    body.into_bytes()
}

/// The `data` of an event's generated payload: a realistic resource of that type.
pub fn resource(event: &str) -> Value {
    webhook_payloads()[event]["data"].clone()
}

/// `text` without any whitespace: a README snippet and its copy in a test compare equal
/// however rustfmt indents or breaks the copy.
pub fn without_whitespace(text: &str) -> String {
    text.split_whitespace().collect()
}
