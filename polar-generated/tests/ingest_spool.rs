//! Kill and restart with a spool: events buffered when the process dies (the runtime is
//! dropped mid-retry, no shutdown) are delivered by the next ingester opened on the same
//! file, even after the file's last record was cut short.

mod ingest_support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use ingest_support::{event, within, Mock, Reply};
use polar::ingest::{Ingester, SpoolSync};
use polar::RetryPolicy;

fn temp_spool(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("polar-ingest-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("usage.spool")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn ids(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|i| format!("e{i}")).collect()
}

/// Runs an ingester on `path` against a server that always fails, until the server has
/// seen all `n` events (so all are spooled), then drops the runtime: a crash.
fn crash_with_events(path: &Path, n: usize) {
    let runtime = runtime();
    runtime.block_on(async {
        let mock = Mock::start(vec![], Reply::ServerError).await;
        let ingester = Ingester::builder(mock.client())
            .spool_with_sync(path, SpoolSync::PerBatch)
            .flush_interval(Duration::from_millis(20))
            .retry_policy(
                RetryPolicy::new()
                    .max_retries(u32::MAX)
                    .initial_backoff(Duration::from_millis(5))
                    .max_backoff(Duration::from_millis(20)),
            )
            .build()
            .unwrap();
        for i in 0..n {
            ingester
                .send(event(i, Some(format!("e{i}"))))
                .await
                .unwrap();
        }
        within(10, async {
            while mock.seen(|seen| seen.on_wire.len()) < n {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
        .await;
        // No shutdown: the handle goes, and the task (retrying forever) dies with the
        // runtime below.
        drop(ingester);
    });
    runtime.shutdown_background();
}

#[test]
fn events_spooled_before_a_crash_are_delivered_after_restart() {
    let path = temp_spool("crash");
    crash_with_events(&path, 40);

    // The crash also cut the last record (event e39) short.
    let len = std::fs::metadata(&path).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(len - 3)
        .unwrap();

    let runtime = runtime();
    runtime.block_on(async {
        let mock = Mock::start(vec![], Reply::Ok).await;
        // A buffer smaller than what was recovered: the recovered events still go out.
        let ingester = Ingester::builder(mock.client())
            .spool(&path)
            .batch_size(10)
            .buffer_limit(10)
            .build()
            .unwrap();
        let recovery = ingester.spool_recovery().unwrap().clone();
        assert_eq!(recovery.pending, 39);
        assert_eq!(recovery.corrupt_records, 0);
        assert!(recovery.truncated_bytes > 0);
        assert_eq!(recovery.problems.len(), 1, "{:?}", recovery.problems);
        assert!(
            recovery.problems[0].contains("cut short"),
            "{:?}",
            recovery.problems
        );

        let report = within(20, ingester.shutdown()).await.unwrap();
        assert!(report.failed.is_empty());
        let stats = report.stats;
        assert_eq!((stats.recovered, stats.sent, stats.buffered), (39, 39, 0));
        let mut stored: Vec<String> = mock.seen(|seen| seen.stored.keys().cloned().collect());
        stored.sort_by_key(|id| id[1..].parse::<usize>().unwrap());
        assert_eq!(stored, ids(0..39));
    });

    // Everything was acknowledged: a third start has nothing to send.
    runtime.block_on(async {
        let mock = Mock::start(vec![], Reply::Ok).await;
        let ingester = Ingester::builder(mock.client())
            .spool(&path)
            .build()
            .unwrap();
        let recovery = ingester.spool_recovery().unwrap();
        assert_eq!(recovery.pending, 0);
        assert!(recovery.problems.is_empty(), "{:?}", recovery.problems);
        ingester.shutdown().await.unwrap();
        assert_eq!(mock.seen(|seen| seen.requests), 0);
    });
}

#[tokio::test]
async fn dropping_every_handle_still_delivers_what_is_buffered() {
    let path = temp_spool("drop");
    let mock = Mock::start(vec![], Reply::Ok).await;
    let ingester = Ingester::builder(mock.client())
        .spool(&path)
        .batch_size(1000)
        .flush_interval(Duration::from_secs(3600))
        .build()
        .unwrap();
    for i in 0..15 {
        ingester.send(event(i, None)).await.unwrap();
    }
    drop(ingester);
    within(10, async {
        while mock.seen(|seen| seen.stored.len()) < 15 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
}

#[tokio::test]
async fn a_file_that_is_not_a_spool_is_refused() {
    let path = temp_spool("foreign");
    std::fs::write(&path, "important notes").unwrap();
    let mock = Mock::start(vec![], Reply::Ok).await;
    let err = Ingester::builder(mock.client())
        .spool(&path)
        .build()
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("not a spool file") && text.contains("usage.spool"),
        "{text}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "important notes");
}
