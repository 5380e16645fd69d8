//! Overhead of `Client::invoke` (JSON arguments decoded into the typed call, typed result
//! encoded back to JSON) over calling the typed method, both against the same loopback
//! mock server, in one run.
//!
//! ```text
//! cargo bench -p polar-generated --bench invoke_overhead
//! ```
//!
//! Two actions: `customers:get` (one customer) and `customers:list` (a page of 10).
//! Reports the best of several rounds per call and the ratio invoke / typed. Not a timed
//! test: it never fails on speed.

use std::hint::black_box;
use std::time::{Duration, Instant};

use polar::Client;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CUSTOMER_ID: &str = "0b6ae0f8-6e6b-4a4b-8d27-1c8a3a2c2b11";
const ROUNDS: usize = 7;
const ROUND_TIME: Duration = Duration::from_millis(400);

fn customer() -> Value {
    let mut customer = polar::catalog::trigger("customer.created")
        .expect("customer.created is a trigger")
        .example()["data"]
        .clone();
    customer["id"] = json!(CUSTOMER_ID);
    customer
}

/// Seconds per call: the best of several timed rounds (less noise on a shared machine).
async fn seconds_per_call<F, Fut, T>(mut f: F) -> f64
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let start = Instant::now();
    let mut calls = 0u64;
    while start.elapsed() < ROUND_TIME / 4 {
        black_box(f().await);
        calls += 1;
    }
    let per_round = (calls * 4).max(1);
    let mut best = f64::INFINITY;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        for _ in 0..per_round {
            black_box(f().await);
        }
        best = best.min(start.elapsed().as_secs_f64() / per_round as f64);
    }
    best
}

fn report(label: &str, typed: f64, invoked: f64) {
    println!(
        "  {label:<16} typed {:>8.1} µs/call   invoke {:>8.1} µs/call   +{:>6.1} µs   ratio {:.2}×",
        typed * 1e6,
        invoked * 1e6,
        (invoked - typed) * 1e6,
        invoked / typed
    );
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(format!("/v1/customers/{CUSTOMER_ID}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(customer()))
            .mount(&server)
            .await;
        let page = json!({
            "items": vec![customer(); 10],
            "pagination": { "total_count": 10, "max_page": 1 },
        });
        Mock::given(method("GET"))
            .and(path("/v1/customers/"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page))
            .mount(&server)
            .await;
        let client = Client::builder()
            .base_url(server.uri())
            .access_token("polar_oat_bench")
            .build()
            .expect("client");
        let id: uuid::Uuid = CUSTOMER_ID.parse().expect("uuid");

        println!("invoke_overhead: loopback mock, best of {ROUNDS} rounds");
        let typed = seconds_per_call(|| async {
            client.customers().get(id).send().await.expect("typed get")
        })
        .await;
        let invoked = seconds_per_call(|| async {
            client
                .invoke("customers:get", json!({ "id": CUSTOMER_ID }))
                .await
                .expect("invoke get")
        })
        .await;
        report("customers:get", typed, invoked);

        let typed = seconds_per_call(|| async {
            client
                .customers()
                .list()
                .limit(10)
                .send()
                .await
                .expect("typed list")
        })
        .await;
        let invoked = seconds_per_call(|| async {
            client
                .invoke("customers:list", json!({ "limit": 10 }))
                .await
                .expect("invoke list")
        })
        .await;
        report("customers:list", typed, invoked);
    });
}
