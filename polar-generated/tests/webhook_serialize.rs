//! What `Serialize` on a decoded webhook event writes (as its docs say): JSON that decodes
//! back to an equal event, not Polar's bytes.

use polar::WebhookEvent;
use serde_json::Value;

const ORDER_PAID: &str = include_str!("fixtures/order_paid.json");

/// `order.paid` as Polar might send it: an offset timestamp, an explicit `null` on an
/// optional field, and a field this crate does not know.
fn as_sent() -> Value {
    let mut body: Value = serde_json::from_str(ORDER_PAID).unwrap();
    body["timestamp"] = "2026-08-23T21:14:22.000+02:00".into();
    body["data"]["field_from_the_future"] = 1.into();
    body["data"]["next_payment_attempt_at"] = Value::Null;
    body
}

#[test]
fn serialize_round_trips_the_event_not_the_bytes() {
    let sent = as_sent();
    let event = WebhookEvent::from_slice(&serde_json::to_vec(&sent).unwrap()).unwrap();
    assert_eq!(event.event_type(), "order.paid");
    let written = serde_json::to_value(&event).unwrap();

    // Decoding what was written gives the same event back.
    let again: WebhookEvent = serde_json::from_value(written.clone()).unwrap();
    assert_eq!(again, event);

    // But it is not what Polar sent: unknown fields dropped, timestamps in UTC.
    assert_ne!(written, sent);
    assert!(written["data"].get("field_from_the_future").is_none());
    assert!(written["data"].get("next_payment_attempt_at").is_none());
    assert_eq!(written["timestamp"], "2026-08-23T19:14:22Z");
    assert_eq!(written["type"], "order.paid");
}

#[test]
fn unknown_events_are_written_as_received() {
    let sent = serde_json::json!({
        "type": "invoice.sent",
        "timestamp": "2026-08-23T21:14:22.000+02:00",
        "data": {"id": "x", "extra": null}
    });
    let event = WebhookEvent::from_slice(&serde_json::to_vec(&sent).unwrap()).unwrap();
    assert!(event.is_unknown());
    assert_eq!(serde_json::to_value(&event).unwrap(), sent);
}
