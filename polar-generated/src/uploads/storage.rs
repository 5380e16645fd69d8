//! PUTs one part to its presigned storage URL, retrying transient failures.

use std::time::Duration;

use bytes::Bytes;
use chrono::Utc;

use crate::models::S3FileUploadPart;
use crate::runtime::client::reqwest;
use crate::RetryPolicy;

use super::UploadError;

/// Longest storage answer quoted in an error.
const QUOTED_BODY: usize = 300;

/// What one attempt came to.
enum Attempt {
    Stored(String),
    /// Worth another attempt (network error, timeout, 5xx, 429, 408).
    Transient(Option<u16>, String),
    Fatal(Option<u16>, String),
    Expired,
}

/// Stores `body` as `part`; returns the ETag the storage answered.
pub(crate) async fn put_part(
    http: &reqwest::Client,
    part: &S3FileUploadPart,
    number: u32,
    body: Bytes,
    policy: &RetryPolicy,
    timeout: Duration,
) -> Result<String, UploadError> {
    let mut attempts = 0;
    loop {
        if part.expires_at <= Utc::now() {
            return Err(UploadError::UrlExpired {
                part: number,
                expires_at: part.expires_at,
            });
        }
        attempts += 1;
        let (status, message) = match attempt(http, part, body.clone(), timeout).await {
            Attempt::Stored(etag) => return Ok(etag),
            Attempt::Expired => {
                return Err(UploadError::UrlExpired {
                    part: number,
                    expires_at: part.expires_at,
                })
            }
            Attempt::Fatal(status, message) => {
                return Err(UploadError::PartFailed {
                    part: number,
                    attempts,
                    status,
                    message,
                })
            }
            Attempt::Transient(status, message) => (status, message),
        };
        if attempts > policy.max_retries {
            return Err(UploadError::PartFailed {
                part: number,
                attempts,
                status,
                message,
            });
        }
        tokio::time::sleep(crate::runtime::retry::backoff(policy, attempts - 1)).await;
    }
}

async fn attempt(
    http: &reqwest::Client,
    part: &S3FileUploadPart,
    body: Bytes,
    timeout: Duration,
) -> Attempt {
    let mut request = http.put(&part.url).timeout(timeout).body(body);
    for (name, value) in part.headers.iter().flatten() {
        request = request.header(name.as_str(), value.as_str());
    }
    let response = match request.send().await {
        Ok(response) => response,
        // The presigned URL carries its signature: never let it reach an error message.
        Err(err) if err.is_builder() => return Attempt::Fatal(None, err.without_url().to_string()),
        Err(err) => return Attempt::Transient(None, err.without_url().to_string()),
    };
    let status = response.status().as_u16();
    if response.status().is_success() {
        let etag = response
            .headers()
            .get(reqwest::header::ETAG)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        return match etag {
            Some(etag) if !etag.is_empty() => Attempt::Stored(etag),
            _ => Attempt::Fatal(Some(status), "the storage answered without an ETag".into()),
        };
    }
    let text = response.text().await.unwrap_or_default();
    // S3 answers an expired presigned URL with 403 and `Request has expired`.
    if status == 403 && text.contains("expired") {
        return Attempt::Expired;
    }
    let quoted: String = text.trim().chars().take(QUOTED_BODY).collect();
    let message = if quoted.is_empty() {
        format!("the storage answered HTTP {status}")
    } else {
        format!("the storage answered HTTP {status}: {quoted}")
    };
    if matches!(status, 408 | 429) || status >= 500 {
        Attempt::Transient(Some(status), message)
    } else {
        Attempt::Fatal(Some(status), message)
    }
}
