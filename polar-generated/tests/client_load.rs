//! The plain `Client` under load: 64 tasks share one client (one connection pool) and
//! make 200 `events().ingest()` calls each against a loopback server. Every call must
//! succeed; the figures (time, requests/s, connections, peak RSS) are printed, never
//! asserted (this is not a timed test).

mod ingest_support;

use std::time::Instant;

use ingest_support::{event, peak_rss_kib, within, Mock};
use polar::models::EventsIngest;

const TASKS: usize = 64;
const REQUESTS_PER_TASK: usize = 200;

fn assert_shareable<T: Clone + Send + Sync + 'static>() {}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_tasks_share_one_client_without_errors() {
    assert_shareable::<polar::Client>();
    let mock = Mock::counting().await;
    let client = mock.client();
    let started = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|task| {
            let client = client.clone();
            tokio::spawn(async move {
                let mut errors = Vec::new();
                for i in 0..REQUESTS_PER_TASK {
                    let body = EventsIngest::new(vec![event(task * REQUESTS_PER_TASK + i, None)]);
                    match client.events().ingest(body).send().await {
                        Ok(response) if response.inserted == 1 => {}
                        Ok(response) => errors.push(format!("unexpected {response:?}")),
                        Err(err) => errors.push(err.to_string()),
                    }
                }
                errors
            })
        })
        .collect();
    let mut errors = Vec::new();
    for task in tasks {
        errors.extend(within(120, task).await.unwrap());
    }
    let elapsed = started.elapsed();
    let total = TASKS * REQUESTS_PER_TASK;
    assert!(
        errors.is_empty(),
        "{} errors, first: {:?}",
        errors.len(),
        errors.first()
    );
    let (requests, connections) = mock.seen(|seen| (seen.requests, seen.connections));
    assert_eq!(requests, total);
    // One shared pool: connections are reused (about one per concurrent task; hyper may
    // open a few extra when a connection frees up while another is being dialled).
    assert!(
        connections * 10 <= total,
        "{connections} connections for {total} requests"
    );
    println!(
        "client load: {TASKS} tasks x {REQUESTS_PER_TASK} requests = {total} in {:.2} s \
         ({:.0} requests/s, {} build), 0 errors, {connections} connections, peak RSS {} MiB",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64(),
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        peak_rss_kib().map_or("n/a".to_owned(), |kib| format!(
            "{:.1}",
            kib as f64 / 1024.0
        )),
    );
}
