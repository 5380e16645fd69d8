//! Usage-based billing: a batching [`Ingester`] for `POST /v1/events/ingest` that does
//! not lose events (feature `ingest`).
//!
//! ```no_run
//! # async fn run(event: polar::ingest::IngestEvent) -> Result<(), Box<dyn std::error::Error>> {
//! use polar::ingest::Ingester;
//!
//! let client = polar::Client::from_env()?; // a token with the `events:write` scope
//! let ingester = Ingester::builder(client)
//!     .spool("usage.spool") // optional: survive a crash or a kill
//!     .build()?;
//! ingester.send(event).await?; // cheap: queued, sent in the background
//! // … at exit:
//! let report = ingester.shutdown().await?;
//! for failed in report.failed {
//!     eprintln!("{failed}"); // e.g. a 422 naming the bad events
//! }
//! # Ok(()) }
//! ```
//!
//! ## What it guarantees
//!
//! - **Batching.** One background task per ingester sends a batch as soon as it holds
//!   [`DEFAULT_BATCH_SIZE`] events, or [`DEFAULT_FLUSH_INTERVAL`] after the oldest one
//!   arrived, one request at a time, through the generated `client.events().ingest()`.
//!   [`Ingester::flush`] and [`Ingester::shutdown`] return once everything queued before
//!   them is delivered or reported failed.
//! - **At least once, never billed twice.** Every event without an `external_id` gets a
//!   UUID v7 before it is queued; Polar de-duplicates on it, so re-sending a batch whose
//!   response was lost counts as `duplicates`, not as new usage. An event without a
//!   `timestamp` is stamped when sent, not when Polar finally receives it.
//! - **Retries** (per batch, [`default_retry_policy`]): 429 (waiting as long as
//!   `Retry-After` says, up to 5 minutes), 408 and 5xx, timeouts
//!   ([`DEFAULT_REQUEST_TIMEOUT`]) and dropped connections, with exponential backoff and
//!   jitter. Not retried: 400, 413 and 422, the events' own fault. When Polar's 422 names
//!   events (`loc: ["body", "events", i, …]`), exactly those fail, with Polar's messages,
//!   and the rest of the batch is sent again; when it names none, the batch is halved
//!   until each bad event is alone, with backoff and within 24 requests per batch (past
//!   them, what is still unresolved fails as a whole). `Retry-After` is honoured on 5xx
//!   as on 429, and a failing token provider is retried. 401, 403, 404 and other 4xx fail the batch at once
//!   ([`FailureKind::Refused`]): a retry would not help.
//! - **Failed events come back**, with their `external_id`, reason and status: to the
//!   [`IngesterBuilder::on_failure`] callback, or kept for [`Ingester::take_failed`] and
//!   the [`ShutdownReport`]. Nothing is only logged.
//! - **Bounded memory, explicit backpressure.** At most [`DEFAULT_BUFFER_LIMIT`] events are
//!   held (queued, in flight, or failed and not yet taken). When full, `send` waits
//!   ([`WhenFull::Wait`]) or returns the event ([`WhenFull::Reject`]); `try_send` never
//!   waits. No event is dropped silently.
//! - **Counters** ([`Stats`]): accepted, recovered, sent, inserted, duplicates, retried,
//!   failed, buffered, requests, readable at any time with [`Ingester::stats`].
//! - **Durability (opt-in spool).** With [`IngesterBuilder::spool`], the background task
//!   appends each event to a file (length + CRC-32 per record) as soon as it takes it from
//!   the queue (normally microseconds after `send`), also while a batch is being sent or
//!   retried: delivery runs apart from the spooling. An event leaves the spool once it is
//!   delivered, or once the application has its failure (the `on_failure` callback
//!   returned, or [`Ingester::take_failed`] or the shutdown report handed it over); a
//!   restarted process sends what is left. `fsync` after each write
//!   ([`SpoolSync::PerBatch`]) or on a timer (default every 200 ms), on the blocking
//!   thread pool. A record cut short by a crash or failing its checksum is skipped and
//!   reported in [`Ingester::spool_recovery`], never a panic; an intact record this build
//!   cannot read (written by another version) is moved to `<spool>.undecodable`, never
//!   deleted. A failed write (full disk) is cut back to the last complete record and
//!   reported by [`Ingester::spool_error`]. The file is compacted when it passes 8 MB,
//!   is readable by its owner only (0600), and is locked (`<spool>.lock`): a second
//!   ingester on the same file fails to build with [`IngestError::SpoolInUse`].
//!   [`Ingester::flush`] waits for delivery and the `fsync`.
//! - **Failures of its own are loud.** A panicking `on_failure` callback does not stop the
//!   ingester (its events are kept for [`Ingester::take_failed`]); if the background task
//!   ever ends without a shutdown, `send` fails with [`SendError::Stopped`].
//! - **Bounded shutdown.** [`Ingester::shutdown_timeout`] gives up waiting after a
//!   deadline (what is left stays in the spool).
//! - **Sync code.** `try_send`, `flush_blocking` and `shutdown_blocking` work from any
//!   thread that is not one of the runtime's own; build with
//!   [`IngesterBuilder::runtime`] outside a runtime.

mod builder;
mod deliver;
mod event;
mod failure;
mod handle;
mod queue;
mod spool;
mod stats;
mod worker;

pub use builder::{
    default_retry_policy, FailureCallback, IngesterBuilder, WhenFull, DEFAULT_BATCH_SIZE,
    DEFAULT_BUFFER_LIMIT, DEFAULT_FLUSH_INTERVAL, DEFAULT_REQUEST_TIMEOUT, DEFAULT_SPOOL_SYNC,
};
pub use event::{external_id, IngestEvent};
pub use failure::{FailedEvents, FailureKind, IngestError, SendError};
pub use handle::{Ingester, ShutdownReport};
pub use spool::{SpoolRecovery, SpoolSync};
pub use stats::Stats;
