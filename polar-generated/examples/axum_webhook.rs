//! Receive Polar webhooks with axum: the `Verified` extractor checks the signature and
//! parses the event before the handler runs; the handler deduplicates on the webhook id
//! and fulfils `order.paid`.
//!
//! ```text
//! POLAR_WEBHOOK_SECRET='whsec_…' cargo run -p polar-generated --features axum --example axum_webhook
//! ```
//!
//! then point a Polar webhook endpoint (through a tunnel) at
//! `http://127.0.0.1:3000/webhooks/polar` (`ADDR` changes the listening address).
//!
//! Answers: `204 No Content` once an `order.paid` event is handled (or was already, for a
//! retry), `202 Accepted` for events this app (or this crate version) does not handle;
//! the extractor answers `403 Forbidden` when the delivery cannot be verified and
//! `400 Bad Request` for a verified but invalid payload. Polar retries deliveries that get
//! no 2xx answer.
//!
//! `tests/webhooks_axum.rs` runs this router over loopback.

use std::sync::{Arc, Mutex};

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use polar::webhooks::axum::Verified;
use polar::webhooks::{VerifiedEvent, Webhook};
use polar::{DateTime, Utc, WebhookEvent};

/// Where the router is mounted.
pub const WEBHOOK_PATH: &str = "/webhooks/polar";

/// One order the app fulfilled, and the delivery that asked for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Fulfilment {
    /// The `webhook-id`: the same on every retry, so the app fulfils once per id.
    pub webhook_id: String,
    /// When Polar sent the delivery.
    pub sent_at: DateTime<Utc>,
    /// The paid order.
    pub order_id: polar::Uuid,
}

/// Shared by all requests: the verifier, and what the app did (a real app would write
/// to its database).
#[derive(Clone)]
pub struct AppState {
    webhook: Webhook,
    fulfilled: Arc<Mutex<Vec<Fulfilment>>>,
}

/// Where the `Verified` extractor finds the secret.
impl FromRef<AppState> for Webhook {
    fn from_ref(state: &AppState) -> Webhook {
        state.webhook.clone()
    }
}

/// The app's router, and the list of orders it fulfils (for inspection).
pub fn router(webhook: Webhook) -> (Router, Arc<Mutex<Vec<Fulfilment>>>) {
    let fulfilled = Arc::new(Mutex::new(Vec::new()));
    let state = AppState {
        webhook,
        fulfilled: Arc::clone(&fulfilled),
    };
    let router = Router::new()
        .route(WEBHOOK_PATH, post(receive_webhook))
        .with_state(state);
    (router, fulfilled)
}

/// Runs only for a verified delivery with a valid payload.
async fn receive_webhook(
    State(state): State<AppState>,
    Verified(delivery): Verified,
) -> StatusCode {
    let VerifiedEvent {
        id,
        timestamp,
        event,
        ..
    } = delivery;
    match event {
        WebhookEvent::OrderPaid(paid) => {
            fulfil_once(&state, id, timestamp, paid.data.id);
            StatusCode::NO_CONTENT
        }
        // Not handled here, or newer than this crate (`WebhookEvent::Unknown`): accept,
        // so Polar does not retry it.
        other => {
            eprintln!(
                "accepted webhook {id}: {} (not handled)",
                other.event_type()
            );
            StatusCode::ACCEPTED
        }
    }
}

fn fulfil_once(
    state: &AppState,
    webhook_id: String,
    sent_at: DateTime<Utc>,
    order_id: polar::Uuid,
) {
    let Ok(mut fulfilled) = state.fulfilled.lock() else {
        return;
    };
    if fulfilled.iter().any(|f| f.webhook_id == webhook_id) {
        eprintln!("webhook {webhook_id} is a retry: order {order_id} was already fulfilled");
        return;
    }
    eprintln!("order {order_id} is paid (webhook {webhook_id}, sent {sent_at}): fulfilling");
    fulfilled.push(Fulfilment {
        webhook_id,
        sent_at,
        order_id,
    });
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Ok(secret) = std::env::var("POLAR_WEBHOOK_SECRET") else {
        eprintln!("set POLAR_WEBHOOK_SECRET to the endpoint's secret from the Polar dashboard");
        std::process::exit(2);
    };
    let webhook = Webhook::new(&secret)?;
    let addr = std::env::var("ADDR").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    eprintln!("listening on http://{addr}{WEBHOOK_PATH}");
    axum::serve(listener, router(webhook).0).await?;
    Ok(())
}
