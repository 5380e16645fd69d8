//! What verification hands back: the id and timestamp with the event (`verify_and_parse`),
//! or with the raw body to parse later (`verify`), and the queued form that is trusted only
//! after `verify_queued` checks it again.

mod common;

use std::time::{Duration, UNIX_EPOCH};

use polar::webhooks::{QueuedPayload, VerifiedEvent, Webhook, WebhookError};
use polar::{DateTime, WebhookEvent};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const SENT: i64 = 1_767_225_600;

fn at(seconds: i64) -> std::time::SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds as u64)
}

#[test]
fn verify_and_parse_gives_the_id_and_timestamp_with_the_event() {
    let webhook = Webhook::new(SECRET).unwrap();
    let body = common::order_paid_body();
    let headers = webhook.signed_headers("msg_7", SENT, &body).unwrap();

    let VerifiedEvent {
        id,
        timestamp,
        event,
        ..
    } = webhook
        .verify_and_parse_at(&body, &headers, at(SENT + 5))
        .unwrap();
    assert_eq!(id, "msg_7");
    assert_eq!(timestamp, DateTime::from_timestamp(SENT, 0).unwrap());
    assert!(matches!(event, WebhookEvent::OrderPaid(_)));
}

#[test]
fn verify_returns_the_exact_body_to_parse_later() {
    let webhook = Webhook::new(SECRET).unwrap();
    let body = common::order_paid_body();
    let headers = webhook.signed_headers("msg_8", SENT, &body).unwrap();

    let payload = webhook.verify_at(&body, &headers, at(SENT)).unwrap();
    assert_eq!(payload.id(), "msg_8");
    assert_eq!(payload.timestamp().timestamp(), SENT);
    assert_eq!(payload.body(), body.as_slice());
    assert!(
        !format!("{payload:?}").contains("order.paid"),
        "Debug shows the length only"
    );
    let event = payload.parse().unwrap();
    assert_eq!(event.id, "msg_8");
    assert_eq!(event.event_type(), "order.paid");
    assert_eq!(payload.into_body(), body);
}

#[test]
fn a_payload_that_is_not_an_event_fails_only_when_parsed() {
    let webhook = Webhook::new(SECRET).unwrap();
    let body = br#"{"type":"order.paid","data":"#;
    let headers = webhook.signed_headers("msg_9", SENT, body).unwrap();
    let payload = webhook.verify_at(body, &headers, at(SENT)).unwrap();
    let err = payload.parse().unwrap_err();
    assert!(err.is_payload_error(), "{err}");
    assert_eq!(err.status_code(), 400);
}

#[test]
fn a_queued_payload_round_trips_and_is_checked_again() {
    let webhook = Webhook::new(SECRET).unwrap();
    let body = common::order_paid_body();
    let headers = webhook.signed_headers("msg_q", SENT, &body).unwrap();
    let payload = webhook.verify_at(&body, &headers, at(SENT)).unwrap();

    let record = serde_json::to_vec(&payload).unwrap();
    let queued: QueuedPayload = serde_json::from_slice(&record).unwrap();
    assert_eq!(queued, payload.to_queued());
    assert_eq!((queued.id.as_str(), queued.timestamp), ("msg_q", SENT));

    // Hours later, far outside the tolerance: the clock is not consulted again.
    let again = webhook.verify_queued(&queued).unwrap();
    assert_eq!(again, payload);
    assert!(matches!(
        again.parse().unwrap().event,
        WebhookEvent::OrderPaid(_)
    ));

    // A record altered in the queue, or written without the secret, is refused.
    for forged in [
        QueuedPayload {
            body: queued.body.replacen("paid", "refunded", 1),
            ..queued.clone()
        },
        QueuedPayload {
            id: "msg_other".to_owned(),
            ..queued.clone()
        },
        QueuedPayload {
            timestamp: SENT + 1,
            ..queued.clone()
        },
        QueuedPayload {
            signature: Webhook::new("polar_whs_someone_else").unwrap().sign(
                "msg_q",
                SENT,
                queued.body.as_bytes(),
            ),
            ..queued.clone()
        },
    ] {
        assert_eq!(
            webhook.verify_queued(&forged),
            Err(WebhookError::NoMatchingSignature)
        );
    }
    let out_of_range = QueuedPayload {
        timestamp: i64::MAX,
        ..queued
    };
    assert!(matches!(
        webhook.verify_queued(&out_of_range),
        Err(WebhookError::InvalidHeader { .. })
    ));
}
