//! Retry policy and per-call overrides.

use std::fmt;
use std::time::Duration;

/// How failed attempts are retried.
///
/// Only failures that are safe to repeat are retried: HTTP 429, 502, 503 and 504,
/// timeouts and connection errors, for idempotent methods (GET, HEAD, PUT, DELETE).
/// POST and PATCH are retried only when the caller opts in
/// ([`crate::ClientBuilder::retry_non_idempotent`] or
/// [`RequestOptions::retry_non_idempotent`]).
///
/// The wait before retry *n* (counting from 0) is `initial_backoff * 2^n`, capped at
/// `max_backoff`, with jitter that keeps it between half of that and all of it. A
/// `Retry-After` header on 429 or 503 replaces the computed wait; if it asks for more than
/// `max_retry_after`, the call fails at once with the server's wait in the error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retries). Default 2.
    pub max_retries: u32,
    /// Wait before the first retry, before jitter. Default 500 ms.
    pub initial_backoff: Duration,
    /// Longest computed wait between attempts. Default 8 s.
    pub max_backoff: Duration,
    /// Longest `Retry-After` the client waits for by itself. Default 60 s.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The default policy (2 retries, 500 ms initial backoff, 8 s maximum backoff).
    pub fn new() -> Self {
        Self::default()
    }

    /// A policy that never retries.
    pub fn none() -> Self {
        Self::default().max_retries(0)
    }

    /// Sets the number of retries after the first attempt.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// Sets the wait before the first retry (before jitter).
    pub fn initial_backoff(mut self, initial_backoff: Duration) -> Self {
        self.initial_backoff = initial_backoff;
        self
    }

    /// Sets the longest computed wait between attempts.
    pub fn max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    /// Sets the longest `Retry-After` the client waits for by itself.
    pub fn max_retry_after(mut self, max_retry_after: Duration) -> Self {
        self.max_retry_after = max_retry_after;
        self
    }
}

/// Per-call overrides of the client's settings, passed to an operation's builder with
/// `.options(...)`.
///
/// ```
/// use std::time::Duration;
/// use polar::RequestOptions;
///
/// let options = RequestOptions::new()
///     .timeout(Duration::from_secs(5))
///     .max_retries(0)
///     .header("x-request-id", "abc");
/// # let _ = options;
/// ```
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) retry_non_idempotent: Option<bool>,
    pub(crate) headers: Vec<(String, String)>,
}

impl RequestOptions {
    /// No overrides: the client's settings apply.
    pub fn new() -> Self {
        Self::default()
    }

    /// Total time allowed for each attempt (sending, waiting and reading the body).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Replaces the client's retry policy for this call.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Overrides only the number of retries of the retry policy in force.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// Allows (or forbids) retrying this call even if it is a POST or PATCH. Only opt in
    /// when repeating the request is harmless.
    pub fn retry_non_idempotent(mut self, allow: bool) -> Self {
        self.retry_non_idempotent = Some(allow);
        self
    }

    /// Adds a header to this call; it replaces a client default header of the same name.
    /// Invalid names or values make the call fail with [`crate::Error::InvalidRequest`].
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// Header values are left out: they may hold credentials.
impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("max_retries", &self.max_retries)
            .field("retry_non_idempotent", &self.retry_non_idempotent)
            .field("headers", &redacted_headers(&self.headers))
            .finish()
    }
}

/// Header names with their values masked, for `Debug` output (values may hold credentials).
pub(crate) fn redacted_headers(headers: &[(String, String)]) -> Vec<(&str, &str)> {
    headers
        .iter()
        .map(|(name, _)| (name.as_str(), "***"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_header_values() {
        let options = RequestOptions::new().header("authorization", "Bearer secret");
        let text = format!("{options:?}");
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("authorization"), "{text}");
    }
}
