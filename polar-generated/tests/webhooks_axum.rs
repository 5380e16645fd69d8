//! End to end over loopback: the axum example's router (the `Verified` extractor) receives
//! signed, unsigned, tampered, stale and unknown deliveries from a plain HTTP client; the
//! handler runs only for verified ones, with their id, timestamp and event.

#[path = "../examples/axum_webhook.rs"]
#[allow(dead_code)] // the example's `main` is not used here
mod example;

mod common;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::routing::post;
use axum::Router;
use example::Fulfilment;
use polar::webhooks::axum::{Verified, VerifiedRaw, VerifiedRejection};
use polar::webhooks::{KeyDerivation, QueuedPayload, Webhook, HEADER_SIGNATURE};
use polar::WebhookEvent;
use reqwest::StatusCode;
use serde_json::json;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

async fn serve(router: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    addr
}

async fn start(webhook: Webhook) -> (Client, Arc<Mutex<Vec<Fulfilment>>>) {
    let (router, fulfilled) = example::router(webhook);
    (Client::new(serve(router).await), fulfilled)
}

struct Client {
    http: reqwest::Client,
    url: String,
}

impl Client {
    fn new(addr: SocketAddr) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        Self {
            http,
            url: format!("http://{addr}{}", example::WEBHOOK_PATH),
        }
    }

    async fn post(&self, headers: http::HeaderMap, body: Vec<u8>) -> StatusCode {
        self.post_for_text(headers, body).await.0
    }

    async fn post_for_text(&self, headers: http::HeaderMap, body: Vec<u8>) -> (StatusCode, String) {
        let response = self.http.post(&self.url).headers(headers).body(body).send();
        let response = response.await.expect("request to the loopback server");
        let status = response.status();
        (status, response.text().await.unwrap())
    }
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn order_id() -> polar::Uuid {
    common::order_paid_value()["data"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn good_delivery_reaches_the_handler_with_id_timestamp_and_event() {
    let webhook = Webhook::new(SECRET).unwrap();
    let (client, fulfilled) = start(webhook.clone()).await;
    let body = common::order_paid_body();
    let sent = now() - 30;
    let headers = webhook.signed_headers("msg_good", sent, &body).unwrap();

    assert_eq!(
        client.post(headers.clone(), body.clone()).await,
        StatusCode::NO_CONTENT
    );
    let expected = Fulfilment {
        webhook_id: "msg_good".to_owned(),
        sent_at: polar::DateTime::from_timestamp(sent, 0).unwrap(),
        order_id: order_id(),
    };
    assert_eq!(
        fulfilled.lock().unwrap().as_slice(),
        std::slice::from_ref(&expected)
    );

    // A retry (same webhook-id) is answered, but the handler does not fulfil twice.
    assert_eq!(client.post(headers, body).await, StatusCode::NO_CONTENT);
    assert_eq!(*fulfilled.lock().unwrap(), [expected]);
}

#[tokio::test]
async fn tampered_body_is_rejected_and_the_handler_never_runs() {
    let webhook = Webhook::new(SECRET).unwrap();
    let (client, fulfilled) = start(webhook.clone()).await;
    let body = common::order_paid_body();
    let headers = webhook.signed_headers("msg_1", now(), &body).unwrap();
    let mut tampered = body.clone();
    tampered.extend_from_slice(b" ");

    let (status, text) = client.post_for_text(headers, tampered).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(text, "no webhook signature matches the body");
    assert!(fulfilled.lock().unwrap().is_empty());
}

#[tokio::test]
async fn stale_timestamp_is_rejected_and_the_handler_never_runs() {
    let webhook = Webhook::new(SECRET).unwrap();
    let (client, fulfilled) = start(webhook.clone()).await;
    let body = common::order_paid_body();
    let stale = webhook.signed_headers("msg_1", now() - 600, &body).unwrap();

    let (status, text) = client.post_for_text(stale, body).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(text.contains("too old"), "{text}");
    assert!(fulfilled.lock().unwrap().is_empty());
}

#[tokio::test]
async fn unknown_event_type_reaches_the_handler_as_unknown() {
    let webhook = Webhook::new(SECRET).unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    // The five-line handler: the state is the `Webhook` itself.
    let handler = move |Verified(delivery): Verified| async move {
        let (kind, unknown) = (
            delivery.event_type().to_owned(),
            delivery.event.is_unknown(),
        );
        record.lock().unwrap().push((delivery.id, kind, unknown));
        StatusCode::ACCEPTED
    };
    let router = Router::new()
        .route("/hook", post(handler))
        .with_state(webhook.clone());
    let url = format!("http://{}/hook", serve(router).await);

    let mut value = common::order_paid_value();
    value["type"] = json!("order.teleported");
    let body = common::body_type_first(&value);
    let headers = webhook.signed_headers("msg_new", now(), &body).unwrap();
    let response = reqwest::Client::new()
        .post(&url)
        .headers(headers)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    assert_eq!(
        *seen.lock().unwrap(),
        [("msg_new".to_owned(), "order.teleported".to_owned(), true)]
    );
}

#[tokio::test]
async fn answers_each_kind_of_delivery_with_its_status() {
    let webhook = Webhook::new(SECRET).unwrap();
    let (client, fulfilled) = start(webhook.clone()).await;
    let body = common::order_paid_body();
    let signed = |id: &str, body: &[u8]| webhook.signed_headers(id, now(), body).unwrap();

    // Verified order.paid: handled.
    assert_eq!(
        client.post(signed("msg_1", &body), body.clone()).await,
        StatusCode::NO_CONTENT
    );

    // Another delivery, signed with the raw-secret key (Polar's older scheme).
    let mut raw = signed("msg_2", &body);
    let raw_signature = webhook
        .sign_with(KeyDerivation::RawBytes, "msg_2", now(), &body)
        .unwrap();
    raw.insert(HEADER_SIGNATURE, raw_signature.parse().unwrap());
    assert_eq!(client.post(raw, body.clone()).await, StatusCode::NO_CONTENT);

    // Unsigned or signed with another secret: 403, and nothing is fulfilled.
    assert_eq!(
        client.post(http::HeaderMap::new(), body.clone()).await,
        StatusCode::FORBIDDEN
    );
    let other = Webhook::new("polar_whs_someone_else").unwrap();
    let forged = other.signed_headers("msg_3", now(), &body).unwrap();
    assert_eq!(
        client.post(forged, body.clone()).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(fulfilled.lock().unwrap().len(), 2);

    // Verified but invalid payloads: 400.
    let malformed = br#"{"type":"order.paid","timestamp":"#.to_vec();
    assert_eq!(
        client.post(signed("msg_4", &malformed), malformed).await,
        StatusCode::BAD_REQUEST
    );
    let mut value = common::order_paid_value();
    value["data"]["status"] = json!(42);
    let wrong_type = common::body_type_first(&value);
    assert_eq!(
        client.post(signed("msg_5", &wrong_type), wrong_type).await,
        StatusCode::BAD_REQUEST
    );

    // Verified event of a type this crate does not know: accepted.
    let mut value = common::order_paid_value();
    value["type"] = json!("order.teleported");
    let unknown = common::body_type_first(&value);
    assert_eq!(
        client.post(signed("msg_6", &unknown), unknown).await,
        StatusCode::ACCEPTED
    );

    let ids: Vec<String> = fulfilled
        .lock()
        .unwrap()
        .iter()
        .map(|f| f.webhook_id.clone())
        .collect();
    assert_eq!(ids, ["msg_1", "msg_2"]);
}

#[tokio::test]
async fn verified_raw_queues_the_payload_for_a_worker() {
    let webhook = Webhook::new(SECRET).unwrap();
    let queue: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
    let sink = Arc::clone(&queue);
    // Verify in the handler, queue the serialized payload, answer at once.
    let handler = move |VerifiedRaw(payload): VerifiedRaw| async move {
        sink.lock()
            .unwrap()
            .push(serde_json::to_vec(&payload).unwrap());
        StatusCode::ACCEPTED
    };
    // A handler that sees rejections too (to log them).
    let logged: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = Arc::clone(&logged);
    let logging = move |verified: Result<Verified, VerifiedRejection>| async move {
        match verified {
            Ok(_) => StatusCode::NO_CONTENT,
            Err(rejection) => {
                log.lock().unwrap().push(rejection.to_string());
                StatusCode::FORBIDDEN
            }
        }
    };
    let router = Router::new()
        .route("/raw", post(handler))
        .route("/logged", post(logging))
        .with_state(webhook.clone());
    let addr = serve(router).await;
    let http = reqwest::Client::new();
    let body = common::order_paid_body();
    let headers = webhook.signed_headers("msg_q", now(), &body).unwrap();
    let status = |url: String, headers: http::HeaderMap| {
        let request = http.post(url).headers(headers).body(body.clone()).send();
        async move { request.await.unwrap().status() }
    };
    assert_eq!(
        status(format!("http://{addr}/raw"), headers.clone()).await,
        StatusCode::ACCEPTED
    );
    assert_eq!(
        status(format!("http://{addr}/raw"), http::HeaderMap::new()).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        status(format!("http://{addr}/logged"), http::HeaderMap::new()).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        *logged.lock().unwrap(),
        ["missing webhook header `webhook-id`"]
    );

    // The worker: read the record back, check it again, parse.
    let record = queue.lock().unwrap().pop().unwrap();
    let queued: QueuedPayload = serde_json::from_slice(&record).unwrap();
    let event = webhook.verify_queued(&queued).unwrap().parse().unwrap();
    assert_eq!(event.id, "msg_q");
    assert!(matches!(event.event, WebhookEvent::OrderPaid(_)));
}

// ---- the README's axum snippet (verbatim) ---------------------------------------------

/// Records what the README's handler fulfils.
static README_FULFILLED: Mutex<Vec<(String, polar::Uuid)>> = Mutex::new(Vec::new());

async fn fulfil_once(webhook_id: &str, order_id: polar::Uuid) {
    README_FULFILLED
        .lock()
        .unwrap()
        .push((webhook_id.to_owned(), order_id));
}

#[allow(clippy::let_and_return)] // the README binds `app`
fn readme_router(webhook: Webhook) -> Router {
    async fn on_webhook(Verified(delivery): Verified) -> StatusCode {
        if let WebhookEvent::OrderPaid(paid) = &delivery.event {
            fulfil_once(&delivery.id, paid.data.id).await;
        }
        StatusCode::ACCEPTED
    }
    let app = Router::new()
        .route("/webhooks/polar", post(on_webhook))
        .with_state(webhook);
    app
}

#[tokio::test]
async fn the_readme_handler_runs_for_a_verified_delivery() {
    let webhook = Webhook::new(SECRET).unwrap();
    let addr = serve(readme_router(webhook.clone())).await;
    let body = common::order_paid_body();
    let headers = webhook.signed_headers("msg_readme", now(), &body).unwrap();
    let response = reqwest::Client::new()
        .post(format!("http://{addr}/webhooks/polar"))
        .headers(headers)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    assert_eq!(
        *README_FULFILLED.lock().unwrap(),
        [("msg_readme".to_owned(), order_id())]
    );
}

#[test]
fn the_readme_axum_snippet_is_the_one_tested() {
    let readme = include_str!("../../README.md");
    let start = readme
        .find("```rust,ignore\nasync fn on_webhook")
        .expect("the axum snippet")
        + 15;
    let snippet = &readme[start..start + readme[start..].find("```").unwrap()];
    let this_file = common::without_whitespace(include_str!("webhooks_axum.rs"));
    assert!(
        this_file.contains(&common::without_whitespace(snippet)),
        "README snippet not tested:\n{snippet}"
    );
}
