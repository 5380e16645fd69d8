//! axum extractors (feature `axum`): a handler takes the verified delivery as an argument.
//!
//! ```
//! use axum::{http::StatusCode, routing::post, Router};
//! use polar::webhooks::{axum::Verified, Webhook};
//! use polar::WebhookEvent;
//!
//! async fn on_webhook(Verified(delivery): Verified) -> StatusCode {
//!     if let WebhookEvent::OrderPaid(paid) = &delivery.event {
//!         println!("{}: order {} paid", delivery.id, paid.data.id);
//!     }
//!     StatusCode::ACCEPTED
//! }
//!
//! # fn app() -> Result<Router, polar::WebhookError> {
//! let webhook = Webhook::new("whsec_c2VjcmV0LWtleQ==")?;
//! let app = Router::new()
//!     .route("/webhooks/polar", post(on_webhook))
//!     .with_state(webhook);
//! # Ok(app) }
//! ```
//!
//! # Where the secret comes from
//!
//! From the router's state, through [`FromRef`]: the state is a [`Webhook`], or an app
//! state with `impl FromRef<AppState> for Webhook`. State rather than an `Extension`
//! because a router without it does not compile, where a missing extension would fail
//! every delivery at run time. The `Webhook` is cloned per request; clones share the
//! secret, so that costs two reference-count increments.
//!
//! # What the sender gets
//!
//! The handler runs only for a verified delivery with a valid payload. Otherwise the
//! extractor answers (with the reason as plain text, never the secret):
//!
//! - `403 Forbidden` when verification fails (missing or unreadable `webhook-*` headers,
//!   a timestamp out of tolerance, no matching signature);
//! - `400 Bad Request` for a verified body that is not a valid event;
//! - axum's own answer when the body cannot be read (e.g. `413` over the body limit).
//!
//! An event type this crate does not know is not rejected: it reaches the handler as
//! [`WebhookEvent::Unknown`](crate::WebhookEvent::Unknown), so a new Polar event never
//! makes deliveries fail. To log rejections, take `Result<Verified, VerifiedRejection>`
//! as the argument instead.

use ::axum::body::Bytes;
use ::axum::extract::rejection::BytesRejection;
use ::axum::extract::{FromRef, FromRequest, Request};
use ::axum::http::HeaderMap;
use ::axum::response::{IntoResponse, Response};

use super::{VerifiedEvent, VerifiedPayload, Webhook, WebhookError};

/// Extracts a verified, parsed delivery: its id, timestamp and event.
///
/// Consumes the body, so it must be the handler's last argument.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified(pub VerifiedEvent);

/// Extracts a verified delivery without parsing it: a [`VerifiedPayload`] to queue and
/// parse later (for handlers that answer Polar at once and hand the work to a worker).
///
/// Consumes the body, so it must be the handler's last argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedRaw(pub VerifiedPayload);

/// Why [`Verified`] or [`VerifiedRaw`] rejected a request; as a response it answers with
/// the status in the [module documentation](self#what-the-sender-gets).
#[derive(Debug)]
#[non_exhaustive]
pub enum VerifiedRejection {
    /// The body could not be read (too large, connection closed, …).
    Body(BytesRejection),
    /// Verification failed (403) or the payload is invalid (400): see
    /// [`WebhookError::status_code`].
    Webhook(WebhookError),
}

impl IntoResponse for VerifiedRejection {
    fn into_response(self) -> Response {
        match self {
            Self::Body(rejection) => rejection.into_response(),
            // 403, not 401: Polar's own framework adapters and documentation answer a
            // delivery that fails verification with 403 Forbidden (the sender is known
            // and has no credential to retry with, which is what 401 would ask for).
            // Standard Webhooks only requires a non-2xx answer, so Polar retries it later.
            Self::Webhook(err) => (err.http_status(), err.to_string()).into_response(),
        }
    }
}

impl std::fmt::Display for VerifiedRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Body(rejection) => write!(f, "could not read the webhook body: {rejection}"),
            Self::Webhook(err) => err.fmt(f),
        }
    }
}

impl std::error::Error for VerifiedRejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Body(rejection) => Some(rejection),
            Self::Webhook(err) => Some(err),
        }
    }
}

/// The [`Webhook`] from the state, the headers and the whole body (raw bytes: the
/// signature covers them exactly).
async fn read<S>(req: Request, state: &S) -> Result<(Webhook, HeaderMap, Bytes), VerifiedRejection>
where
    S: Send + Sync,
    Webhook: FromRef<S>,
{
    let webhook = Webhook::from_ref(state);
    let headers = req.headers().clone();
    let body = Bytes::from_request(req, state)
        .await
        .map_err(VerifiedRejection::Body)?;
    Ok((webhook, headers, body))
}

impl<S> FromRequest<S> for Verified
where
    S: Send + Sync,
    Webhook: FromRef<S>,
{
    type Rejection = VerifiedRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (webhook, headers, body) = read(req, state).await?;
        webhook
            .verify_and_parse(&body, &headers)
            .map(Verified)
            .map_err(VerifiedRejection::Webhook)
    }
}

impl<S> FromRequest<S> for VerifiedRaw
where
    S: Send + Sync,
    Webhook: FromRef<S>,
{
    type Rejection = VerifiedRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (webhook, headers, body) = read(req, state).await?;
        webhook
            .verify(&body, &headers)
            .map(VerifiedRaw)
            .map_err(VerifiedRejection::Webhook)
    }
}
