//! The crate's error type: one enum for every way an API call can fail.
//!
//! This module has no HTTP dependency (it is also compiled for the webhooks-only build),
//! so transport errors are kept as boxed `std::error::Error`s.

use std::fmt;
use std::time::Duration;

use crate::bindings::ApiErrorBody;

/// Longest part of a raw response body that `Display` prints.
const DISPLAY_BODY_LIMIT: usize = 300;

/// Any failure of an API call.
///
/// Secrets never appear in `Debug` or `Display`: tokens are not stored in errors, `Debug`
/// shows a raw body only by its length, and `Display` quotes a body only for error statuses
/// (never a successful response, which may carry tokens). [`Error::raw_body`] gives the body.
#[non_exhaustive]
pub enum Error {
    /// The server answered with a non-success status other than a final 429.
    Api {
        /// The spec's operationId.
        operation_id: &'static str,
        /// HTTP status code.
        status: u16,
        /// The body decoded with the operation's error schema for this status; `None` when
        /// the status is not declared by the spec or the body did not match its schema.
        /// Boxed so that `Result<T, Error>` stays small whatever the size of the generated
        /// error schemas; [`Error::api_body`] borrows it.
        body: Option<Box<ApiErrorBody>>,
        /// The body as received (lossy UTF-8).
        raw: String,
        /// How many retries were performed before giving up.
        retries: u32,
        /// The environment the client targets (`"production"` or `"sandbox"`), `None` for a
        /// custom base URL. Used to hint at a token from the other environment on 401.
        environment: Option<&'static str>,
        /// The `Polar-Version` the server echoed on the response, if any.
        answered_version: Option<String>,
        /// The server's `Retry-After` (a 503 during maintenance sends one), if any.
        retry_after: Option<Duration>,
    },
    /// The server answered 404 in a way that shows the `Polar-Version` sent is retired or
    /// unknown, so it must not be read as "this resource does not exist": it echoed another
    /// version, or it answered an operation that declares its own "not found" body with the
    /// router's bare `{"detail":"Not Found"}` (how Polar answers every request made with a
    /// retired version). Any other 404 is [`Error::Api`] with status 404. Check the client's
    /// `api_version` (see [`Error::is_version_unsupported`]).
    UnsupportedApiVersion {
        /// The spec's operationId.
        operation_id: &'static str,
        /// The `Polar-Version` this request was sent with.
        sent_version: String,
        /// The `Polar-Version` the server echoed on the response, if any.
        answered_version: Option<String>,
        /// The body as received (lossy UTF-8).
        raw: String,
    },
    /// The server answered 429 Too Many Requests and retries ran out (or the requested
    /// wait was longer than the retry policy allows).
    RateLimited {
        /// The spec's operationId.
        operation_id: &'static str,
        /// The server's `Retry-After`, if it sent one.
        retry_after: Option<Duration>,
        /// How many retries were performed before giving up.
        retries: u32,
        /// The body as received (lossy UTF-8).
        raw: String,
    },
    /// An attempt did not finish within its timeout, and retries ran out.
    Timeout {
        /// The spec's operationId.
        operation_id: &'static str,
        /// How many retries were performed before giving up.
        retries: u32,
    },
    /// The connection failed (refused, reset, closed early, TLS failure…) and retries ran out.
    Network {
        /// The spec's operationId.
        operation_id: &'static str,
        /// The transport error.
        source: Box<dyn std::error::Error + Send + Sync>,
        /// How many retries were performed before giving up.
        retries: u32,
    },
    /// A successful response's body did not decode into the operation's type.
    Decode {
        /// The spec's operationId, when known.
        operation_id: Option<&'static str>,
        /// HTTP status code of the response.
        status: u16,
        /// JSON path of the offending value, e.g. `items[0].amount` (`.` for the root).
        path: String,
        /// What went wrong.
        message: String,
        /// The body as received (lossy UTF-8).
        raw: String,
    },
    /// A successful response had a content type the operation does not produce.
    UnexpectedContentType {
        /// The spec's operationId.
        operation_id: &'static str,
        /// The content type the operation declares, e.g. `application/json`.
        expected: &'static str,
        /// The `Content-Type` the server sent, if any.
        got: Option<String>,
        /// HTTP status code of the response.
        status: u16,
        /// The body as received (lossy UTF-8).
        raw: String,
    },
    /// The operation needs a credential the client was not given. Nothing was sent.
    MissingCredential {
        /// The spec's operationId.
        operation_id: &'static str,
        /// Which credential: `"access token"`, `"customer session token"` or
        /// `"customer session or member session token"`.
        needed: &'static str,
    },
    /// The request could not be encoded (body serialization, invalid header). Nothing was sent.
    InvalidRequest {
        /// The spec's operationId, when known.
        operation_id: Option<&'static str>,
        /// What was wrong.
        message: String,
    },
    /// The client's access-token provider (`ClientBuilder::access_token_provider`, e.g. an
    /// OAuth2 token source) could not supply a token, so nothing was sent.
    Credential {
        /// The spec's operationId.
        operation_id: &'static str,
        /// The provider's error (downcast it to the provider's own error type).
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The response body is larger than the client's limit
    /// (`ClientBuilder::max_response_size`); it was not read, and the call is not retried.
    ResponseTooLarge {
        /// The spec's operationId.
        operation_id: &'static str,
        /// HTTP status code of the response.
        status: u16,
        /// The limit, in bytes.
        limit: u64,
        /// The size the server declared in `Content-Length`, if it did.
        declared: Option<u64>,
    },
    /// A list had more items than the cap given to `Paginator::collect_all`. Nothing is
    /// returned and no further page is fetched: raise the cap, narrow the filters, or walk
    /// the list with `Paginator::next` instead of collecting it.
    TooManyItems {
        /// The spec's operationId of the list operation.
        operation_id: &'static str,
        /// The cap that was passed to `collect_all`.
        max_items: usize,
    },
    /// The client could not be built from its configuration.
    Config {
        /// What was wrong.
        message: String,
    },
}

impl Error {
    /// The HTTP status of the response that caused the error, if there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. }
            | Error::Decode { status, .. }
            | Error::UnexpectedContentType { status, .. }
            | Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::RateLimited { .. } => Some(429),
            Error::UnsupportedApiVersion { .. } => Some(404),
            _ => None,
        }
    }

    /// Whether the server answered as Polar does for a retired (or unknown) API version:
    /// a 404 whose body is not the operation's declared "not found" body. The resource may
    /// well exist; do not treat it as deleted.
    pub fn is_version_unsupported(&self) -> bool {
        matches!(self, Error::UnsupportedApiVersion { .. })
    }

    /// The `Polar-Version` the server echoed on the failed response, for logging which API
    /// version answered.
    pub fn answered_api_version(&self) -> Option<&str> {
        match self {
            Error::Api {
                answered_version, ..
            }
            | Error::UnsupportedApiVersion {
                answered_version, ..
            } => answered_version.as_deref(),
            _ => None,
        }
    }

    /// Whether trying the same call again later may succeed (rate limits, gateway errors,
    /// timeouts and connection failures).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::RateLimited { .. } | Error::Timeout { .. } | Error::Network { .. } => true,
            Error::Api { status, .. } => matches!(status, 502..=504),
            _ => false,
        }
    }

    /// The decoded error body of an [`Error::Api`], if it matched the spec's schema.
    pub fn api_body(&self) -> Option<&ApiErrorBody> {
        match self {
            Error::Api { body, .. } => body.as_deref(),
            _ => None,
        }
    }

    /// How long the server asked to wait before trying again (`Retry-After` on a 429, or
    /// on another status such as 503), if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api { retry_after, .. } | Error::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// How many retries were performed before the error was returned (0 for errors that
    /// are never retried).
    pub fn retries(&self) -> u32 {
        match self {
            Error::Api { retries, .. }
            | Error::RateLimited { retries, .. }
            | Error::Timeout { retries, .. }
            | Error::Network { retries, .. } => *retries,
            _ => 0,
        }
    }

    /// The raw response body, for errors that carry one.
    pub fn raw_body(&self) -> Option<&str> {
        match self {
            Error::Api { raw, .. }
            | Error::UnsupportedApiVersion { raw, .. }
            | Error::RateLimited { raw, .. }
            | Error::Decode { raw, .. }
            | Error::UnexpectedContentType { raw, .. } => Some(raw),
            _ => None,
        }
    }

    /// The operationId of the failed call, when known.
    pub fn operation_id(&self) -> Option<&'static str> {
        match self {
            Error::Api { operation_id, .. }
            | Error::UnsupportedApiVersion { operation_id, .. }
            | Error::RateLimited { operation_id, .. }
            | Error::Timeout { operation_id, .. }
            | Error::Network { operation_id, .. }
            | Error::UnexpectedContentType { operation_id, .. }
            | Error::MissingCredential { operation_id, .. }
            | Error::ResponseTooLarge { operation_id, .. }
            | Error::TooManyItems { operation_id, .. }
            | Error::Credential { operation_id, .. } => Some(operation_id),
            Error::Decode { operation_id, .. } | Error::InvalidRequest { operation_id, .. } => {
                *operation_id
            }
            Error::Config { .. } => None,
        }
    }
}

/// A raw body in `Debug`: its length only, since a successful body may hold tokens.
struct RawLen<'a>(&'a str);

impl fmt::Debug for RawLen<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0.len())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api {
                operation_id,
                status,
                body,
                raw,
                retries,
                environment,
                answered_version,
                retry_after,
            } => f
                .debug_struct("Api")
                .field("operation_id", operation_id)
                .field("status", status)
                .field("body", body)
                .field("raw", &RawLen(raw))
                .field("retries", retries)
                .field("environment", environment)
                .field("answered_version", answered_version)
                .field("retry_after", retry_after)
                .finish(),
            Error::UnsupportedApiVersion {
                operation_id,
                sent_version,
                answered_version,
                raw,
            } => f
                .debug_struct("UnsupportedApiVersion")
                .field("operation_id", operation_id)
                .field("sent_version", sent_version)
                .field("answered_version", answered_version)
                .field("raw", &RawLen(raw))
                .finish(),
            Error::RateLimited {
                operation_id,
                retry_after,
                retries,
                raw,
            } => f
                .debug_struct("RateLimited")
                .field("operation_id", operation_id)
                .field("retry_after", retry_after)
                .field("retries", retries)
                .field("raw", &RawLen(raw))
                .finish(),
            Error::Timeout {
                operation_id,
                retries,
            } => f
                .debug_struct("Timeout")
                .field("operation_id", operation_id)
                .field("retries", retries)
                .finish(),
            Error::Network {
                operation_id,
                source,
                retries,
            } => f
                .debug_struct("Network")
                .field("operation_id", operation_id)
                .field("source", source)
                .field("retries", retries)
                .finish(),
            Error::Decode {
                operation_id,
                status,
                path,
                message,
                raw,
            } => f
                .debug_struct("Decode")
                .field("operation_id", operation_id)
                .field("status", status)
                .field("path", path)
                .field("message", message)
                .field("raw", &RawLen(raw))
                .finish(),
            Error::UnexpectedContentType {
                operation_id,
                expected,
                got,
                status,
                raw,
            } => f
                .debug_struct("UnexpectedContentType")
                .field("operation_id", operation_id)
                .field("expected", expected)
                .field("got", got)
                .field("status", status)
                .field("raw", &RawLen(raw))
                .finish(),
            Error::MissingCredential {
                operation_id,
                needed,
            } => f
                .debug_struct("MissingCredential")
                .field("operation_id", operation_id)
                .field("needed", needed)
                .finish(),
            Error::InvalidRequest {
                operation_id,
                message,
            } => f
                .debug_struct("InvalidRequest")
                .field("operation_id", operation_id)
                .field("message", message)
                .finish(),
            Error::Credential {
                operation_id,
                source,
            } => f
                .debug_struct("Credential")
                .field("operation_id", operation_id)
                .field("source", source)
                .finish(),
            Error::ResponseTooLarge {
                operation_id,
                status,
                limit,
                declared,
            } => f
                .debug_struct("ResponseTooLarge")
                .field("operation_id", operation_id)
                .field("status", status)
                .field("limit", limit)
                .field("declared", declared)
                .finish(),
            Error::TooManyItems {
                operation_id,
                max_items,
            } => f
                .debug_struct("TooManyItems")
                .field("operation_id", operation_id)
                .field("max_items", max_items)
                .finish(),
            Error::Config { message } => {
                f.debug_struct("Config").field("message", message).finish()
            }
        }
    }
}

/// ` after N retries`, or nothing.
struct Retries(u32);

impl fmt::Display for Retries {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            0 => Ok(()),
            1 => f.write_str(" after 1 retry"),
            n => write!(f, " after {n} retries"),
        }
    }
}

/// `: <body>` shortened to [`DISPLAY_BODY_LIMIT`] characters, or nothing for an empty body.
struct Snippet<'a>(&'a str);

impl fmt::Display for Snippet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = self.0.trim();
        if body.is_empty() {
            return Ok(());
        }
        match body.char_indices().nth(DISPLAY_BODY_LIMIT) {
            Some((cut, _)) => write!(f, ": {}…", &body[..cut]),
            None => write!(f, ": {body}"),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api {
                operation_id,
                status: 401,
                raw,
                retries,
                environment,
                ..
            } => {
                write!(f, "{operation_id}: 401 Unauthorized{}", Retries(*retries))?;
                match environment {
                    Some(env) => write!(
                        f,
                        " — the token may be invalid, expired or belong to the other \
                         environment (this client uses {env})"
                    )?,
                    None => f.write_str(" — the token may be invalid or expired")?,
                }
                write!(f, "{}", Snippet(raw))
            }
            Error::Api {
                operation_id,
                status: 404,
                raw,
                retries,
                ..
            } => write!(
                f,
                "{operation_id}: the API answered HTTP 404 Not Found{} (if every call answers \
                 404, check the client's api_version){}",
                Retries(*retries),
                Snippet(raw)
            ),
            Error::Api {
                operation_id,
                status,
                raw,
                retries,
                ..
            } => write!(
                f,
                "{operation_id}: the API answered HTTP {status}{}{}",
                Retries(*retries),
                Snippet(raw)
            ),
            Error::UnsupportedApiVersion {
                operation_id,
                sent_version,
                answered_version,
                raw,
            } => {
                write!(
                    f,
                    "{operation_id}: HTTP 404 without the operation's \"not found\" body: the \
                     API version sent (Polar-Version: {sent_version}) may be retired or \
                     unknown, so this does not mean the resource is missing"
                )?;
                if let Some(answered) = answered_version {
                    write!(f, " (the server answered with Polar-Version: {answered})")?;
                }
                write!(f, "{}", Snippet(raw))
            }
            Error::RateLimited {
                operation_id,
                retry_after,
                retries,
                ..
            } => {
                write!(
                    f,
                    "{operation_id}: rate limited (HTTP 429){}",
                    Retries(*retries)
                )?;
                if let Some(wait) = retry_after {
                    write!(f, "; the server asks to retry after {} s", wait.as_secs())?;
                }
                Ok(())
            }
            Error::Timeout {
                operation_id,
                retries,
            } => write!(
                f,
                "{operation_id}: the request timed out{}",
                Retries(*retries)
            ),
            Error::Network {
                operation_id,
                source,
                retries,
            } => write!(
                f,
                "{operation_id}: network error{}: {source}",
                Retries(*retries)
            ),
            Error::Decode {
                operation_id,
                status,
                path,
                message,
                ..
            } => {
                if let Some(op) = operation_id {
                    write!(f, "{op}: ")?;
                }
                write!(f, "could not decode the HTTP {status} response")?;
                if path != "." {
                    write!(f, " at `{path}`")?;
                }
                write!(f, ": {message}")
            }
            Error::UnexpectedContentType {
                operation_id,
                expected,
                got,
                status,
                ..
            } => write!(
                f,
                "{operation_id}: expected a {expected} response, got HTTP {status} with content \
                 type {}",
                got.as_deref().unwrap_or("(none)")
            ),
            Error::MissingCredential {
                operation_id,
                needed,
            } => write!(
                f,
                "{operation_id} needs a {needed}, but the client has none; set it on the \
                 ClientBuilder"
            ),
            Error::InvalidRequest {
                operation_id,
                message,
            } => {
                if let Some(op) = operation_id {
                    write!(f, "{op}: ")?;
                }
                write!(f, "invalid request: {message}")
            }
            Error::Credential {
                operation_id,
                source,
            } => write!(
                f,
                "{operation_id}: the access-token provider failed: {source}"
            ),
            Error::ResponseTooLarge {
                operation_id,
                status,
                limit,
                declared,
            } => {
                write!(f, "{operation_id}: the HTTP {status} response body ")?;
                if let Some(size) = declared {
                    write!(f, "({size} bytes) ")?;
                }
                write!(
                    f,
                    "is larger than the client's limit of {limit} bytes \
                     (ClientBuilder::max_response_size)"
                )
            }
            Error::TooManyItems {
                operation_id,
                max_items,
            } => write!(
                f,
                "{operation_id}: the list has more than {max_items} items, the cap given to \
                 collect_all; raise it, narrow the filters or walk the pages with next()"
            ),
            Error::Config { message } => write!(f, "invalid client configuration: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Network { source, .. } | Error::Credential { source, .. } => {
                Some(source.as_ref())
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, environment: Option<&'static str>) -> Error {
        Error::Api {
            operation_id: "customers:get",
            status,
            body: None,
            raw: r#"{"detail":"nope"}"#.into(),
            retries: 0,
            environment,
            answered_version: None,
            retry_after: None,
        }
    }

    #[test]
    fn debug_and_display_never_print_a_successful_body() {
        let secret = r#"{"access_token":"polar_at_u_SECRET","refresh_token":"polar_rt_u_SECRET"}"#;
        let errors = [
            Error::Decode {
                operation_id: Some("oauth2:request_token"),
                status: 200,
                path: "expires_in".into(),
                message: "missing field `expires_in`".into(),
                raw: secret.into(),
            },
            Error::UnexpectedContentType {
                operation_id: "oauth2:request_token",
                expected: "application/json",
                got: Some("text/plain".into()),
                status: 200,
                raw: secret.into(),
            },
        ];
        for err in errors {
            let debug = format!("{err:?}");
            assert!(!debug.contains("SECRET"), "{debug}");
            assert!(
                debug.contains(&format!("<{} bytes>", secret.len())),
                "{debug}"
            );
            assert!(!err.to_string().contains("SECRET"), "{err}");
            assert_eq!(err.raw_body(), Some(secret));
        }
        assert!(!format!("{:?}", api(500, None)).contains("nope"));
    }

    #[test]
    fn unauthorized_hints_at_the_environment() {
        let text = api(401, Some("sandbox")).to_string();
        assert!(text.contains("401 Unauthorized"), "{text}");
        assert!(text.contains("this client uses sandbox"), "{text}");
        let custom = api(401, None).to_string();
        assert!(!custom.contains("other environment"), "{custom}");
    }

    #[test]
    fn display_counts_retries_and_shortens_bodies() {
        let err = Error::Api {
            operation_id: "x",
            status: 502,
            body: None,
            raw: "y".repeat(1000),
            retries: 2,
            environment: None,
            answered_version: Some("2026-10".into()),
            retry_after: None,
        };
        let text = err.to_string();
        assert!(text.contains("HTTP 502 after 2 retries"), "{text}");
        assert!(text.len() < 400, "{text}");
        assert!(err.is_retryable());
        assert_eq!(err.status(), Some(502));
        assert_eq!(err.retries(), 2);
        assert_eq!(err.answered_api_version(), Some("2026-10"));
        assert!(!err.is_version_unsupported());
    }

    #[test]
    fn retired_version_is_not_reported_as_not_found() {
        let err = Error::UnsupportedApiVersion {
            operation_id: "license_keys:get",
            sent_version: "2026-04".into(),
            answered_version: None,
            raw: r#"{"detail":"Not Found"}"#.into(),
        };
        assert!(err.is_version_unsupported());
        assert_eq!(err.status(), Some(404));
        let text = err.to_string();
        assert!(text.contains("Polar-Version: 2026-04"), "{text}");
        assert!(text.contains("may be retired"), "{text}");
        assert!(!err.is_retryable());
    }

    #[test]
    fn error_stays_small() {
        // `Result<T, Error>` is returned by every call; keep it cheap to move.
        assert!(
            std::mem::size_of::<Error>() <= 112,
            "{}",
            std::mem::size_of::<Error>()
        );
    }

    #[test]
    fn helpers_classify_errors() {
        assert!(!api(404, None).is_retryable());
        let limited = Error::RateLimited {
            operation_id: "x",
            retry_after: Some(Duration::from_secs(3)),
            retries: 1,
            raw: String::new(),
        };
        assert!(limited.is_retryable());
        assert_eq!(limited.status(), Some(429));
        assert!(limited.to_string().contains("after 3 s"));
        let missing = Error::MissingCredential {
            operation_id: "x",
            needed: "access token",
        };
        assert_eq!(missing.status(), None);
        assert!(missing.api_body().is_none());
    }
}
