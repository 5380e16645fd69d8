//! Helpers shared by the webhook tests.
#![allow(dead_code)] // each test binary uses a different subset

use serde_json::Value;

/// A realistic `order.paid` payload generated from the schema (by the generator's tests).
pub const ORDER_PAID_FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/order_paid.json"
);

/// Stand-in until `order_paid.json` exists: only the fields the stub models have (as the
/// real schema spells them), so it decodes with the stub but not with the real `Order`.
const MINIMAL_ORDER_PAID: &str = r#"{"type":"order.paid","timestamp":"2026-10-01T12:00:00Z","data":{"id":"8f7b0a3e-5f2c-4a55-9a51-0d7a1c2b3e4f","status":"paid","paid":true,"total_amount":9720,"currency":"usd"}}"#;

/// An `order.paid` body: the fixture if present, else the minimal stand-in.
pub fn order_paid_body() -> Vec<u8> {
    match std::fs::read(ORDER_PAID_FIXTURE) {
        Ok(bytes) => bytes,
        Err(_) => MINIMAL_ORDER_PAID.as_bytes().to_vec(),
    }
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
