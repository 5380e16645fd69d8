//! The ingester against a scripted mock of `POST /v1/events/ingest`: for each fault
//! sequence, every event is stored exactly once by `external_id`, the counters add up,
//! and `shutdown` returns only once nothing is left. Backoffs are milliseconds; the only
//! timing assertion is a lower bound (`Retry-After` honoured).

mod ingest_support;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ingest_support::{event, within, Mock, Reply};
use polar::ingest::{
    external_id, FailedEvents, FailureKind, IngestError, Ingester, IngesterBuilder, SendError,
};
use polar::RetryPolicy;

const TIMEOUT: Duration = Duration::from_millis(300);

fn fast(mock: &Mock, max_retries: u32) -> IngesterBuilder {
    Ingester::builder(mock.client())
        .batch_size(50)
        .flush_interval(Duration::from_millis(20))
        .request_timeout(TIMEOUT)
        .retry_policy(
            RetryPolicy::new()
                .max_retries(max_retries)
                .initial_backoff(Duration::from_millis(2))
                .max_backoff(Duration::from_millis(10)),
        )
}

/// Sends `n` events (every third with the caller's own `external_id`), shuts down, and
/// checks delivery and counters. Returns the mock for further checks.
async fn deliver_all(script: Vec<Reply>, n: usize) -> (Mock, polar::ingest::Stats) {
    let mock = Mock::start(script.clone(), Reply::Ok).await;
    let ingester = fast(&mock, 5).build().unwrap();
    let own: Vec<String> = (0..n).step_by(3).map(|i| format!("caller-{i}")).collect();
    for i in 0..n {
        let id = (i % 3 == 0).then(|| format!("caller-{i}"));
        ingester.send(event(i, id)).await.unwrap();
    }
    let report = within(20, ingester.shutdown()).await.unwrap();
    let stats = report.stats;
    assert!(report.failed.is_empty(), "{script:?}: {:?}", report.failed);
    mock.seen(|seen| {
        assert_eq!(
            seen.without_id, 0,
            "{script:?}: every event has an external_id"
        );
        assert_eq!(seen.stored.len(), n, "{script:?}: every event stored");
        assert!(seen.stored.values().all(|&times| times == 1), "{script:?}");
        for id in &own {
            assert!(seen.stored.contains_key(id), "{script:?}: {id} kept");
        }
        assert_eq!(stats.requests as usize, seen.requests, "{script:?}");
        assert_eq!(stats.duplicates as usize, seen.duplicates, "{script:?}");
    });
    assert_eq!(stats.accepted, n as u64, "{script:?}");
    assert_eq!(stats.sent, n as u64, "{script:?}");
    assert_eq!(stats.inserted + stats.duplicates, stats.sent, "{script:?}");
    assert_eq!((stats.failed, stats.buffered), (0, 0), "{script:?}");
    (mock, stats)
}

#[tokio::test]
async fn every_fault_sequence_delivers_each_event_exactly_once() {
    let late = Reply::Delay(TIMEOUT * 2);
    let sequences = [
        vec![],
        vec![Reply::RateLimited(0), Reply::RateLimited(0)],
        vec![
            Reply::ServerError,
            Reply::ServerError,
            Reply::Ok,
            Reply::ServerError,
        ],
        vec![late.clone()],
        vec![Reply::Drop, Reply::Ok, Reply::Drop],
        vec![
            Reply::RateLimited(0),
            Reply::ServerError,
            Reply::Drop,
            late.clone(),
            Reply::Ok,
            Reply::Status(503, String::new()),
            late,
        ],
    ];
    for script in sequences {
        let faults = script.iter().filter(|r| **r != Reply::Ok).count();
        let (mock, stats) = deliver_all(script.clone(), 120).await;
        // 120 events in batches of 50: 3 batches, one request each plus one per fault.
        assert_eq!(stats.requests as usize, 3 + faults, "{script:?}");
        assert_eq!(stats.retried > 0, faults > 0, "{script:?}");
        let wire = mock.seen(|seen| seen.wire_events);
        assert_eq!(wire as u64, 120 + stats.retried, "{script:?}");
    }
}

#[tokio::test]
async fn a_batch_stored_but_answered_too_late_is_counted_as_duplicates() {
    let (mock, stats) = deliver_all(vec![Reply::Delay(TIMEOUT * 2)], 30).await;
    // The first answer never arrived: Polar's count of new events was lost with it, and
    // the retry found every event already stored.
    assert_eq!((stats.inserted, stats.duplicates), (0, 30));
    mock.seen(|seen| assert!(seen.on_wire.values().all(|&times| times == 2)));
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let started = Instant::now();
    let (_, stats) = deliver_all(vec![Reply::RateLimited(1)], 10).await;
    assert_eq!(stats.retried, 10);
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn exhausted_retries_hand_every_event_back() {
    let mock = Mock::start(vec![], Reply::ServerError).await;
    let ingester = fast(&mock, 2).build().unwrap();
    for i in 0..70 {
        ingester
            .send(event(i, Some(format!("e{i}"))))
            .await
            .unwrap();
    }
    let stats = within(20, ingester.flush()).await.unwrap();
    // Failed and not yet taken: out of the buffer's count, held against its limit.
    assert_eq!(
        (stats.failed, stats.failed_untaken, stats.buffered),
        (70, 70, 0)
    );
    let report = within(20, ingester.shutdown()).await.unwrap();
    let failed: Vec<&str> = report
        .failed
        .iter()
        .flat_map(|f| f.events.iter().map(|e| external_id(e).unwrap()))
        .collect();
    let expected: Vec<String> = (0..70).map(|i| format!("e{i}")).collect();
    assert_eq!(failed, expected);
    for failed in &report.failed {
        assert_eq!(failed.kind, FailureKind::RetriesExhausted);
        assert_eq!(failed.status, Some(500));
        assert!(failed.message.contains("500"), "{}", failed.message);
    }
    let stats = report.stats;
    let untaken = stats.failed_untaken;
    assert_eq!(
        (stats.sent, stats.failed, stats.buffered, untaken),
        (0, 70, 0, 0)
    );
    // 2 batches × 3 attempts; each event retried twice.
    assert_eq!((stats.requests, stats.retried), (6, 140));
    assert_eq!(mock.seen(|seen| seen.stored.len()), 0);
}

#[tokio::test]
async fn events_named_by_a_422_fail_alone_and_the_rest_is_delivered() {
    let mock = Mock::start(vec![Reply::Invalid(vec![1, 3])], Reply::Ok).await;
    let ingester = fast(&mock, 5).build().unwrap();
    for i in 0..10 {
        ingester
            .send(event(i, Some(format!("e{i}"))))
            .await
            .unwrap();
    }
    let report = within(20, ingester.shutdown()).await.unwrap();
    assert_eq!(report.failed.len(), 1);
    let failed = &report.failed[0];
    assert_eq!(failed.kind, FailureKind::Invalid);
    assert_eq!(failed.status, Some(422));
    let ids: Vec<_> = failed
        .events
        .iter()
        .map(|e| external_id(e).unwrap())
        .collect();
    assert_eq!(ids, ["e1", "e3"]);
    assert!(
        failed
            .message
            .contains("events[1]: name: String should have at most"),
        "{}",
        failed.message
    );
    mock.seen(|seen| {
        let stored: HashSet<&str> = seen.stored.keys().map(String::as_str).collect();
        let expected: HashSet<&str> = ["e0", "e2", "e4", "e5", "e6", "e7", "e8", "e9"].into();
        assert_eq!(stored, expected);
        assert_eq!(seen.on_wire["e1"], 1, "a rejected event is not retried");
    });
    let stats = report.stats;
    assert_eq!((stats.sent, stats.failed, stats.retried), (8, 2, 0));
}

#[tokio::test]
async fn an_unattributed_rejection_is_narrowed_down_by_halving() {
    let rejected = || Reply::Status(422, r#"{"detail":"Invalid payload"}"#.to_owned());
    // [a b c d] rejected → [a b] ok, [c d] rejected → [c] ok, [d] rejected: d fails.
    let script = vec![rejected(), Reply::Ok, rejected(), Reply::Ok, rejected()];
    let mock = Mock::start(script, Reply::Ok).await;
    let ingester = fast(&mock, 5).build().unwrap();
    for (i, id) in ["a", "b", "c", "d"].into_iter().enumerate() {
        ingester.send(event(i, Some(id.to_owned()))).await.unwrap();
    }
    let report = within(20, ingester.shutdown()).await.unwrap();
    let failed: Vec<_> = report
        .failed
        .iter()
        .flat_map(|f| &f.events)
        .map(|e| external_id(e).unwrap())
        .collect();
    assert_eq!(failed, ["d"]);
    assert!(report.failed[0].message.contains("Invalid payload"));
    let mut stored: Vec<String> = mock.seen(|seen| seen.stored.keys().cloned().collect());
    stored.sort();
    assert_eq!(stored, ["a", "b", "c"]);
    assert_eq!(report.stats.requests, 5);
}

#[tokio::test]
async fn a_refused_batch_fails_at_once_without_retries() {
    let mock = Mock::start(
        vec![],
        Reply::Status(401, r#"{"detail":"bad token"}"#.into()),
    )
    .await;
    let ingester = fast(&mock, 5).build().unwrap();
    ingester.send(event(0, None)).await.unwrap();
    let report = within(20, ingester.shutdown()).await.unwrap();
    assert_eq!(report.failed.len(), 1);
    assert_eq!(report.failed[0].kind, FailureKind::Refused);
    assert_eq!(report.failed[0].status, Some(401));
    assert_eq!((report.stats.requests, report.stats.retried), (1, 0));
}

#[tokio::test]
async fn failures_go_to_the_callback_and_free_the_buffer() {
    let mock = Mock::start(vec![], Reply::Invalid(vec![0])).await;
    let received: Arc<Mutex<Vec<FailedEvents>>> = Arc::default();
    let sink = Arc::clone(&received);
    let ingester = fast(&mock, 5)
        .batch_size(1)
        .buffer_limit(3)
        .on_failure(move |failed| sink.lock().unwrap().push(failed))
        .build()
        .unwrap();
    // Ten events through a buffer of three: only possible if failures free their room.
    for i in 0..10 {
        within(10, ingester.send(event(i, None))).await.unwrap();
    }
    let report = within(20, ingester.shutdown()).await.unwrap();
    assert!(report.failed.is_empty());
    assert_eq!(received.lock().unwrap().len(), 10);
    assert_eq!((report.stats.failed, report.stats.buffered), (10, 0));
    assert!(ingester.take_failed().is_empty());
}

#[tokio::test]
async fn flush_delivers_what_was_sent_before_it() {
    let mock = Mock::start(vec![], Reply::Ok).await;
    // A long interval and a large batch: only the flush sends.
    let ingester = fast(&mock, 5)
        .batch_size(1000)
        .flush_interval(Duration::from_secs(3600))
        .build()
        .unwrap();
    for i in 0..7 {
        ingester.send(event(i, None)).await.unwrap();
    }
    let stats = within(20, ingester.flush()).await.unwrap();
    assert_eq!((stats.sent, stats.buffered, stats.requests), (7, 0, 1));
    assert_eq!(mock.seen(|seen| seen.stored.len()), 7);
    ingester.shutdown().await.unwrap();
    let closed = ingester.send(event(8, None)).await.unwrap_err();
    assert!(matches!(closed, polar::ingest::SendError::Closed(_)));
    assert!(ingester.flush().await.is_err());
}

#[tokio::test]
async fn the_interval_sends_a_partial_batch() {
    let mock = Mock::start(vec![], Reply::Ok).await;
    let ingester = fast(&mock, 5).batch_size(1000).build().unwrap();
    ingester.send(event(0, None)).await.unwrap();
    within(10, async {
        while mock.seen(|seen| seen.stored.len()) < 1 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
    assert_eq!(ingester.stats().sent, 1);
}

#[test]
fn usable_from_sync_code() {
    fn shareable<T: Clone + Send + Sync + 'static>() {}
    shareable::<Ingester>();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let mock = runtime.block_on(Mock::start(vec![Reply::ServerError], Reply::Ok));
    let ingester = Ingester::builder(mock.client())
        .runtime(runtime.handle().clone())
        .retry_policy(RetryPolicy::new().initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap();
    for i in 0..25 {
        ingester.try_send(event(i, None)).unwrap();
    }
    let stats = ingester.flush_blocking().unwrap();
    assert_eq!((stats.sent, stats.retried), (25, 25));
    let report = ingester.shutdown_blocking().unwrap();
    assert_eq!(report.stats.sent, 25);
    assert_eq!(mock.seen(|seen| seen.stored.len()), 25);
}

#[test]
fn building_outside_a_runtime_is_an_error() {
    let client = polar::Client::builder().access_token("x").build().unwrap();
    let err = Ingester::builder(client).build().unwrap_err();
    assert!(err.to_string().contains("Tokio runtime"), "{err}");
    let client = polar::Client::builder().access_token("x").build().unwrap();
    let err = Ingester::builder(client).batch_size(0).build().unwrap_err();
    assert!(err.to_string().contains("batch size"), "{err}");
}

#[tokio::test]
async fn a_panicking_failure_callback_keeps_its_events_and_the_ingester_running() {
    let mock = Mock::start(vec![Reply::Invalid(vec![0])], Reply::Ok).await;
    let ingester = fast(&mock, 5)
        .batch_size(1)
        .on_failure(|_| panic!("a bug in the application's callback"))
        .build()
        .unwrap();
    ingester.send(event(0, Some("bad".into()))).await.unwrap();
    ingester.flush().await.unwrap();
    // The task survived: later events are still delivered.
    ingester.send(event(1, Some("good".into()))).await.unwrap();
    let report = within(20, ingester.shutdown()).await.unwrap();
    let failed: Vec<_> = report.failed.iter().flat_map(|f| &f.events).collect();
    assert_eq!(
        failed.len(),
        1,
        "the callback's events come back in the report"
    );
    assert_eq!(external_id(failed[0]), Some("bad"));
    assert!(mock.seen(|seen| seen.stored.contains_key("good")));
}

/// The background task is gone (its runtime shut down while a handle lives on, the way a
/// panic would end it): `send` fails with a typed error instead of queueing for nobody,
/// and a flush does not wait for ever.
#[test]
fn send_fails_once_the_background_task_is_gone() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let mock = runtime.block_on(Mock::start(vec![], Reply::Hold));
    let ingester = runtime.block_on(async { fast(&mock, 5).build() }).unwrap();
    ingester.try_send(event(0, None)).unwrap();
    runtime.shutdown_timeout(Duration::from_secs(1));
    let err = ingester.try_send(event(1, None)).unwrap_err();
    assert!(matches!(err, SendError::Stopped(_)), "{err:?}");
    assert!(err.to_string().contains("stopped unexpectedly"), "{err}");
    let other = tokio::runtime::Runtime::new().unwrap();
    let err = other
        .block_on(async { ingester.send(event(2, None)).await })
        .unwrap_err();
    assert!(matches!(err, SendError::Stopped(_)), "{err:?}");
    let flush = other.block_on(async { within(5, ingester.flush()).await });
    assert!(matches!(flush, Err(IngestError::Stopped)), "{flush:?}");
}

#[tokio::test]
async fn an_unattributed_rejection_of_everything_costs_a_bounded_number_of_requests() {
    let mock = Mock::start(
        vec![],
        Reply::Status(422, r#"{"detail":"Invalid payload"}"#.to_owned()),
    )
    .await;
    let ingester = fast(&mock, 5).batch_size(200).build().unwrap();
    for i in 0..200 {
        ingester.send(event(i, None)).await.unwrap();
    }
    let report = within(20, ingester.shutdown()).await.unwrap();
    let failed: usize = report.failed.iter().map(|f| f.events.len()).sum();
    assert_eq!(failed, 200, "every event comes back");
    assert!(report.failed.iter().all(|f| f.kind == FailureKind::Invalid));
    // Halving all the way down would take 2 * 200 - 1 = 399 requests.
    let requests = mock.seen(|seen| seen.requests);
    assert!(requests <= 25, "{requests} requests");
    assert!(
        report
            .failed
            .iter()
            .any(|f| f.message.contains("gave up singling them out")),
        "{:?}",
        report.failed
    );
}

#[tokio::test]
async fn retry_after_on_a_503_is_honoured() {
    let started = Instant::now();
    let (_, stats) = deliver_all(vec![Reply::Unavailable(1)], 10).await;
    assert_eq!(stats.retried, 10);
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
}

/// A token provider that fails once (a refresh hitting a network error), then works.
struct FlakyToken(std::sync::atomic::AtomicU32);

impl polar::client::AccessTokenProvider for FlakyToken {
    fn access_token(&self) -> polar::client::AccessTokenFuture<'_> {
        let calls = self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Box::pin(async move {
            if calls == 0 {
                Err("token endpoint unreachable".into())
            } else {
                Ok("polar_oat_test".to_owned())
            }
        })
    }
}

#[tokio::test]
async fn a_transient_credential_error_is_retried() {
    let mock = Mock::start(vec![], Reply::Ok).await;
    let client = polar::Client::builder()
        .base_url(mock.url())
        .access_token_provider(FlakyToken(Default::default()))
        .max_retries(0)
        .build()
        .unwrap();
    let ingester = Ingester::builder(client)
        .flush_interval(Duration::from_millis(10))
        .retry_policy(RetryPolicy::new().initial_backoff(Duration::from_millis(2)))
        .build()
        .unwrap();
    ingester.send(event(0, Some("e0".into()))).await.unwrap();
    let report = within(20, ingester.shutdown()).await.unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert!(mock.seen(|seen| seen.stored.contains_key("e0")));
}

#[tokio::test]
async fn shutdown_with_a_deadline_returns_when_it_runs_out() {
    let mock = Mock::start(vec![], Reply::Hold).await;
    let ingester = fast(&mock, 5).build().unwrap();
    for i in 0..5 {
        ingester.send(event(i, None)).await.unwrap();
    }
    let started = Instant::now();
    let err = ingester
        .shutdown_timeout(Duration::from_millis(200))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        matches!(err, IngestError::ShutdownTimedOut { buffered: 5 }),
        "{err:?}"
    );
    mock.release();
}
