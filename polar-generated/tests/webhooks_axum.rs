//! End to end over loopback: the axum example's router receives signed, unsigned and
//! tampered deliveries from a plain HTTP client and answers with the right status codes.

#[path = "../examples/axum_webhook.rs"]
#[allow(dead_code)] // the example's `main` is not used here
mod example;

mod common;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use polar::webhooks::{KeyDerivation, Webhook, HEADER_SIGNATURE};
use reqwest::StatusCode;
use serde_json::json;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

async fn start(webhook: Webhook) -> (SocketAddr, Arc<Mutex<Vec<String>>>) {
    let (router, fulfilled) = example::router(webhook);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    (addr, fulfilled)
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
        let response = self.http.post(&self.url).headers(headers).body(body).send();
        response
            .await
            .expect("request to the loopback server")
            .status()
    }
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[tokio::test]
async fn answers_each_kind_of_delivery_with_its_status() {
    let webhook = Webhook::new(SECRET).unwrap();
    let (addr, fulfilled) = start(webhook.clone()).await;
    let client = Client::new(addr);
    let body = common::order_paid_body();
    let signed = |body: &[u8]| webhook.signed_headers("msg_1", now(), body).unwrap();

    // Verified order.paid: handled.
    assert_eq!(
        client.post(signed(&body), body.clone()).await,
        StatusCode::NO_CONTENT
    );
    let order_id = common::order_paid_value()["data"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        fulfilled.lock().unwrap().as_slice(),
        std::slice::from_ref(&order_id)
    );

    // The same, signed with the raw-secret key (Polar's older scheme).
    let mut raw = signed(&body);
    let raw_signature = webhook
        .sign_with(KeyDerivation::RawBytes, "msg_1", now(), &body)
        .unwrap();
    raw.insert(HEADER_SIGNATURE, raw_signature.parse().unwrap());
    assert_eq!(client.post(raw, body.clone()).await, StatusCode::NO_CONTENT);

    // Unsigned, tampered, wrong secret, stale: 403, and nothing is fulfilled.
    assert_eq!(
        client.post(http::HeaderMap::new(), body.clone()).await,
        StatusCode::FORBIDDEN
    );
    let mut tampered = body.clone();
    tampered.extend_from_slice(b" ");
    assert_eq!(
        client.post(signed(&body), tampered).await,
        StatusCode::FORBIDDEN
    );
    let other = Webhook::new("polar_whs_someone_else").unwrap();
    let forged = other.signed_headers("msg_1", now(), &body).unwrap();
    assert_eq!(
        client.post(forged, body.clone()).await,
        StatusCode::FORBIDDEN
    );
    let stale = webhook.signed_headers("msg_1", now() - 600, &body).unwrap();
    assert_eq!(
        client.post(stale, body.clone()).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(fulfilled.lock().unwrap().len(), 2);

    // Verified but invalid payloads: 400.
    let malformed = br#"{"type":"order.paid","timestamp":"#.to_vec();
    assert_eq!(
        client.post(signed(&malformed), malformed).await,
        StatusCode::BAD_REQUEST
    );
    let mut value = common::order_paid_value();
    value["data"]["status"] = json!(42);
    let wrong_type = common::body_type_first(&value);
    assert_eq!(
        client.post(signed(&wrong_type), wrong_type).await,
        StatusCode::BAD_REQUEST
    );

    // Verified event of a type this crate does not know: accepted.
    let mut value = common::order_paid_value();
    value["type"] = json!("order.teleported");
    let unknown = common::body_type_first(&value);
    assert_eq!(
        client.post(signed(&unknown), unknown).await,
        StatusCode::ACCEPTED
    );

    assert_eq!(*fulfilled.lock().unwrap(), [order_id.clone(), order_id]);
}
