//! Backpressure against a stalled server: the buffer never holds more than its limit, and
//! the chosen policy applies (the event handed back, or the sender waiting).

mod ingest_support;

use std::time::Duration;

use ingest_support::{event, within, Mock, Reply};
use polar::ingest::{external_id, Ingester, SendError, WhenFull};

async fn stalled(limit: usize, when_full: WhenFull) -> (Mock, Ingester) {
    let mock = Mock::start(vec![], Reply::Hold).await;
    let ingester = Ingester::builder(mock.client())
        .batch_size(10)
        .buffer_limit(limit)
        .flush_interval(Duration::from_millis(10))
        .when_full(when_full)
        .build()
        .unwrap();
    (mock, ingester)
}

#[tokio::test]
async fn reject_hands_the_event_back_when_full() {
    let (mock, ingester) = stalled(50, WhenFull::Reject).await;
    for i in 0..50 {
        ingester.send(event(i, None)).await.unwrap();
    }
    for i in 50..60 {
        let err = ingester
            .send(event(i, Some(format!("e{i}"))))
            .await
            .unwrap_err();
        assert!(matches!(err, SendError::Full(_)), "{err}");
        assert_eq!(
            external_id(&err.into_event()),
            Some(format!("e{i}").as_str())
        );
    }
    let stats = ingester.stats();
    assert_eq!((stats.accepted, stats.buffered), (50, 50));

    mock.release();
    let stats = within(20, ingester.flush()).await.unwrap();
    assert_eq!((stats.sent, stats.buffered), (50, 0));
    ingester.send(event(60, None)).await.unwrap();
    let report = within(20, ingester.shutdown()).await.unwrap();
    assert_eq!(report.stats.sent, 51);
    assert_eq!(mock.seen(|seen| seen.stored.len()), 51);
}

#[tokio::test]
async fn wait_makes_the_sender_wait_for_room() {
    let (mock, ingester) = stalled(20, WhenFull::Wait).await;
    for i in 0..20 {
        ingester.send(event(i, None)).await.unwrap();
    }
    let waiting = tokio::spawn({
        let ingester = ingester.clone();
        async move { ingester.send(event(20, None)).await }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        !waiting.is_finished(),
        "the 21st send waits while the server is stalled"
    );
    assert!(matches!(
        ingester.try_send(event(21, None)),
        Err(SendError::Full(_))
    ));
    assert_eq!(ingester.stats().buffered, 20);

    mock.release();
    within(20, waiting).await.unwrap().unwrap();
    let report = within(20, ingester.shutdown()).await.unwrap();
    assert_eq!((report.stats.sent, report.stats.accepted), (21, 21));
    assert_eq!(mock.seen(|seen| seen.stored.len()), 21);
}

#[tokio::test]
async fn a_flood_against_a_stalled_server_stays_within_the_limit() {
    let (mock, ingester) = stalled(1000, WhenFull::Reject).await;
    let mut rejected = 0;
    for i in 0..100_000 {
        match ingester.try_send(event(i, None)) {
            Ok(()) => {}
            Err(SendError::Full(_)) => rejected += 1,
            Err(other) => panic!("{other}"),
        }
    }
    let stats = ingester.stats();
    assert_eq!(
        (stats.accepted, stats.buffered, rejected),
        (1000, 1000, 99_000)
    );
    // One batch is held by the stalled server; nothing was sent and nothing dropped.
    assert_eq!(mock.seen(|seen| seen.stored.len()), 0);
    mock.release();
    let report = within(20, ingester.shutdown()).await.unwrap();
    assert_eq!((report.stats.sent, report.stats.buffered), (1000, 0));
}
