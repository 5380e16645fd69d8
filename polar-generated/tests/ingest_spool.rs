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
    runtime.shutdown_timeout(Duration::from_secs(10));
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

/// The child process of the crash test: an ingester on the given spool against a server
/// that is down, sending events for ever and printing `sent <id>` as each `send` returns.
/// Only run by `a_kill_during_an_outage_loses_no_accepted_event`, which kills it.
#[test]
#[ignore = "run as a child process by the crash test"]
fn crash_child() {
    let (Ok(url), Ok(spool), Ok(prefix)) = (
        std::env::var("CRASH_CHILD_URL"),
        std::env::var("CRASH_CHILD_SPOOL"),
        std::env::var("CRASH_CHILD_PREFIX"),
    ) else {
        panic!("crash_child runs only as the crash test's child process");
    };
    let runtime = runtime();
    runtime.block_on(async {
        let client = polar::Client::builder()
            .base_url(url)
            .access_token("polar_oat_test")
            .max_retries(0)
            .build()
            .unwrap();
        let ingester = Ingester::builder(client)
            .spool_with_sync(&spool, SpoolSync::Interval(SYNC_INTERVAL))
            .batch_size(50)
            .flush_interval(Duration::from_millis(20))
            .retry_policy(
                RetryPolicy::new()
                    .max_retries(u32::MAX)
                    .initial_backoff(Duration::from_millis(20))
                    .max_backoff(Duration::from_millis(200)),
            )
            .build()
            .unwrap();
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        for i in 0.. {
            let id = format!("{prefix}-{i}");
            ingester.send(event(i, Some(id.clone()))).await.unwrap();
            writeln!(out, "sent {id}").unwrap();
            out.flush().unwrap();
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    });
}

const SYNC_INTERVAL: Duration = Duration::from_millis(100);

/// Polar is down (503) while events keep arriving; the process is killed with SIGKILL at
/// seeded points; a new ingester on the same spool, with Polar back, delivers every event
/// whose `send` returned at least one sync interval before the kill, exactly once.
#[cfg(unix)]
#[test]
fn a_kill_during_an_outage_loses_no_accepted_event() {
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    use std::time::Instant;

    let runtime = runtime();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let kills = 5;
    let (mut ok, mut lost, mut duplicated) = (0, 0, 0);
    for round in 0..kills {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        // Kill after 150 to 600 accepted events: several batches stuck in retries.
        let kill_after = 150 + (seed % 450) as usize;
        let path = temp_spool(&format!("crash-{round}"));
        let down = runtime.block_on(Mock::start(vec![], Reply::Unavailable(0)));
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["crash_child", "--exact", "--ignored", "--nocapture"])
            .env("CRASH_CHILD_URL", down.url())
            .env("CRASH_CHILD_SPOOL", &path)
            .env("CRASH_CHILD_PREFIX", format!("r{round}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut accepted: Vec<(Instant, String)> = Vec::new();
        for line in stdout.lines() {
            let line = line.unwrap();
            if let Some(id) = line.strip_prefix("sent ") {
                accepted.push((Instant::now(), id.to_owned()));
                if accepted.len() == kill_after {
                    break;
                }
            }
        }
        assert_eq!(accepted.len(), kill_after, "the child stopped early");
        // Let the last events age past the sync interval, then SIGKILL mid-outage.
        std::thread::sleep(SYNC_INTERVAL + Duration::from_millis(50));
        let killed_at = Instant::now();
        child.kill().unwrap();
        child.wait().unwrap();
        let owed: Vec<&String> = accepted
            .iter()
            .filter(|(at, _)| killed_at.duration_since(*at) >= SYNC_INTERVAL)
            .map(|(_, id)| id)
            .collect();
        assert!(
            down.seen(|seen| seen.stored.is_empty()),
            "nothing is stored while Polar is down"
        );

        let (round_lost, round_duplicated) = runtime.block_on(async {
            let up = Mock::start(vec![], Reply::Ok).await;
            let ingester = Ingester::builder(up.client())
                .spool(&path)
                .flush_interval(Duration::from_millis(20))
                .build()
                .unwrap();
            let report = within(30, ingester.shutdown()).await.unwrap();
            assert!(report.failed.is_empty(), "{:?}", report.failed);
            up.seen(|seen| {
                let lost = owed
                    .iter()
                    .filter(|id| !seen.stored.contains_key(**id))
                    .count();
                let duplicated = seen.on_wire.values().filter(|&&n| n > 1).count();
                (lost, duplicated)
            })
        });
        if round_lost == 0 && round_duplicated == 0 {
            ok += 1;
        }
        lost += round_lost;
        duplicated += round_duplicated;
    }
    println!("ingest crash test: {kills} kills, {ok} ok, {lost} lost, {duplicated} duplicated");
    assert_eq!((ok, lost, duplicated), (kills, 0, 0));
}

#[tokio::test]
async fn a_second_ingester_on_the_same_spool_is_refused() {
    let path = temp_spool("locked");
    let mock = Mock::start(vec![], Reply::Ok).await;
    let first = Ingester::builder(mock.client())
        .spool(&path)
        .build()
        .unwrap();
    let err = Ingester::builder(mock.client())
        .spool(&path)
        .build()
        .unwrap_err();
    assert!(
        matches!(&err, polar::ingest::IngestError::SpoolInUse { path: p } if *p == path),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("in use by another ingester"),
        "{err}"
    );
    first.shutdown().await.unwrap();
    // Shutdown releases the lock before it returns: the file can be opened at once.
    let second = Ingester::builder(mock.client())
        .spool(&path)
        .build()
        .unwrap();
    second.shutdown().await.unwrap();
}

/// Failed events stay in the spool until the application has taken them: a crash before
/// `take_failed` hands them to the next process instead of losing them.
#[test]
fn failed_events_stay_spooled_until_taken() {
    let path = temp_spool("failed-kept");
    let runtime1 = runtime();
    runtime1.block_on(async {
        // The first request names event 1 as invalid; nothing else happens.
        let mock = Mock::start(vec![Reply::Invalid(vec![1])], Reply::Ok).await;
        let ingester = Ingester::builder(mock.client())
            .spool_with_sync(&path, SpoolSync::PerBatch)
            .flush_interval(Duration::from_millis(10))
            .build()
            .unwrap();
        for i in 0..3 {
            ingester
                .send(event(i, Some(format!("e{i}"))))
                .await
                .unwrap();
        }
        ingester.flush().await.unwrap();
        assert_eq!(ingester.stats().failed, 1);
        // Crash before take_failed.
        drop(ingester);
    });
    runtime1.shutdown_timeout(Duration::from_secs(10));

    let runtime2 = runtime();
    runtime2.block_on(async {
        let mock = Mock::start(vec![Reply::Invalid(vec![0])], Reply::Ok).await;
        let ingester = Ingester::builder(mock.client())
            .spool_with_sync(&path, SpoolSync::PerBatch)
            .flush_interval(Duration::from_millis(10))
            .build()
            .unwrap();
        assert_eq!(ingester.spool_recovery().unwrap().pending, 1, "e1 was kept");
        ingester.flush().await.unwrap();
        let failed = ingester.take_failed();
        assert_eq!(failed.len(), 1);
        assert_eq!(polar::ingest::external_id(&failed[0].events[0]), Some("e1"));
        ingester.flush().await.unwrap();
        drop(ingester);
    });
    runtime2.shutdown_timeout(Duration::from_secs(10));

    let runtime3 = runtime();
    runtime3.block_on(async {
        let mock = Mock::start(vec![], Reply::Ok).await;
        let ingester = Ingester::builder(mock.client())
            .spool(&path)
            .build()
            .unwrap();
        assert_eq!(
            ingester.spool_recovery().unwrap().pending,
            0,
            "taken events leave the spool"
        );
        ingester.shutdown().await.unwrap();
    });
}
