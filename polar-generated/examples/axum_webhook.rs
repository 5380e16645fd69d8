//! Receive Polar webhooks with axum: verify the signature, parse the event, dispatch
//! `order.paid`, and answer with the status code Polar expects.
//!
//! ```text
//! POLAR_WEBHOOK_SECRET='whsec_…' cargo run -p polar-generated --example axum_webhook
//! ```
//!
//! then point a Polar webhook endpoint (through a tunnel) at
//! `http://127.0.0.1:3000/webhooks/polar` (`ADDR` changes the listening address).
//!
//! Answers: `204 No Content` once an `order.paid` event is handled, `202 Accepted` for
//! events this app (or this crate version) does not handle, `403 Forbidden` when the
//! delivery cannot be verified, `400 Bad Request` for a verified but invalid payload.
//! Polar retries deliveries that get no 2xx answer.
//!
//! `tests/webhooks_axum.rs` runs this router over loopback.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use polar::models::WebhookOrderPaidPayload;
use polar::webhooks::Webhook;
use polar::WebhookEvent;

/// Where the router is mounted.
pub const WEBHOOK_PATH: &str = "/webhooks/polar";

/// Shared by all requests: the verifier, and what the app did (the ids of the orders it
/// fulfilled; a real app would write to its database).
#[derive(Clone)]
pub struct AppState {
    webhook: Arc<Webhook>,
    fulfilled_orders: Arc<Mutex<Vec<String>>>,
}

/// The app's router, and the list of orders it fulfils (for inspection).
pub fn router(webhook: Webhook) -> (Router, Arc<Mutex<Vec<String>>>) {
    let fulfilled_orders = Arc::new(Mutex::new(Vec::new()));
    let state = AppState {
        webhook: Arc::new(webhook),
        fulfilled_orders: Arc::clone(&fulfilled_orders),
    };
    let router = Router::new()
        .route(WEBHOOK_PATH, post(receive_webhook))
        .with_state(state);
    (router, fulfilled_orders)
}

/// Take the body as raw bytes (never the `Json` extractor: the signature covers the exact
/// bytes sent), verify, parse, dispatch.
async fn receive_webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    match state.webhook.verify_and_parse(&body, &headers) {
        Ok(WebhookEvent::OrderPaid(payload)) => {
            fulfil_order(&state, &payload);
            StatusCode::NO_CONTENT
        }
        Ok(WebhookEvent::Unknown { event_type, .. }) => {
            // Newer than this crate: accept so Polar does not retry, and log it.
            eprintln!("accepted webhook event of unknown type {event_type:?}");
            StatusCode::ACCEPTED
        }
        Ok(other) => {
            eprintln!(
                "accepted webhook event {} (not handled)",
                other.event_type()
            );
            StatusCode::ACCEPTED
        }
        Err(err) => {
            // 403 when verification failed, 400 for an invalid payload. The message
            // never contains the secret.
            eprintln!("rejected webhook delivery: {err}");
            err.http_status()
        }
    }
}

fn fulfil_order(state: &AppState, payload: &WebhookOrderPaidPayload) {
    let order_id = payload.data.id.to_string();
    eprintln!("order {order_id} is paid: fulfilling");
    if let Ok(mut fulfilled) = state.fulfilled_orders.lock() {
        fulfilled.push(order_id);
    }
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
