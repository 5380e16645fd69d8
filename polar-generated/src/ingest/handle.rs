//! The [`Ingester`] handle and the state its clones share with the background task.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::Semaphore;

use super::builder::{FailureCallback, IngesterBuilder, WhenFull};
use super::event::{prepare, IngestEvent};
use super::failure::{FailedEvents, IngestError, SendError};
use super::queue::Queue;
use super::spool::SpoolRecovery;
use super::stats::{Counter, Counters, Stats};
use super::worker::{Command, Reply};
use crate::Client;

/// A batching sender of usage events for `POST /v1/events/ingest`; see the
/// [module documentation](super) for what it guarantees and its defaults.
///
/// Cheap to clone: clones share one buffer and one background task. `Send + Sync`.
#[derive(Clone)]
pub struct Ingester {
    pub(crate) shared: Arc<Shared>,
    pub(crate) link: Arc<Link>,
}

/// The handles' side of the command channel, kept out of `Shared`: when the last handle
/// is dropped the channel closes, the task is woken, sends what is left and stops.
pub(crate) struct Link {
    pub(crate) commands: UnboundedSender<Command>,
    pub(crate) shared: Arc<Shared>,
}

impl Drop for Link {
    fn drop(&mut self) {
        // Close the channel before waking the task, so that it finds it closed.
        let (closed, _) = tokio::sync::mpsc::unbounded_channel();
        drop(std::mem::replace(&mut self.commands, closed));
        self.shared.queue.wake();
    }
}

/// What every handle and the background task share.
pub(crate) struct Shared {
    pub(crate) queue: Queue,
    /// One permit per event the buffer can still take.
    pub(crate) permits: Semaphore,
    pub(crate) buffer_limit: usize,
    /// Events held beyond the limit (recovered from a spool larger than the buffer): paid
    /// back before permits are returned.
    pub(crate) over_limit: AtomicU64,
    pub(crate) when_full: WhenFull,
    pub(crate) counters: Counters,
    pub(crate) on_failure: Option<FailureCallback>,
    /// Failed events kept for `take_failed` (no callback, or it panicked), with their
    /// sequence numbers in the spool.
    pub(crate) failed: Mutex<Vec<(Vec<u64>, FailedEvents)>>,
    /// The background task ended after a shutdown or after the last handle went away.
    pub(crate) finished: AtomicBool,
    /// The background task ended without finishing (a panic).
    pub(crate) gone: AtomicBool,
    pub(crate) recovery: Option<SpoolRecovery>,
    pub(crate) spool_error: Mutex<Option<String>>,
}

/// What [`Ingester::shutdown`] returns.
#[derive(Debug)]
#[non_exhaustive]
pub struct ShutdownReport {
    /// The counters once everything was sent or failed (`buffered` is 0).
    pub stats: Stats,
    /// Failed events not already handed to the `on_failure` callback or taken with
    /// [`Ingester::take_failed`].
    pub failed: Vec<FailedEvents>,
}

impl Ingester {
    /// Starts configuring an ingester that sends through `client` (which needs an access
    /// token with the `events:write` scope).
    pub fn builder(client: Client) -> IngesterBuilder {
        IngesterBuilder::new(client)
    }

    /// Queues an event. Gives it a UUID v7 `external_id` and the current `timestamp` if it
    /// has none. Returns at once
    /// while the buffer has room; when it is full, waits for room
    /// ([`WhenFull::Wait`], the default) or hands the event back as
    /// [`SendError::Full`] ([`WhenFull::Reject`]).
    pub async fn send(&self, event: impl Into<IngestEvent>) -> Result<(), SendError> {
        let shared = &*self.shared;
        let event = event.into();
        match shared.when_full {
            WhenFull::Reject => return self.try_send(event),
            WhenFull::Wait => match shared.permits.acquire().await {
                Ok(permit) => permit.forget(),
                Err(_closed) => return Err(shared.refused(event)),
            },
        }
        self.enqueue(event)
    }

    /// Queues an event without ever waiting, from async or sync code: when the buffer is
    /// full the event is handed back as [`SendError::Full`], whatever the policy.
    pub fn try_send(&self, event: impl Into<IngestEvent>) -> Result<(), SendError> {
        let event = event.into();
        match self.shared.permits.try_acquire() {
            Ok(permit) => permit.forget(),
            Err(tokio::sync::TryAcquireError::NoPermits) => return Err(SendError::Full(event)),
            Err(tokio::sync::TryAcquireError::Closed) => return Err(self.shared.refused(event)),
        }
        self.enqueue(event)
    }

    /// Holds a permit: hands the event to the worker.
    fn enqueue(&self, mut event: IngestEvent) -> Result<(), SendError> {
        prepare(&mut event);
        match self.shared.queue.push(event) {
            Ok(()) => {
                self.shared.counters.add(Counter::Accepted, 1);
                Ok(())
            }
            Err(event) => {
                self.shared.release(1);
                Err(self.shared.refused(event))
            }
        }
    }

    /// Sends everything queued before this call, and returns once it is delivered or
    /// reported failed. The counters are returned for convenience.
    pub async fn flush(&self) -> Result<Stats, IngestError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.command(Command::Flush(Reply::Async(tx)))?;
        rx.await.map_err(|_| self.shared.ended())?;
        Ok(self.stats())
    }

    /// [`Ingester::flush`] for sync code. Blocks the thread: never call it on a thread of
    /// the runtime the ingester runs on.
    pub fn flush_blocking(&self) -> Result<Stats, IngestError> {
        let (tx, rx) = std::sync::mpsc::channel();
        self.command(Command::Flush(Reply::Blocking(tx)))?;
        rx.recv().map_err(|_| self.shared.ended())?;
        Ok(self.stats())
    }

    /// Stops taking events, sends everything buffered, and returns once the buffer is
    /// empty: every event was delivered or is reported failed. Later sends are rejected
    /// with [`SendError::Closed`]. With a spool, call it before the process exits
    /// normally; without one, events still buffered at exit are lost.
    pub async fn shutdown(&self) -> Result<ShutdownReport, IngestError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.shared.permits.close();
        self.command(Command::Shutdown(Reply::Async(tx)))?;
        rx.await.map_err(|_| self.shared.ended())?;
        Ok(self.report())
    }

    /// [`Ingester::shutdown`] for sync code. Blocks the thread: never call it on a thread
    /// of the runtime the ingester runs on.
    pub fn shutdown_blocking(&self) -> Result<ShutdownReport, IngestError> {
        let (tx, rx) = std::sync::mpsc::channel();
        self.shared.permits.close();
        self.command(Command::Shutdown(Reply::Blocking(tx)))?;
        rx.recv().map_err(|_| self.shared.ended())?;
        Ok(self.report())
    }

    /// [`Ingester::shutdown`] with a deadline, for the grace period of a deploy: past
    /// `limit` it returns [`IngestError::ShutdownTimedOut`] with the number of events still
    /// buffered. Those keep being sent while the process lives, and with a spool they are
    /// kept for the next process.
    pub async fn shutdown_timeout(&self, limit: Duration) -> Result<ShutdownReport, IngestError> {
        match tokio::time::timeout(limit, self.shutdown()).await {
            Ok(report) => report,
            Err(_elapsed) => Err(IngestError::ShutdownTimedOut {
                buffered: self.stats().buffered,
            }),
        }
    }

    fn command(&self, command: Command) -> Result<(), IngestError> {
        self.link
            .commands
            .send(command)
            .map_err(|_| self.shared.ended())?;
        self.shared.queue.wake();
        Ok(())
    }

    fn report(&self) -> ShutdownReport {
        let failed = self.take_failed();
        ShutdownReport {
            stats: self.stats(),
            failed,
        }
    }

    /// The counters now.
    pub fn stats(&self) -> Stats {
        let untaken = lock(&self.shared.failed)
            .iter()
            .map(|(_, f)| f.events.len() as u64)
            .sum();
        self.shared.counters.snapshot(untaken)
    }

    /// Failed events kept since the last call (when no `on_failure` callback is set, or
    /// it panicked). They count against the buffer limit until taken, so that failures
    /// cannot pile up unseen, and with a spool they stay in it until taken, so that a crash
    /// before then does not lose them.
    pub fn take_failed(&self) -> Vec<FailedEvents> {
        let taken = std::mem::take(&mut *lock(&self.shared.failed));
        let seqs: Vec<u64> = taken
            .iter()
            .flat_map(|(seqs, _)| seqs.iter().copied())
            .collect();
        self.shared
            .release(taken.iter().map(|(_, failed)| failed.events.len()).sum());
        if !seqs.is_empty() {
            // After shutdown the task has already let them go; nothing to tell it then.
            let _ = self.command(Command::Taken(seqs));
        }
        taken.into_iter().map(|(_, failed)| failed).collect()
    }

    /// What was found in the spool at start, if a spool is configured.
    pub fn spool_recovery(&self) -> Option<&SpoolRecovery> {
        self.shared.recovery.as_ref()
    }

    /// The last error writing the spool, if any. Events keep being sent from memory, but
    /// those not yet delivered would not survive a crash.
    pub fn spool_error(&self) -> Option<String> {
        lock(&self.shared.spool_error).clone()
    }
}

impl std::fmt::Debug for Ingester {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ingester")
            .field("stats", &self.stats())
            .field("buffer_limit", &self.shared.buffer_limit)
            .field("when_full", &self.shared.when_full)
            .finish_non_exhaustive()
    }
}

impl Shared {
    /// `n` events left the buffer.
    pub(crate) fn release(&self, n: usize) {
        let n = n as u64;
        let over = self
            .over_limit
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |over| {
                Some(over - over.min(n))
            })
            .unwrap_or_else(|over| over);
        self.permits.add_permits((n - over.min(n)) as usize);
    }

    pub(crate) fn count_failed(&self, events: usize) {
        self.counters.add(Counter::Failed, events as u64);
    }

    pub(crate) fn keep_failed(&self, seqs: Vec<u64>, failed: FailedEvents) {
        lock(&self.failed).push((seqs, failed));
    }

    /// The background task is ending after doing everything asked of it.
    pub(crate) fn finished(&self) {
        self.finished.store(true, Ordering::Release);
    }

    /// The background task is gone: refuse new events rather than queue them for nobody.
    pub(crate) fn worker_gone(&self) {
        if !self.finished.load(Ordering::Acquire) {
            self.gone.store(true, Ordering::Release);
        }
        self.permits.close();
        self.release(self.queue.close_and_take().len());
        // Wakes every waiter; later sends see the closed queue.
        self.queue.wake();
    }

    /// The error for an event that can no longer be taken.
    fn refused(&self, event: IngestEvent) -> SendError {
        if self.gone.load(Ordering::Acquire) {
            SendError::Stopped(event)
        } else {
            SendError::Closed(event)
        }
    }

    fn ended(&self) -> IngestError {
        if self.gone.load(Ordering::Acquire) {
            IngestError::Stopped
        } else {
            IngestError::Closed
        }
    }

    pub(crate) fn spool_error(&self, path: &Path, err: std::io::Error) {
        *lock(&self.spool_error) = Some(format!("spool file {}: {err}", path.display()));
    }
}

/// A poisoned lock only means a callback panicked elsewhere; the data is still valid.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
