//! Usage-event throughput against a loopback mock of `POST /v1/events/ingest` that
//! answers at once, side by side in one run:
//!
//! - **naive**: one `client.events().ingest()` call per event;
//! - **hand-batched**: `ingest()` called with hand-made batches of the ingester's size,
//!   each event with a UUID v7 `external_id` and a timestamp (the same request as the
//!   ingester's);
//! - **ingester**: `Ingester::send` per event, then `flush`.
//!
//! Targets: ingester ≥ 50× naive and ≥ 0.9× hand-batched. Prints events/s and CPU per
//! event (process CPU, so it includes the in-process mock; Linux only). Best of
//! `ROUNDS` rounds, modes interleaved so that machine noise hits all of them alike.
//!
//! ```text
//! cargo bench -p polar-generated --bench ingest_throughput             # all three, side by side
//! cargo bench -p polar-generated --bench ingest_throughput -- ingester # one mode (naive|hand|ingester)
//! ```
//!
//! Not a timed test: it never fails on speed.

#[path = "../tests/ingest_support/mod.rs"]
mod ingest_support;

use std::time::{Duration, Instant};

use ingest_support::{event, process_cpu_time, Mock};
use polar::ingest::{IngestEvent, Ingester, DEFAULT_BATCH_SIZE};
use polar::models::EventsIngest;

const ROUNDS: usize = 5;
const NAIVE_EVENTS: usize = 2_000;
const BATCHED_EVENTS: usize = 200_000;

/// One measured run.
#[derive(Clone, Copy)]
struct Run {
    events: usize,
    wall: Duration,
    cpu: Option<Duration>,
}

impl Run {
    fn per_second(&self) -> f64 {
        self.events as f64 / self.wall.as_secs_f64()
    }

    fn cpu_per_event(&self) -> String {
        self.cpu.map_or("n/a".to_owned(), |cpu| {
            format!("{:.2} µs", cpu.as_secs_f64() * 1e6 / self.events as f64)
        })
    }
}

async fn measure<F: std::future::Future<Output = ()>>(events: usize, run: F) -> Run {
    let cpu = process_cpu_time();
    let started = Instant::now();
    run.await;
    let wall = started.elapsed();
    let cpu = cpu
        .zip(process_cpu_time())
        .map(|(before, after)| after - before);
    Run { events, wall, cpu }
}

/// A realistic event: name, external customer and a little metadata.
fn template() -> IngestEvent {
    let mut event = event(7, None);
    if let IngestEvent::EventCreateExternalCustomer(inner) = &mut event {
        inner.metadata = Some(
            serde_json::from_value(serde_json::json!({
                "tokens": 1234, "model": "gpt-4o-mini", "cached": false
            }))
            .expect("metadata"),
        );
    }
    event
}

fn with_id(template: &IngestEvent) -> IngestEvent {
    let mut event = template.clone();
    if let IngestEvent::EventCreateExternalCustomer(inner) = &mut event {
        inner.external_id = Some(Some(uuid::Uuid::now_v7().to_string()));
        inner.timestamp = Some(chrono::Utc::now());
    }
    event
}

async fn naive(mock: &Mock, template: &IngestEvent) -> Run {
    let client = mock.client();
    measure(NAIVE_EVENTS, async {
        for _ in 0..NAIVE_EVENTS {
            let body = EventsIngest::new(vec![with_id(template)]);
            client.events().ingest(body).send().await.expect("ingest");
        }
    })
    .await
}

async fn hand_batched(mock: &Mock, template: &IngestEvent) -> Run {
    let client = mock.client();
    measure(BATCHED_EVENTS, async {
        for _ in 0..BATCHED_EVENTS / DEFAULT_BATCH_SIZE {
            let events: Vec<_> = (0..DEFAULT_BATCH_SIZE).map(|_| with_id(template)).collect();
            let body = EventsIngest::new(events);
            client.events().ingest(body).send().await.expect("ingest");
        }
    })
    .await
}

async fn ingester(mock: &Mock, template: &IngestEvent) -> Run {
    let mut builder = Ingester::builder(mock.client());
    // `-- buffer=N` tries another buffer limit (default: the ingester's default).
    if let Some(limit) = std::env::args().find_map(|arg| arg.strip_prefix("buffer=")?.parse().ok())
    {
        builder = builder.buffer_limit(limit);
    }
    let ingester = builder.build().expect("ingester");
    let run = measure(BATCHED_EVENTS, async {
        for _ in 0..BATCHED_EVENTS {
            ingester.send(template.clone()).await.expect("send");
        }
        ingester.flush().await.expect("flush");
    })
    .await;
    let stats = ingester.shutdown().await.expect("shutdown").stats;
    assert_eq!(stats.sent, BATCHED_EVENTS as u64, "every event delivered");
    run
}

fn best(runs: &[Run]) -> Run {
    *runs
        .iter()
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
        let template = template();
        // `-- naive|hand|ingester` runs one mode once: for a profiler, or to time each
        // mode as a whole process.
        let modes = ["naive", "hand", "ingester"];
        if let Some(mode) = std::env::args().find(|arg| modes.contains(&arg.as_str())) {
            let run = match mode.as_str() {
                "naive" => naive(&mock, &template).await,
                "hand" => hand_batched(&mock, &template).await,
                _ => ingester(&mock, &template).await,
            };
            println!(
                "{mode}: {:.0} events/s, CPU {}/event",
                run.per_second(),
                run.cpu_per_event()
            );
            return;
        }
        let (mut naive_runs, mut hand_runs, mut ingester_runs) = (vec![], vec![], vec![]);
        for _ in 0..ROUNDS {
            naive_runs.push(naive(&mock, &template).await);
            hand_runs.push(hand_batched(&mock, &template).await);
            ingester_runs.push(ingester(&mock, &template).await);
        }
        let (naive, hand, ingester) = (best(&naive_runs), best(&hand_runs), best(&ingester_runs));
        println!(
            "ingest throughput: loopback mock answering at once, batches of {DEFAULT_BATCH_SIZE}, \
             best of {ROUNDS} rounds (naive: {NAIVE_EVENTS} events, others: {BATCHED_EVENTS})"
        );
        println!();
        println!("| mode | events/s | CPU per event | ratio to naive | ratio to hand-batched |");
        println!("|---|---:|---:|---:|---:|");
        for (name, run) in [
            ("naive: one `ingest` call per event", naive),
            ("hand-batched `ingest` calls", hand),
            ("`Ingester::send` + `flush`", ingester),
        ] {
            println!(
                "| {name} | {:.0} | {} | {:.1}× | {:.2}× |",
                run.per_second(),
                run.cpu_per_event(),
                run.per_second() / naive.per_second(),
                run.per_second() / hand.per_second(),
            );
        }
        let vs_naive = ingester.per_second() / naive.per_second();
        let vs_hand = ingester.per_second() / hand.per_second();
        println!();
        println!(
            "targets: ≥ 50× naive: {} ({vs_naive:.1}×); ≥ 0.9× hand-batched: {} ({vs_hand:.2}×)",
            if vs_naive >= 50.0 { "met" } else { "MISSED" },
            if vs_hand >= 0.9 { "met" } else { "MISSED" },
        );
    });
}
