//! Webhook signature verification, signing and typed event parsing.
//!
//! Polar delivers webhooks per [Standard Webhooks](https://www.standardwebhooks.com/):
//! a `POST` whose body is the JSON event and three headers,
//!
//! - `webhook-id`: the message id (the same on retries: use it to deduplicate),
//! - `webhook-timestamp`: the time of sending, in Unix seconds,
//! - `webhook-signature`: space-separated `v1,<base64>` entries, each an HMAC-SHA256 of
//!   `"{webhook-id}.{webhook-timestamp}.{body}"`; one matching entry is enough.
//!
//! [`Webhook`] checks all of it on the raw body bytes (never re-serialize the JSON before
//! verifying), with a five-minute tolerance in both directions, and parses the body into a
//! [`VerifiedEvent`]: the `webhook-id` to deduplicate on, the `webhook-timestamp`, and the
//! [`WebhookEvent`]:
//!
//! ```
//! use polar::webhooks::{VerifiedEvent, Webhook, WebhookError};
//! use polar::WebhookEvent;
//!
//! /// Returns the HTTP status to answer with.
//! fn handle(webhook: &Webhook, body: &[u8], headers: &polar::http::HeaderMap) -> u16 {
//!     match webhook.verify_and_parse(body, headers) {
//!         Ok(VerifiedEvent { id, event: WebhookEvent::OrderPaid(paid), .. }) => {
//!             // fulfil paid.data once per `id` (retries of a delivery share it) ...
//!             200
//!         }
//!         Ok(verified) => {
//!             // Unknown or not handled here: accept, so Polar does not retry it.
//!             eprintln!("ignoring webhook event {}", verified.event_type());
//!             202
//!         }
//!         // 403 for a delivery that failed verification, 400 for a bad payload.
//!         Err(err) => err.status_code(),
//!     }
//! }
//! # let webhook = Webhook::new("whsec_c2VjcmV0LWtleQ==")?;
//! # let body = br#"{"type":"order.refunded_later","data":{}}"#;
//! # let headers = webhook.signed_headers("msg_1", chrono::Utc::now().timestamp(), body)?;
//! # assert_eq!(handle(&webhook, body, &headers), 202);
//! # assert_eq!(handle(&webhook, body, &http::HeaderMap::new()), 403);
//! # Ok::<(), WebhookError>(())
//! ```
//!
//! To answer Polar at once and parse in a worker, [`Webhook::verify`] returns a
//! [`VerifiedPayload`] (id, timestamp and the exact body bytes, made only by verification)
//! to [`parse`](VerifiedPayload::parse) later; it serializes as a [`QueuedPayload`], which
//! [`Webhook::verify_queued`] checks again when it comes out of the queue.
//!
//! With the `axum` feature, `polar::webhooks::axum::Verified` is an extractor: a handler
//! takes the verified event as an argument, and a delivery that fails verification never
//! reaches it.
//!
//! Headers can come from an [`http::HeaderMap`] (axum, hyper, …), a string map, a list of
//! pairs or a lookup function ([`header_fn`]); see [`WebhookHeaders`].
//!
//! # Secrets and Polar's two signing schemes
//!
//! Polar moved to Standard Webhooks key derivation for secrets created from 2026-09-08 on:
//! for a secret `whsec_<base64>`, the HMAC key is the base64-decoded part after the prefix.
//! Older secrets (also `whsec_`-prefixed, some `polar_whs_`) are signed with the raw UTF-8
//! bytes of the whole secret string, prefix included.
//!
//! Like Polar's official SDKs, [`Webhook`] tries both keys: first the decoded key (when the
//! secret has the `whsec_` prefix and the rest is valid base64), then the raw bytes. So
//! pass the secret exactly as the dashboard shows it, whichever kind it is. A secret
//! without the `whsec_` prefix is never base64-decoded. [`Webhook::sign`] signs with the
//! first key; [`Webhook::sign_with`] picks one ([`KeyDerivation`]).
//!
//! # Errors and HTTP answers
//!
//! [`WebhookError::status_code`] says what to answer: 403 when the delivery could not be
//! verified (missing or unreadable header, timestamp out of tolerance, no matching
//! signature), 400 when it was verified but the payload is invalid. An event type this
//! crate does not know yet is not an error: it parses as
//! [`WebhookEvent::Unknown`]; accept it with 202. No error
//! message or `Debug` output contains the secret.

#![warn(missing_docs)]

mod error;
mod headers;
mod parse;
mod secret;
mod sign;
mod verified;
mod verify;

#[cfg(feature = "axum")]
pub mod axum;

pub use error::WebhookError;
pub use headers::{
    header_fn, HeaderFn, WebhookHeaders, HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP,
};
pub use secret::{KeyDerivation, WebhookSecret, STANDARD_SECRET_PREFIX};
pub use verified::{QueuedPayload, VerifiedEvent, VerifiedPayload};
pub use verify::{Webhook, DEFAULT_TOLERANCE};

pub use crate::bindings::WebhookEvent;
pub use crate::runtime::json::DecodeError;
