//! Multi-part file uploads (feature `file-uploads`): `client.files().upload(…)`.
//!
//! Polar stores files in S3 through presigned multipart uploads. [`Files::upload`]
//! does the whole exchange: it plans the parts ([`plan`] limits: 5 MiB to 5 GiB each, at
//! most 10,000), reads the content once for the SHA-256 of each part and of the whole,
//! asks `files:create` for the presigned part URLs, PUTs the parts concurrently (bounded)
//! with retries, and completes with `files:uploaded`, sending every part's ETag and
//! checksum. The content is streamed from bytes, a path or a seekable reader
//! ([`UploadSource`]); progress is reported through a callback.
//!
//! [`Files::upload`]: crate::services::files::Files::upload

mod error;
pub mod plan;
mod source;
mod storage;
mod upload;

pub use error::UploadError;
pub use source::{SeekableReader, UploadSource};
pub use upload::{
    FileUploadBuilder, UploadPhase, UploadProgress, DEFAULT_CONCURRENCY, DEFAULT_PART_TIMEOUT,
};
