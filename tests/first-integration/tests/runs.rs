//! The first integration runs end to end against a mock Polar: every call answers, the
//! orders come from two pages, and a signed `order.paid` delivery reaches the handler
//! (answered 202) while a forged one is refused with 403 before it.

use std::process::Stdio;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{ChildStdout, Command};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PAYLOADS: &str =
    include_str!("../../../polar-generated/tests/fixtures/webhook_payloads.json");
const CUSTOMER: &str = include_str!("../../../polar-generated/tests/fixtures/customer.json");
const SECRET: &str = "whsec_c2VjcmV0LWZvci10aGUtZmlyc3QtaW50ZWdyYXRpb24=";

fn payload(event: &str) -> Value {
    let payloads: Value = serde_json::from_str(PAYLOADS).unwrap();
    payloads[event].clone()
}

async fn mock_polar() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/customers/"))
        .respond_with(ResponseTemplate::new(201).set_body_raw(CUSTOMER, "application/json"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/checkouts/"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(payload("checkout.created")["data"].clone()),
        )
        .mount(&server)
        .await;
    for page in 1..=2 {
        let order = payload("order.created")["data"].clone();
        let body = json!({"items": [order], "pagination": {"total_count": 2, "max_page": 2}});
        Mock::given(method("GET"))
            .and(path("/v1/orders/"))
            .and(query_param("page", page.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
            .mount(&server)
            .await;
    }
    server
}

async fn line_with(lines: &mut Lines<BufReader<ChildStdout>>, prefix: &str) -> String {
    let read = async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if line.starts_with(prefix) {
                return line;
            }
        }
        panic!("the program ended before printing `{prefix}`");
    };
    tokio::time::timeout(Duration::from_secs(60), read)
        .await
        .unwrap_or_else(|_| panic!("no `{prefix}` line within 60 s"))
}

#[tokio::test]
async fn the_first_integration_runs_against_a_mock() {
    let server = mock_polar().await;
    let product_id = payload("product.created")["data"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut child = Command::new(env!("CARGO_BIN_EXE_first-integration"))
        .env("POLAR_ACCESS_TOKEN", "polar_oat_first_integration")
        .env("POLAR_BASE_URL", server.uri())
        .env_remove("POLAR_ENVIRONMENT")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("PRODUCT_ID", &product_id)
        .env("POLAR_WEBHOOK_SECRET", SECRET)
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the program starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();

    let customer: Value = serde_json::from_str(CUSTOMER).unwrap();
    let expected = format!("customer {}", customer["id"].as_str().unwrap());
    assert_eq!(line_with(&mut lines, "customer ").await, expected);
    line_with(&mut lines, "checkout ").await;
    assert_eq!(line_with(&mut lines, "2 orders").await, "2 orders");
    let address = line_with(&mut lines, "listening on ").await;
    let url = format!(
        "http://{}/webhooks/polar",
        &address["listening on ".len()..]
    );

    let delivery = payload("order.paid");
    let body = serde_json::to_vec(&delivery).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let signer = polar::Webhook::new(SECRET).unwrap();
    let http = polar::client::reqwest::Client::new();

    let forged = polar::Webhook::new("whsec_bm90LXRoZS1zZWNyZXQ=").unwrap();
    let refused = http
        .post(&url)
        .headers(forged.signed_headers("msg_forged", now, &body).unwrap())
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);

    let accepted = http
        .post(&url)
        .headers(signer.signed_headers("msg_first", now, &body).unwrap())
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), 202);
    let order_id = delivery["data"]["id"].as_str().unwrap();
    assert_eq!(
        line_with(&mut lines, "webhook ").await,
        format!("webhook msg_first: order {order_id} paid"),
        "the forged delivery never reached the handler"
    );
    child.kill().await.unwrap();
}
