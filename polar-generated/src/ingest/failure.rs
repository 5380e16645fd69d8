//! What the ingester hands back: rejected sends, failed events, and its own errors.

use std::fmt;
use std::path::PathBuf;

use super::event::IngestEvent;

/// `send` or `try_send` did not take the event; it is handed back, never dropped.
#[derive(Debug)]
pub enum SendError {
    /// The buffer holds `buffer_limit` events (policy [`super::WhenFull::Reject`], or
    /// `try_send`). Try again later, or handle the event yourself.
    Full(IngestEvent),
    /// The ingester was shut down.
    Closed(IngestEvent),
    /// The ingester's background task stopped unexpectedly (a bug, reported as such):
    /// nothing would send the event.
    Stopped(IngestEvent),
}

impl SendError {
    /// The event that was not taken.
    pub fn into_event(self) -> IngestEvent {
        match self {
            SendError::Full(event) | SendError::Closed(event) | SendError::Stopped(event) => event,
        }
    }
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendError::Full(_) => f.write_str("the ingester's buffer is full; event not taken"),
            SendError::Closed(_) => f.write_str("the ingester is shut down; event not taken"),
            SendError::Stopped(_) => {
                f.write_str("the ingester's background task stopped unexpectedly; event not taken")
            }
        }
    }
}

impl std::error::Error for SendError {}

/// Why events were given up on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FailureKind {
    /// Polar rejected these events themselves (400, 413 or 422 naming them): sending them
    /// again would fail the same way, so they were not retried.
    Invalid,
    /// The request was refused for a reason that is not the events' fault and that a retry
    /// does not fix (401, 403, 404, a missing token…): check the client's configuration.
    Refused,
    /// Retryable failures (429, 5xx, timeouts, dropped connections) went on for longer
    /// than the retry policy allows.
    RetriesExhausted,
}

/// Events the ingester gave up on, with the reason: returned to the caller (the
/// `on_failure` callback, [`super::Ingester::take_failed`], or the shutdown report),
/// never only logged.
#[derive(Debug, Clone)]
pub struct FailedEvents {
    /// The events, with the `external_id` they were sent with (re-sending them later is
    /// safe: Polar de-duplicates on it).
    pub events: Vec<IngestEvent>,
    /// Why they failed.
    pub kind: FailureKind,
    /// HTTP status of the last answer, if there was one.
    pub status: Option<u16>,
    /// The last error, readable (for 422: Polar's message about these events).
    pub message: String,
}

impl fmt::Display for FailedEvents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} event(s) failed ({:?}", self.events.len(), self.kind)?;
        if let Some(status) = self.status {
            write!(f, ", HTTP {status}")?;
        }
        write!(f, "): {}", self.message)
    }
}

/// The ingester could not be built, or is no longer running.
#[derive(Debug)]
#[non_exhaustive]
pub enum IngestError {
    /// A setting is out of range (e.g. a batch size of 0).
    Config {
        /// What was wrong.
        message: String,
    },
    /// `build` was called outside a Tokio runtime and no runtime handle was given.
    NoRuntime,
    /// The spool file could not be opened, read or written.
    Spool {
        /// The spool file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The ingester was shut down.
    Closed,
    /// The ingester's background task stopped unexpectedly, so the request cannot be
    /// answered. Spooled events are sent by the next ingester on the spool.
    Stopped,
    /// Another ingester, in this process or another, has this spool open: two writers
    /// would destroy each other's records.
    SpoolInUse {
        /// The spool file.
        path: PathBuf,
    },
    /// [`super::Ingester::shutdown_timeout`] ran out of time with events not yet delivered
    /// or reported. They are still being sent, and with a spool they are kept in it.
    ShutdownTimedOut {
        /// Events still buffered when the time ran out.
        buffered: u64,
    },
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IngestError::Config { message } => write!(f, "invalid ingester setting: {message}"),
            IngestError::NoRuntime => f.write_str(
                "the ingester needs a Tokio runtime: build it inside one or pass \
                 IngesterBuilder::runtime(handle)",
            ),
            IngestError::Spool { path, source } => {
                write!(f, "spool file {}: {source}", path.display())
            }
            IngestError::Closed => f.write_str("the ingester is shut down"),
            IngestError::Stopped => {
                f.write_str("the ingester's background task stopped unexpectedly")
            }
            IngestError::SpoolInUse { path } => write!(
                f,
                "spool file {} is in use by another ingester (one ingester per spool file)",
                path.display()
            ),
            IngestError::ShutdownTimedOut { buffered } => write!(
                f,
                "shutdown timed out with {buffered} event(s) not yet delivered or reported"
            ),
        }
    }
}

impl std::error::Error for IngestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            IngestError::Spool { source, .. } => Some(source),
            _ => None,
        }
    }
}
