//! A verified webhook delivery as JSON, for platforms that map fields without Rust types.

use serde_json::Value;

use super::{trigger, Trigger};
use crate::runtime::webhooks::{Webhook, WebhookError, WebhookHeaders};
use crate::WebhookEvent;

/// A verified delivery: its event type, its payload as JSON (known and unknown events
/// alike), its dedupe key and its trigger.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TriggerEvent {
    /// The `webhook-id` header: the same on every retry of a delivery, so a platform
    /// runs a workflow once per id.
    pub webhook_id: String,
    /// The event type, e.g. `order.paid`.
    pub event_type: String,
    /// The body as delivered, parsed as JSON (not re-serialized from the typed event).
    pub payload: Value,
    /// The typed event ([`WebhookEvent::Unknown`] for an event this crate does not know).
    pub event: WebhookEvent,
}

impl TriggerEvent {
    /// Verify a delivery (signature and timestamp on the raw body) and parse it.
    pub fn verify<H>(webhook: &Webhook, body: &[u8], headers: &H) -> Result<Self, WebhookError>
    where
        H: WebhookHeaders + ?Sized,
    {
        let verified = webhook.verify_and_parse(body, headers)?;
        let (webhook_id, event) = (verified.id, verified.event);
        let payload = crate::runtime::json::decode::<Value>(body)?;
        Ok(TriggerEvent {
            webhook_id,
            event_type: event.event_type().to_owned(),
            payload,
            event,
        })
    }

    /// The dedupe key: the `webhook-id`.
    pub fn dedupe_key(&self) -> &str {
        &self.webhook_id
    }

    /// The catalog's trigger for this event; `None` for an event type it does not list.
    pub fn trigger(&self) -> Option<&'static Trigger> {
        trigger(&self.event_type)
    }
}
