//! `tracing` instrumentation of [`crate::Client::execute`] (feature `tracing`).
//!
//! One INFO span per call, `polar.request`, with the operation id, HTTP method and path
//! template when it starts, and the final status, attempt count and duration when it ends;
//! retries and rate-limit waits are INFO events inside it. Nothing records a token, a
//! header value, a URL with its query, or a body. Without the feature this module is not
//! compiled and the client has no tracing code at all.

use std::time::{Duration, Instant};

use tracing::field::Empty;
use tracing::Span;

use crate::runtime::request::RequestSpec;

/// The span of one call; its empty fields are filled in by [`CallSpan::finish`].
pub(crate) struct CallSpan {
    span: Span,
    started: Instant,
}

impl CallSpan {
    pub(crate) fn start(spec: &RequestSpec) -> CallSpan {
        let span = tracing::info_span!(
            "polar.request",
            operation_id = spec.operation_id,
            method = spec.method.as_str(),
            path_template = spec.path_template,
            status = Empty,
            attempt = Empty,
            duration_ms = Empty,
        );
        CallSpan {
            span,
            started: Instant::now(),
        }
    }

    /// Records how the call ended: the last status seen (none for a timeout or network
    /// failure), the number of attempts made and the total duration.
    pub(crate) fn finish(&self, status: Option<u16>, attempts: u32) {
        if let Some(status) = status {
            self.span.record("status", status);
        }
        self.span.record("attempt", attempts);
        self.span
            .record("duration_ms", self.started.elapsed().as_millis() as u64);
    }
}

/// Why the client waits before another attempt.
pub(crate) enum WaitReason {
    /// A 429 (or 503) with `Retry-After`: the server asked for the wait.
    RateLimited { status: u16 },
    /// Backoff after a retryable status, a timeout or a connection failure.
    Retry { status: Option<u16> },
}

/// An event, inside the call's span, for a wait before attempt `next_attempt` (1-based).
pub(crate) fn waiting(call: &CallSpan, reason: WaitReason, wait: Duration, next_attempt: u32) {
    let wait_ms = wait.as_millis() as u64;
    let span = &call.span;
    match reason {
        WaitReason::RateLimited { status } => tracing::info!(
            parent: span,
            status,
            wait_ms,
            next_attempt,
            "rate limited: waiting as the server asked before retrying"
        ),
        WaitReason::Retry {
            status: Some(status),
        } => tracing::info!(
            parent: span,
            status,
            wait_ms,
            next_attempt,
            "retrying after HTTP status"
        ),
        WaitReason::Retry { status: None } => tracing::info!(
            parent: span,
            wait_ms,
            next_attempt,
            "retrying after a timeout or connection failure"
        ),
    }
}
