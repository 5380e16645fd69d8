//! Configuration of an [`Ingester`], with the defaults and why they were chosen.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Semaphore;

use super::deliver::Sender;
use super::failure::{FailedEvents, IngestError};
use super::handle::{Ingester, Link, Shared};
use super::queue::Queue;
use super::spool::{OpenError, Spool, SpoolSync};
use super::stats::{Counter, Counters};
use super::worker::Worker;
use crate::{Client, RetryPolicy};

/// Default events per request: one request carries up to 500 events (about 100 to 200 KB
/// of JSON), so 1,000 events/s cost 2 requests/s.
pub const DEFAULT_BATCH_SIZE: usize = 500;
/// Default longest time an event waits for its batch to fill.
pub const DEFAULT_FLUSH_INTERVAL: Duration = Duration::from_secs(1);
/// Default most events held in memory at once (queued, in flight, or failed and not yet
/// taken): 20 batches, a few MB.
pub const DEFAULT_BUFFER_LIMIT: usize = 10_000;
/// Default time allowed for one batch request.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Default `fsync` interval of [`SpoolSync::Interval`] when a spool is set with
/// [`IngesterBuilder::spool`].
pub const DEFAULT_SPOOL_SYNC: SpoolSync = SpoolSync::Interval(Duration::from_millis(200));

/// The default retry policy of batches: 10 retries, backoff from 500 ms doubling up to
/// 30 s with jitter, `Retry-After` honoured up to 5 minutes: about 4 minutes of retrying
/// (longer if the server asks) before events are reported failed.
pub fn default_retry_policy() -> RetryPolicy {
    RetryPolicy::new()
        .max_retries(10)
        .initial_backoff(Duration::from_millis(500))
        .max_backoff(Duration::from_secs(30))
        .max_retry_after(Duration::from_secs(300))
}

/// What `send` does when the buffer is full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WhenFull {
    /// Wait for room (backpressure on the caller). The default: nothing is lost, and a
    /// caller that cannot wait can use `try_send`.
    #[default]
    Wait,
    /// Hand the event back at once as [`super::SendError::Full`].
    Reject,
}

/// A callback receiving failed events, see [`IngesterBuilder::on_failure`].
pub type FailureCallback = Arc<dyn Fn(FailedEvents) + Send + Sync>;

/// Configures an [`Ingester`]; [`IngesterBuilder::build`] starts it.
pub struct IngesterBuilder {
    client: Client,
    batch_size: usize,
    flush_interval: Duration,
    buffer_limit: usize,
    when_full: WhenFull,
    retry: RetryPolicy,
    request_timeout: Duration,
    spool: Option<(PathBuf, SpoolSync)>,
    on_failure: Option<FailureCallback>,
    runtime: Option<tokio::runtime::Handle>,
}

impl std::fmt::Debug for IngesterBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IngesterBuilder")
            .field("batch_size", &self.batch_size)
            .field("flush_interval", &self.flush_interval)
            .field("buffer_limit", &self.buffer_limit)
            .field("when_full", &self.when_full)
            .field("retry", &self.retry)
            .field("request_timeout", &self.request_timeout)
            .field("spool", &self.spool)
            .field("on_failure", &self.on_failure.is_some())
            .finish_non_exhaustive()
    }
}

impl IngesterBuilder {
    /// The defaults: [`DEFAULT_BATCH_SIZE`], [`DEFAULT_FLUSH_INTERVAL`],
    /// [`DEFAULT_BUFFER_LIMIT`], [`WhenFull::Wait`], [`default_retry_policy`],
    /// [`DEFAULT_REQUEST_TIMEOUT`], no spool, failed events kept for
    /// [`Ingester::take_failed`].
    pub fn new(client: Client) -> Self {
        IngesterBuilder {
            client,
            batch_size: DEFAULT_BATCH_SIZE,
            flush_interval: DEFAULT_FLUSH_INTERVAL,
            buffer_limit: DEFAULT_BUFFER_LIMIT,
            when_full: WhenFull::Wait,
            retry: default_retry_policy(),
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            spool: None,
            on_failure: None,
            runtime: None,
        }
    }

    /// Events per request (at least 1); a full batch is sent at once.
    pub fn batch_size(mut self, events: usize) -> Self {
        self.batch_size = events;
        self
    }

    /// Longest time an event waits for its batch to fill before it is sent anyway.
    pub fn flush_interval(mut self, interval: Duration) -> Self {
        self.flush_interval = interval;
        self
    }

    /// Most events held at once (at least the batch size): accepted and not yet delivered,
    /// or failed and not yet taken.
    pub fn buffer_limit(mut self, events: usize) -> Self {
        self.buffer_limit = events;
        self
    }

    /// What `send` does when the buffer is full.
    pub fn when_full(mut self, policy: WhenFull) -> Self {
        self.when_full = policy;
        self
    }

    /// How batches are retried after 429, 5xx, timeouts and dropped connections
    /// (the client's own retries are not used: the ingester retries whole batches).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Time allowed for one batch request; past it the attempt counts as a timeout and is
    /// retried.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Keeps every event in an append-only file at `path` until it is delivered or handed
    /// back as failed, synced every 200 ms ([`DEFAULT_SPOOL_SYNC`]). Events left there by
    /// an earlier process are sent first. One ingester per file.
    pub fn spool(self, path: impl Into<PathBuf>) -> Self {
        self.spool_with_sync(path, DEFAULT_SPOOL_SYNC)
    }

    /// [`IngesterBuilder::spool`] with a chosen sync policy.
    pub fn spool_with_sync(mut self, path: impl Into<PathBuf>, sync: SpoolSync) -> Self {
        self.spool = Some((path.into(), sync));
        self
    }

    /// Hands failed events to `callback` (called on the ingester's task: keep it short,
    /// e.g. send them to a channel or a dead-letter store) instead of keeping them for
    /// [`Ingester::take_failed`]. With a spool, the events leave it once the callback
    /// returns. A callback that panics does not stop the ingester: those events are kept
    /// for [`Ingester::take_failed`] and the shutdown report instead.
    pub fn on_failure(mut self, callback: impl Fn(FailedEvents) + Send + Sync + 'static) -> Self {
        self.on_failure = Some(Arc::new(callback));
        self
    }

    /// Runs the background task on this runtime (needed when building from sync code);
    /// by default, the runtime `build` is called in.
    pub fn runtime(mut self, handle: tokio::runtime::Handle) -> Self {
        self.runtime = Some(handle);
        self
    }

    /// Checks the settings, opens the spool (sending what it holds first) and starts the
    /// background task.
    pub fn build(self) -> Result<Ingester, IngestError> {
        let config = |message: &str| {
            Err(IngestError::Config {
                message: message.to_owned(),
            })
        };
        if self.batch_size == 0 {
            return config("the batch size must be at least 1");
        }
        if self.buffer_limit < self.batch_size {
            return config("the buffer limit must be at least the batch size");
        }
        if self.buffer_limit > Semaphore::MAX_PERMITS {
            return config("the buffer limit is too large");
        }
        if self.flush_interval.is_zero() || self.request_timeout.is_zero() {
            return config("the flush interval and request timeout must be positive");
        }
        let runtime = match self.runtime {
            Some(handle) => handle,
            None => tokio::runtime::Handle::try_current().map_err(|_| IngestError::NoRuntime)?,
        };
        let (spool, pending, recovery) = match &self.spool {
            None => (None, Vec::new(), None),
            Some((path, sync)) => {
                let (spool, pending, recovery) =
                    Spool::open(path, *sync).map_err(|err| match err {
                        OpenError::InUse => IngestError::SpoolInUse { path: path.clone() },
                        OpenError::Io(source) => IngestError::Spool {
                            path: path.clone(),
                            source,
                        },
                    })?;
                (Some(spool), pending, Some(recovery))
            }
        };
        let recovered = pending.len();
        let held = recovered.min(self.buffer_limit);
        let counters = Counters::default();
        counters.add(Counter::Recovered, recovered as u64);
        let (commands, commands_rx) = tokio::sync::mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            queue: Queue::new(self.batch_size, spool.is_some()),
            permits: Semaphore::new(self.buffer_limit - held),
            buffer_limit: self.buffer_limit,
            over_limit: AtomicU64::new((recovered - held) as u64),
            when_full: self.when_full,
            counters,
            on_failure: self.on_failure,
            failed: Mutex::new(Vec::new()),
            finished: AtomicBool::new(false),
            gone: AtomicBool::new(false),
            recovery,
            spool_error: Mutex::new(None),
        });
        let next_seq = pending.last().map_or(0, |(seq, _)| seq + 1);
        let pending = pending.into();
        let worker = Worker {
            shared: Arc::clone(&shared),
            commands: commands_rx,
            sender: Arc::new(Sender {
                client: self.client,
                retry: self.retry,
                timeout: self.request_timeout,
            }),
            spool,
            batch_size: self.batch_size,
            flush_interval: self.flush_interval,
            pending,
            next_seq,
        };
        runtime.spawn(worker.run());
        let link = Arc::new(Link {
            commands,
            shared: Arc::clone(&shared),
        });
        Ok(Ingester { shared, link })
    }
}
