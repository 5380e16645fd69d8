//! What can go wrong while uploading a file.

use std::fmt;
use std::path::PathBuf;

use chrono::{DateTime, Utc};

/// An error from [`super::FileUploadBuilder::send`]. Unless it is
/// [`UploadError::Api`] from the final `files:uploaded` call, the file was not marked as
/// uploaded: Polar keeps an incomplete file record that is never served.
#[derive(Debug)]
#[non_exhaustive]
pub enum UploadError {
    /// The source holds a different number of bytes than declared (a reader that ended
    /// early or went on, or a file that changed size while being read).
    SizeMismatch {
        /// The size given (or read from the file's metadata at the start).
        declared: u64,
        /// What the source actually held (a lower bound when it went on).
        actual: u64,
    },
    /// An option or the source is unusable (part size outside S3's limits, missing name,
    /// unknown service…). Nothing was sent.
    InvalidInput(String),
    /// Reading the source failed.
    Io {
        /// The file, for a path source.
        path: Option<PathBuf>,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A part could not be stored after its retries.
    PartFailed {
        /// The part number (1-based).
        part: u32,
        /// Attempts made.
        attempts: u32,
        /// The storage's HTTP status, when it answered.
        status: Option<u16>,
        /// What went wrong (network error, or the start of the storage's answer).
        message: String,
    },
    /// A part's presigned URL expired before it could be used; start the upload again.
    UrlExpired {
        /// The part number (1-based).
        part: u32,
        /// When the URL expired, as Polar announced it.
        expires_at: DateTime<Utc>,
    },
    /// Polar's answer to `files:create` does not describe the parts that were asked for.
    UnexpectedPlan(String),
    /// A Polar API call (`files:create` or `files:uploaded`) failed.
    Api(crate::Error),
}

impl UploadError {
    /// The part the error is about, if any.
    pub fn part(&self) -> Option<u32> {
        match self {
            UploadError::PartFailed { part, .. } | UploadError::UrlExpired { part, .. } => {
                Some(*part)
            }
            _ => None,
        }
    }
}

impl fmt::Display for UploadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UploadError::SizeMismatch { declared, actual } => write!(
                f,
                "the upload source was declared as {declared} bytes but holds {actual}"
            ),
            UploadError::InvalidInput(message) => write!(f, "invalid upload: {message}"),
            UploadError::Io {
                path: Some(path),
                source,
            } => write!(f, "reading {}: {source}", path.display()),
            UploadError::Io { path: None, source } => {
                write!(f, "reading the upload source: {source}")
            }
            UploadError::PartFailed {
                part,
                attempts,
                status,
                message,
            } => {
                write!(f, "part {part} failed after {attempts} attempt")?;
                if *attempts != 1 {
                    f.write_str("s")?;
                }
                if let Some(status) = status {
                    write!(f, " (HTTP {status})")?;
                }
                write!(f, ": {message}; the file was not marked as uploaded")
            }
            UploadError::UrlExpired { part, expires_at } => write!(
                f,
                "the presigned URL of part {part} expired at {expires_at}; start the upload \
                 again"
            ),
            UploadError::UnexpectedPlan(message) => {
                write!(
                    f,
                    "Polar's upload plan does not match the request: {message}"
                )
            }
            UploadError::Api(err) => write!(f, "{err}"),
        }
    }
}

impl std::error::Error for UploadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            UploadError::Io { source, .. } => Some(source),
            UploadError::Api(err) => Some(err),
            _ => None,
        }
    }
}

impl From<crate::Error> for UploadError {
    fn from(err: crate::Error) -> Self {
        UploadError::Api(err)
    }
}
