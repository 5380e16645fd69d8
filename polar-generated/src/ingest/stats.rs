//! Counters readable at any time from any handle.

use std::sync::atomic::{AtomicU64, Ordering};

/// A snapshot of an ingester's counters, in events unless said otherwise.
///
/// Once the ingester is idle (after [`crate::ingest::Ingester::flush`] or
/// [`crate::ingest::Ingester::shutdown`]):
/// `accepted + recovered == sent + failed + buffered`, and `inserted + duplicates == sent`
/// when the server reports both for every batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Stats {
    /// Events accepted by `send`/`try_send`.
    pub accepted: u64,
    /// Events found undelivered in the spool when the ingester was opened.
    pub recovered: u64,
    /// Events in a batch the server accepted (2xx).
    pub sent: u64,
    /// Events Polar reported as newly inserted.
    pub inserted: u64,
    /// Events Polar reported as duplicates of an earlier `external_id` (e.g. a retried batch
    /// whose first response was lost).
    pub duplicates: u64,
    /// Events sent again after a retryable failure (429, 5xx, timeout, dropped connection);
    /// one event retried three times counts 3.
    pub retried: u64,
    /// Events given up on and reported as failed.
    pub failed: u64,
    /// Events accepted (or recovered) and not yet sent or failed: queued or in flight.
    pub buffered: u64,
    /// Failed events kept for `take_failed` (no `on_failure` callback) and not yet taken.
    /// They count against the buffer limit with `buffered`.
    pub failed_untaken: u64,
    /// Batch requests made, retries included.
    pub requests: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    accepted: AtomicU64,
    recovered: AtomicU64,
    sent: AtomicU64,
    inserted: AtomicU64,
    duplicates: AtomicU64,
    retried: AtomicU64,
    failed: AtomicU64,
    requests: AtomicU64,
}

/// Which counter to add to.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Counter {
    Accepted,
    Recovered,
    Sent,
    Inserted,
    Duplicates,
    Retried,
    Failed,
    Requests,
}

impl Counters {
    pub(crate) fn add(&self, counter: Counter, n: u64) {
        let cell = match counter {
            Counter::Accepted => &self.accepted,
            Counter::Recovered => &self.recovered,
            Counter::Sent => &self.sent,
            Counter::Inserted => &self.inserted,
            Counter::Duplicates => &self.duplicates,
            Counter::Retried => &self.retried,
            Counter::Failed => &self.failed,
            Counter::Requests => &self.requests,
        };
        cell.fetch_add(n, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self, failed_untaken: u64) -> Stats {
        let get = |cell: &AtomicU64| cell.load(Ordering::Relaxed);
        // Read the outcomes first: an event is counted accepted before it can be sent, so
        // concurrent updates never make this negative.
        let done = get(&self.sent) + get(&self.failed);
        let buffered = (get(&self.accepted) + get(&self.recovered)).saturating_sub(done);
        Stats {
            failed_untaken,
            accepted: get(&self.accepted),
            recovered: get(&self.recovered),
            sent: get(&self.sent),
            inserted: get(&self.inserted),
            duplicates: get(&self.duplicates),
            retried: get(&self.retried),
            failed: get(&self.failed),
            buffered,
            requests: get(&self.requests),
        }
    }
}
