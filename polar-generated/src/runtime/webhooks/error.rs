//! The one error type of webhook handling, and the HTTP answer each case calls for.

use std::fmt;

use crate::runtime::json::DecodeError;

/// Why a webhook delivery was rejected.
///
/// Each variant belongs to one of three groups, and [`status_code`](Self::status_code)
/// gives the HTTP status a handler should answer with:
///
/// | group | variants | status |
/// |---|---|---|
/// | configuration | [`InvalidSecret`](Self::InvalidSecret) | 500 |
/// | verification ([`is_verification_error`](Self::is_verification_error)) | [`MissingHeader`](Self::MissingHeader), [`InvalidHeader`](Self::InvalidHeader), [`TimestampTooOld`](Self::TimestampTooOld), [`TimestampTooNew`](Self::TimestampTooNew), [`NoMatchingSignature`](Self::NoMatchingSignature) | 403 |
/// | payload ([`is_payload_error`](Self::is_payload_error)) | [`InvalidPayload`](Self::InvalidPayload) | 400 |
///
/// An event type this crate does not know is *not* an error: it is parsed as
/// [`WebhookEvent::Unknown`](crate::WebhookEvent::Unknown), and a handler should accept it
/// (log it and answer `202 Accepted`) so that Polar does not retry it.
///
/// No variant holds the secret, so neither `Display` nor `Debug` can print it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// The webhook secret given to [`Webhook::new`](super::Webhook::new) cannot be used.
    InvalidSecret {
        /// What is wrong with it (never the secret itself).
        reason: &'static str,
    },
    /// A required `webhook-*` header is absent or empty.
    MissingHeader {
        /// The header's name, e.g. `webhook-signature`.
        header: &'static str,
    },
    /// A `webhook-*` header is present but unreadable (e.g. a non-numeric timestamp).
    InvalidHeader {
        /// The header's name, e.g. `webhook-timestamp`.
        header: &'static str,
        /// What is wrong with its value.
        reason: &'static str,
    },
    /// `webhook-timestamp` is further in the past than the tolerance allows.
    TimestampTooOld {
        /// The timestamp sent, in Unix seconds.
        timestamp: i64,
        /// The time it was checked against, in Unix seconds.
        now: i64,
    },
    /// `webhook-timestamp` is further in the future than the tolerance allows.
    TimestampTooNew {
        /// The timestamp sent, in Unix seconds.
        timestamp: i64,
        /// The time it was checked against, in Unix seconds.
        now: i64,
    },
    /// No `v1` entry of `webhook-signature` matches the body with this secret.
    NoMatchingSignature,
    /// The signature is valid but the body is not a well-formed event payload.
    InvalidPayload(DecodeError),
}

impl WebhookError {
    /// The HTTP status a webhook handler should answer with: 403 for a delivery that
    /// failed verification, 400 for a bad payload, 500 for an unusable secret.
    pub fn status_code(&self) -> u16 {
        match self {
            Self::InvalidSecret { .. } => 500,
            Self::MissingHeader { .. }
            | Self::InvalidHeader { .. }
            | Self::TimestampTooOld { .. }
            | Self::TimestampTooNew { .. }
            | Self::NoMatchingSignature => 403,
            Self::InvalidPayload(_) => 400,
        }
    }

    /// [`status_code`](Self::status_code) as an [`http::StatusCode`].
    pub fn http_status(&self) -> http::StatusCode {
        match self.status_code() {
            400 => http::StatusCode::BAD_REQUEST,
            403 => http::StatusCode::FORBIDDEN,
            _ => http::StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// `true` if the delivery could not be shown to come from Polar (headers, timestamp
    /// or signature); such a body must not be trusted or parsed.
    pub fn is_verification_error(&self) -> bool {
        self.status_code() == 403
    }

    /// `true` if the delivery was verified but its body is not a valid event payload.
    pub fn is_payload_error(&self) -> bool {
        matches!(self, Self::InvalidPayload(_))
    }
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidSecret { reason } => write!(f, "invalid webhook secret: {reason}"),
            Self::MissingHeader { header } => write!(f, "missing webhook header `{header}`"),
            Self::InvalidHeader { header, reason } => {
                write!(f, "invalid webhook header `{header}`: {reason}")
            }
            Self::TimestampTooOld { timestamp, now } => write!(
                f,
                "webhook timestamp {timestamp} is too old ({} s before {now})",
                now.saturating_sub(*timestamp)
            ),
            Self::TimestampTooNew { timestamp, now } => write!(
                f,
                "webhook timestamp {timestamp} is too new ({} s after {now})",
                timestamp.saturating_sub(*now)
            ),
            Self::NoMatchingSignature => f.write_str("no webhook signature matches the body"),
            Self::InvalidPayload(err) => write!(f, "invalid webhook payload {err}"),
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::InvalidPayload(err) => Some(err),
            _ => None,
        }
    }
}

impl From<DecodeError> for WebhookError {
    fn from(err: DecodeError) -> Self {
        Self::InvalidPayload(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_codes_follow_the_groups() {
        let payload = WebhookError::InvalidPayload(DecodeError {
            path: "data.status".into(),
            message: "invalid type".into(),
        });
        assert_eq!(payload.status_code(), 400);
        assert_eq!(payload.http_status(), http::StatusCode::BAD_REQUEST);
        assert!(payload.is_payload_error() && !payload.is_verification_error());
        assert_eq!(
            payload.to_string(),
            "invalid webhook payload at `data.status`: invalid type"
        );

        for err in [
            WebhookError::MissingHeader {
                header: "webhook-id",
            },
            WebhookError::InvalidHeader {
                header: "webhook-timestamp",
                reason: "not a number",
            },
            WebhookError::TimestampTooOld {
                timestamp: 1,
                now: 400,
            },
            WebhookError::TimestampTooNew {
                timestamp: 400,
                now: 1,
            },
            WebhookError::NoMatchingSignature,
        ] {
            assert_eq!(err.status_code(), 403, "{err}");
            assert_eq!(err.http_status(), http::StatusCode::FORBIDDEN);
            assert!(err.is_verification_error() && !err.is_payload_error());
        }
        let secret = WebhookError::InvalidSecret { reason: "empty" };
        assert_eq!(
            secret.http_status(),
            http::StatusCode::INTERNAL_SERVER_ERROR
        );
        assert!(!secret.is_verification_error() && !secret.is_payload_error());
    }

    #[test]
    fn timestamp_messages_say_how_far_off() {
        let old = WebhookError::TimestampTooOld {
            timestamp: 100,
            now: 500,
        };
        assert_eq!(
            old.to_string(),
            "webhook timestamp 100 is too old (400 s before 500)"
        );
        let new = WebhookError::TimestampTooNew {
            timestamp: 900,
            now: 500,
        };
        assert_eq!(
            new.to_string(),
            "webhook timestamp 900 is too new (400 s after 500)"
        );
    }
}
