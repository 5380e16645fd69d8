//! What verification hands back: the delivery's id and timestamp with its event
//! ([`VerifiedEvent`]) or with its raw body, to parse later ([`VerifiedPayload`]), and the
//! serializable form a raw body takes in a queue ([`QueuedPayload`]).

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::WebhookError;
use crate::bindings::WebhookEvent;

/// A delivery that passed verification, parsed: from
/// [`Webhook::verify_and_parse`](super::Webhook::verify_and_parse).
///
/// ```
/// # use polar::webhooks::{VerifiedEvent, Webhook, WebhookError};
/// # use polar::WebhookEvent;
/// # fn seen_before(_: &str) -> bool { false }
/// # fn handle(webhook: &Webhook, body: &[u8], headers: &polar::http::HeaderMap) -> Result<(), WebhookError> {
/// let VerifiedEvent { id, event, .. } = webhook.verify_and_parse(body, headers)?;
/// if seen_before(&id) {
///     return Ok(()); // a retry of a delivery already handled
/// }
/// if let WebhookEvent::OrderPaid(paid) = event {
///     println!("order {} paid", paid.data.id);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct VerifiedEvent {
    /// The `webhook-id` header: the same on every retry of a delivery, so it is the key
    /// to deduplicate on.
    pub id: String,
    /// The `webhook-timestamp` header: when Polar sent this attempt.
    pub timestamp: DateTime<Utc>,
    /// The event ([`WebhookEvent::Unknown`] for a type this crate does not know).
    pub event: WebhookEvent,
}

impl VerifiedEvent {
    /// The event type, e.g. `order.paid` (also for an unknown event).
    pub fn event_type(&self) -> &str {
        self.event.event_type()
    }
}

/// A delivery that passed verification, not parsed yet: its id, timestamp and the exact
/// body bytes. Made only by [`Webhook::verify`](super::Webhook::verify) (or
/// [`verify_queued`](super::Webhook::verify_queued)), so holding one means the body came
/// from Polar.
///
/// For verifying in the HTTP handler and parsing in a worker: answer Polar at once, queue
/// the payload (it serializes as a [`QueuedPayload`]), and [`parse`](Self::parse) it later.
///
/// ```
/// # use polar::webhooks::{QueuedPayload, Webhook, WebhookError};
/// # fn run(webhook: &Webhook, body: &[u8], headers: &polar::http::HeaderMap) -> Result<(), Box<dyn std::error::Error>> {
/// // In the HTTP handler: verify, queue, answer 202.
/// let payload = webhook.verify(body, headers)?;
/// let queued: Vec<u8> = serde_json::to_vec(&payload)?;
///
/// // In the worker: check the queued record again (no clock involved), then parse.
/// let record: QueuedPayload = serde_json::from_slice(&queued)?;
/// let event = webhook.verify_queued(&record)?.parse()?;
/// println!("{} {}", event.id, event.event_type());
/// # Ok(()) }
/// # let webhook = Webhook::new("whsec_c2VjcmV0LWtleQ==")?;
/// # let body = br#"{"type":"order.refunded_later","data":{}}"#;
/// # let headers = webhook.signed_headers("msg_1", chrono::Utc::now().timestamp(), body)?;
/// # run(&webhook, body, &headers).unwrap();
/// # Ok::<(), WebhookError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct VerifiedPayload {
    id: String,
    timestamp: DateTime<Utc>,
    /// The `webhook-signature` header as received: kept so a queued copy can be checked again.
    signature: String,
    body: Vec<u8>,
}

impl VerifiedPayload {
    pub(super) fn new(id: &str, timestamp: DateTime<Utc>, signature: &str, body: &[u8]) -> Self {
        Self {
            id: id.to_owned(),
            timestamp,
            signature: signature.to_owned(),
            body: body.to_vec(),
        }
    }

    /// The `webhook-id` header: the key to deduplicate on.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The `webhook-timestamp` header: when Polar sent this attempt.
    pub fn timestamp(&self) -> DateTime<Utc> {
        self.timestamp
    }

    /// The body, exactly as received.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body, exactly as received.
    pub fn into_body(self) -> Vec<u8> {
        self.body
    }

    /// Parse the body into a [`VerifiedEvent`] (see [`WebhookEvent::from_slice`]): an
    /// unknown event type is `Ok` with [`WebhookEvent::Unknown`]; a body that is not a
    /// valid event is [`WebhookError::InvalidPayload`].
    pub fn parse(&self) -> Result<VerifiedEvent, WebhookError> {
        Ok(VerifiedEvent {
            id: self.id.clone(),
            timestamp: self.timestamp,
            event: WebhookEvent::from_slice(&self.body)?,
        })
    }

    /// The form to store or queue; read it back with
    /// [`Webhook::verify_queued`](super::Webhook::verify_queued). Serializing a
    /// `VerifiedPayload` writes this form.
    ///
    /// The body is kept as text. Polar's bodies are JSON, hence UTF-8; a body that is not
    /// (never a valid event) is stored lossily and fails `verify_queued`.
    pub fn to_queued(&self) -> QueuedPayload {
        QueuedPayload {
            id: self.id.clone(),
            timestamp: self.timestamp.timestamp(),
            signature: self.signature.clone(),
            body: String::from_utf8_lossy(&self.body).into_owned(),
        }
    }
}

impl Serialize for VerifiedPayload {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_queued().serialize(serializer)
    }
}

impl fmt::Debug for VerifiedPayload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifiedPayload")
            .field("id", &self.id)
            .field("timestamp", &self.timestamp)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

/// A verified delivery as stored in a queue: the three `webhook-*` headers and the body.
/// Anyone can write one, so it is not trusted until
/// [`Webhook::verify_queued`](super::Webhook::verify_queued) checks its signature again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedPayload {
    /// The `webhook-id` header.
    pub id: String,
    /// The `webhook-timestamp` header, in Unix seconds.
    pub timestamp: i64,
    /// The `webhook-signature` header.
    pub signature: String,
    /// The body as received (JSON text).
    pub body: String,
}
