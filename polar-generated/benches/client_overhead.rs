//! Overhead of the generated client: requests/s of `client.events().ingest()` against a
//! bare `reqwest` call sending the same request (same body, headers and connection pool
//! settings) and decoding the same response, one run, against a loopback mock answering
//! at once. Sequential calls, so the figure is latency-bound: what the generated layer
//! adds per call (building the request spec, auth, headers, the retry loop, decoding).
//!
//! Target: generated ≥ 0.9× bare reqwest. Best of `ROUNDS` interleaved rounds.
//!
//! ```text
//! cargo bench -p polar-generated --bench client_overhead
//! ```
//!
//! Not a timed test: it never fails on speed.

#[path = "../tests/ingest_support/mod.rs"]
mod ingest_support;

use std::time::{Duration, Instant};

use ingest_support::{event, process_cpu_time, Mock};
use polar::models::{EventsIngest, EventsIngestResponse};

const ROUNDS: usize = 7;
const CALLS: usize = 4_000;

struct Run {
    wall: Duration,
    cpu: Option<Duration>,
}

impl Run {
    fn per_second(&self) -> f64 {
        CALLS as f64 / self.wall.as_secs_f64()
    }
}

async fn measure<F: std::future::Future<Output = ()>>(run: F) -> Run {
    let cpu = process_cpu_time();
    let started = Instant::now();
    run.await;
    let wall = started.elapsed();
    let cpu = cpu
        .zip(process_cpu_time())
        .map(|(before, after)| after - before);
    Run { wall, cpu }
}

fn body() -> EventsIngest {
    EventsIngest::new(vec![event(
        1,
        Some("0190b6c4-7a3e-7cc1-8f5e-2d1b5f0e9a11".to_owned()),
    )])
}

async fn generated(client: &polar::Client) -> Run {
    measure(async {
        for _ in 0..CALLS {
            let response = client.events().ingest(body()).send().await.expect("ingest");
            assert_eq!(response.inserted, 1);
        }
    })
    .await
}

async fn bare(http: &reqwest::Client, url: &str) -> Run {
    measure(async {
        for _ in 0..CALLS {
            let bytes = serde_json::to_vec(&body()).expect("encode");
            let response = http
                .post(url)
                .header("authorization", "Bearer polar_oat_test")
                .header("polar-version", polar::API_VERSION)
                .header("user-agent", "bench")
                .header("accept", "application/json")
                .header("content-type", "application/json")
                .body(bytes)
                .send()
                .await
                .expect("send");
            assert!(response.status().is_success());
            let bytes = response.bytes().await.expect("body");
            let decoded: EventsIngestResponse = serde_json::from_slice(&bytes).expect("decode");
            assert_eq!(decoded.inserted, 1);
        }
    })
    .await
}

fn best(runs: &[Run]) -> &Run {
    runs.iter()
        .max_by(|a, b| a.per_second().total_cmp(&b.per_second()))
        .expect("at least one round")
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let mock = Mock::counting().await;
        let client = mock.client();
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .build()
            .expect("reqwest client");
        let url = format!("{}/v1/events/ingest", mock.url());
        let (mut generated_runs, mut bare_runs) = (vec![], vec![]);
        for _ in 0..ROUNDS {
            generated_runs.push(generated(&client).await);
            bare_runs.push(bare(&http, &url).await);
        }
        let (generated, bare) = (best(&generated_runs), best(&bare_runs));
        let cpu = |run: &Run| {
            run.cpu.map_or("n/a".to_owned(), |cpu| {
                format!("{:.1} µs", cpu.as_secs_f64() * 1e6 / CALLS as f64)
            })
        };
        println!(
            "client overhead: {CALLS} sequential `events:ingest` calls (one event) against a \
             loopback mock, best of {ROUNDS} rounds"
        );
        println!();
        println!("| call | requests/s | CPU per request | ratio |");
        println!("|---|---:|---:|---:|");
        for (name, run) in [
            ("bare `reqwest` + `serde_json`", bare),
            ("generated `client.events().ingest()`", generated),
        ] {
            println!(
                "| {name} | {:.0} | {} | {:.2}× |",
                run.per_second(),
                cpu(run),
                run.per_second() / bare.per_second()
            );
        }
        let ratio = generated.per_second() / bare.per_second();
        println!();
        println!(
            "target ≥ 0.9× bare reqwest: {} ({ratio:.2}×)",
            if ratio >= 0.9 { "met" } else { "MISSED" }
        );
    });
}
