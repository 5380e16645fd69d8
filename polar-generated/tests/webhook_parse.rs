//! Parsing webhook bodies into `WebhookEvent`. Written against the generated API only
//! (`EVENT_TYPES`, `decode_known`, `Unknown`, `OrderPaid`), so it runs unchanged on the
//! stub and on the real generated enum (with `tests/fixtures/order_paid.json`).

mod common;

use polar::models::OrderStatus;
use polar::webhooks::WebhookError;
use polar::WebhookEvent;
use serde_json::{json, Value};

fn parse(body: &[u8]) -> Result<WebhookEvent, WebhookError> {
    WebhookEvent::from_slice(body)
}

/// The JSON path of a payload error (and checks it is one, answering 400).
fn decode_error_path(body: &[u8]) -> String {
    match parse(body) {
        Err(WebhookError::InvalidPayload(err)) => {
            assert!(!err.path.is_empty() && !err.message.is_empty(), "{err:?}");
            err.path
        }
        other => panic!(
            "expected a payload error for {:?}, got {other:?}",
            String::from_utf8_lossy(body)
        ),
    }
}

fn sample_event() -> WebhookEvent {
    let body = common::order_paid_body();
    let event = parse(&body).unwrap_or_else(|err| {
        panic!(
            "the order.paid sample does not decode ({err}); with the real generated models, \
             add {} (a schema-valid order.paid payload)",
            common::ORDER_PAID_FIXTURE
        )
    });
    assert_eq!(event.event_type(), "order.paid");
    assert!(matches!(event, WebhookEvent::OrderPaid(_)), "{event:?}");
    event
}

#[test]
fn event_types_are_routed_by_their_tag() {
    assert!(WebhookEvent::EVENT_TYPES.contains(&"order.paid"));
    for &event_type in WebhookEvent::EVENT_TYPES {
        // An empty payload of a known type is a decode error, never `Unknown`.
        let body = body(&json!({ "type": event_type }));
        match WebhookEvent::decode_known(event_type, &body) {
            Some(Err(_)) => {}
            other => panic!("{event_type}: expected Some(Err(_)), got {other:?}"),
        }
        assert!(
            matches!(parse(&body), Err(WebhookError::InvalidPayload(_))),
            "{event_type}"
        );
    }
    assert!(WebhookEvent::decode_known("order.teleported", b"{}").is_none());
}

fn body(event: &Value) -> Vec<u8> {
    common::body_type_first(event)
}

#[test]
fn order_paid_sample_parses() {
    let event = sample_event();
    assert!(!event.is_unknown());
}

#[test]
fn tag_position_does_not_matter() {
    let value = common::order_paid_value();
    assert_eq!(
        parse(&common::body_type_last(&value)).unwrap(),
        sample_event()
    );
    let pretty = serde_json::to_vec_pretty(&value).unwrap();
    assert_eq!(parse(&pretty).unwrap(), sample_event());
}

#[test]
fn extra_fields_are_ignored() {
    let mut value = common::order_paid_value();
    value["added_later"] = json!({"nested": [1, 2, {"deep": null}]});
    value["data"]["brand_new_field"] = json!("surprise");
    value["data"]["another"] = json!([{"x": 1}]);
    assert_eq!(parse(&body(&value)).unwrap(), sample_event());
}

#[test]
fn unknown_enum_value_is_kept() {
    let mut value = common::order_paid_value();
    value["data"]["status"] = json!("on_hold_for_review");
    match parse(&body(&value)).unwrap() {
        WebhookEvent::OrderPaid(payload) => assert_eq!(
            payload.data.status,
            OrderStatus::Unknown("on_hold_for_review".to_owned())
        ),
        other => panic!("expected OrderPaid, got {other:?}"),
    }
}

#[test]
fn unknown_event_type_is_kept_whole() {
    let mut value = common::order_paid_value();
    value["type"] = json!("order.teleported");
    for body in [body(&value), common::body_type_last(&value)] {
        match parse(&body).unwrap() {
            WebhookEvent::Unknown { event_type, raw } => {
                assert_eq!(event_type, "order.teleported");
                assert_eq!(raw, value);
            }
            other => panic!("expected Unknown, got {other:?}"),
        }
    }
    let event = parse(br#"{"type":"team.formed","data":{"members":3}}"#).unwrap();
    assert!(event.is_unknown());
    assert_eq!(event.event_type(), "team.formed");
}

#[test]
fn wrong_typed_fields_report_their_path() {
    let mut value = common::order_paid_value();
    value["data"]["status"] = json!(42);
    assert_eq!(decode_error_path(&body(&value)), "data.status");

    let mut value = common::order_paid_value();
    value["timestamp"] = json!(true);
    assert_eq!(decode_error_path(&body(&value)), "timestamp");

    let mut value = common::order_paid_value();
    value["data"] = json!("not an object");
    assert_eq!(decode_error_path(&body(&value)), "data");
}

#[test]
fn missing_or_non_string_tag_is_a_payload_error() {
    let mut value = common::order_paid_value();
    value.as_object_mut().unwrap().remove("type");
    assert_eq!(decode_error_path(&serde_json::to_vec(&value).unwrap()), ".");

    value["type"] = json!(7);
    assert_eq!(decode_error_path(&common::body_type_last(&value)), "type");
    value["type"] = json!(null);
    assert_eq!(decode_error_path(&common::body_type_first(&value)), "type");
}

#[test]
fn malformed_truncated_and_empty_bodies_are_payload_errors() {
    let sample = common::order_paid_body();
    let mut unknown = common::order_paid_value();
    unknown["type"] = json!("order.teleported");
    let unknown = body(&unknown);

    let mut bodies: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"  \n".to_vec(),
        b"null".to_vec(),
        b"[]".to_vec(),
        b"\"order.paid\"".to_vec(),
        br#"{"type":"order.paid","#.to_vec(),
        br#"{"type":"order.paid","timestamp":}"#.to_vec(),
        br#"{"type":"order.teleported","data":{,}}"#.to_vec(),
        br#"{"type":"order.paid"}}"#.to_vec(),
    ];
    // Truncations of a known and an unknown event, and trailing garbage.
    for body in [&sample, &unknown] {
        for cut in [1, 10, body.len() / 2, body.len() - 1] {
            bodies.push(body[..cut].to_vec());
        }
        let mut trailing = body.clone();
        trailing.extend_from_slice(b" {}");
        bodies.push(trailing);
    }
    for body in &bodies {
        let err = parse(body).unwrap_err();
        assert_eq!(
            err.status_code(),
            400,
            "{:?}",
            String::from_utf8_lossy(body)
        );
        decode_error_path(body);
    }
    assert_eq!(decode_error_path(b""), ".");
}

#[test]
fn every_event_type_has_a_generated_payload_that_parses_into_its_variant() {
    let payloads = common::webhook_payloads();
    assert_eq!(payloads.len(), WebhookEvent::EVENT_TYPES.len());
    for &event_type in WebhookEvent::EVENT_TYPES {
        let payload = payloads
            .get(event_type)
            .unwrap_or_else(|| panic!("no payload for {event_type}"));
        let event = parse(&body(payload)).unwrap_or_else(|err| panic!("{event_type}: {err}"));
        assert_eq!(event.event_type(), event_type);
        assert!(!event.is_unknown(), "{event_type} parsed as Unknown");
        // Re-serializing a parsed event gives back an equivalent payload.
        let again: WebhookEvent =
            serde_json::from_value(serde_json::to_value(&event).unwrap()).unwrap();
        assert_eq!(again, event, "{event_type} round trip");
    }
}
