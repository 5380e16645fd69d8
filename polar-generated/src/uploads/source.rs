//! Where the bytes come from, read in a bounded buffer: once to compute the checksums,
//! then once more, part by part, to upload them.

use std::fmt;
use std::io::SeekFrom;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use bytes::{Bytes, BytesMut};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncSeek, AsyncSeekExt};
use tokio::sync::Mutex;

use super::plan::PartRange;
use super::UploadError;

/// Read size of the checksum pass.
const HASH_BUFFER: usize = 64 * 1024;

/// A reader the upload can read twice (checksums first, then the parts).
pub trait SeekableReader: AsyncRead + AsyncSeek + Send + Unpin {}
impl<T: AsyncRead + AsyncSeek + Send + Unpin> SeekableReader for T {}

/// The content of a file to upload.
///
/// Polar needs every part's SHA-256 before it hands out the upload URLs, so the content
/// is read twice, never held whole: a reader must therefore be seekable (a
/// `tokio::fs::File`, a `std::io::Cursor`, …).
pub struct UploadSource {
    kind: Kind,
}

enum Kind {
    Bytes(Bytes),
    Path(PathBuf),
    Reader {
        reader: Box<dyn SeekableReader>,
        size: u64,
    },
}

impl fmt::Debug for UploadSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Bytes(bytes) => write!(f, "UploadSource::Bytes({} bytes)", bytes.len()),
            Kind::Path(path) => write!(f, "UploadSource::Path({})", path.display()),
            Kind::Reader { size, .. } => write!(f, "UploadSource::Reader({size} bytes)"),
        }
    }
}

impl UploadSource {
    /// Bytes already in memory.
    pub fn bytes(bytes: impl Into<Bytes>) -> Self {
        UploadSource {
            kind: Kind::Bytes(bytes.into()),
        }
    }

    /// A file on disk, streamed; its size is read when the upload starts, and its file
    /// name is the default upload name.
    pub fn path(path: impl AsRef<Path>) -> Self {
        UploadSource {
            kind: Kind::Path(path.as_ref().to_owned()),
        }
    }

    /// A seekable reader holding exactly `size` bytes from its current start (position
    /// 0). Fewer or more bytes are reported as [`UploadError::SizeMismatch`].
    pub fn reader(reader: impl AsyncRead + AsyncSeek + Send + Unpin + 'static, size: u64) -> Self {
        UploadSource {
            kind: Kind::Reader {
                reader: Box::new(reader),
                size,
            },
        }
    }

    /// The file name of a path source.
    pub(crate) fn file_name(&self) -> Option<String> {
        match &self.kind {
            Kind::Path(path) => path.file_name().map(|n| n.to_string_lossy().into_owned()),
            _ => None,
        }
    }

    /// Opens the source and learns its size.
    pub(crate) async fn open(self) -> Result<OpenSource, UploadError> {
        match self.kind {
            Kind::Bytes(bytes) => Ok(OpenSource {
                size: bytes.len() as u64,
                content: Content::Bytes(bytes),
                path: None,
            }),
            Kind::Path(path) => {
                let io = |source| UploadError::Io {
                    path: Some(path.clone()),
                    source,
                };
                let file = tokio::fs::File::open(&path).await.map_err(io)?;
                let metadata = file.metadata().await.map_err(io)?;
                if !metadata.is_file() {
                    return Err(UploadError::InvalidInput(format!(
                        "{} is not a regular file",
                        path.display()
                    )));
                }
                Ok(OpenSource {
                    size: metadata.len(),
                    content: Content::Reader(Mutex::new(Box::new(file))),
                    path: Some(path),
                })
            }
            Kind::Reader { reader, size } => Ok(OpenSource {
                size,
                content: Content::Reader(Mutex::new(reader)),
                path: None,
            }),
        }
    }
}

/// An opened source of known size.
pub(crate) struct OpenSource {
    pub size: u64,
    content: Content,
    path: Option<PathBuf>,
}

enum Content {
    Bytes(Bytes),
    /// One reader shared by the part uploads: each locks it, seeks and reads its part.
    Reader(Mutex<Box<dyn SeekableReader>>),
}

/// The SHA-256 of each part and of the whole content, base64 as S3 and Polar expect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Checksums {
    pub parts: Vec<String>,
    pub whole: String,
}

impl OpenSource {
    fn io(&self, source: std::io::Error) -> UploadError {
        UploadError::Io {
            path: self.path.clone(),
            source,
        }
    }

    /// Reads everything once, in order, and returns the checksums; checks that the
    /// content has exactly the declared size. `progress` gets the bytes read so far.
    pub async fn checksums(
        &self,
        parts: &[PartRange],
        mut progress: impl FnMut(u64),
    ) -> Result<Checksums, UploadError> {
        let mut whole = Sha256::new();
        let mut part_sums = Vec::with_capacity(parts.len());
        match &self.content {
            Content::Bytes(bytes) => {
                for part in parts {
                    let chunk = &bytes[part.start as usize..part.end as usize];
                    whole.update(chunk);
                    part_sums.push(STANDARD.encode(Sha256::digest(chunk)));
                    progress(part.end);
                }
            }
            Content::Reader(reader) => {
                let mut reader = reader.lock().await;
                reader
                    .seek(SeekFrom::Start(0))
                    .await
                    .map_err(|e| self.io(e))?;
                let mut buffer = vec![0u8; HASH_BUFFER];
                let mut done = 0u64;
                for part in parts {
                    let mut hasher = Sha256::new();
                    let mut left = part.len();
                    while left > 0 {
                        let want = left.min(HASH_BUFFER as u64) as usize;
                        let n = reader
                            .read(&mut buffer[..want])
                            .await
                            .map_err(|e| self.io(e))?;
                        if n == 0 {
                            return Err(UploadError::SizeMismatch {
                                declared: self.size,
                                actual: done,
                            });
                        }
                        hasher.update(&buffer[..n]);
                        whole.update(&buffer[..n]);
                        done += n as u64;
                        left -= n as u64;
                        progress(done);
                    }
                    part_sums.push(STANDARD.encode(hasher.finalize()));
                }
                let extra = reader
                    .read(&mut buffer[..1])
                    .await
                    .map_err(|e| self.io(e))?;
                if extra > 0 {
                    return Err(UploadError::SizeMismatch {
                        declared: self.size,
                        actual: done + extra as u64,
                    });
                }
            }
        }
        Ok(Checksums {
            parts: part_sums,
            whole: STANDARD.encode(whole.finalize()),
        })
    }

    /// The bytes of one part (a zero-copy slice for in-memory content).
    pub async fn read_part(&self, part: &PartRange) -> Result<Bytes, UploadError> {
        match &self.content {
            Content::Bytes(bytes) => Ok(bytes.slice(part.start as usize..part.end as usize)),
            Content::Reader(reader) => {
                let len = part.len() as usize;
                let mut buffer = BytesMut::zeroed(len);
                let mut reader = reader.lock().await;
                reader
                    .seek(SeekFrom::Start(part.start))
                    .await
                    .map_err(|e| self.io(e))?;
                let mut filled = 0;
                while filled < len {
                    let n = reader
                        .read(&mut buffer[filled..])
                        .await
                        .map_err(|e| self.io(e))?;
                    if n == 0 {
                        return Err(UploadError::SizeMismatch {
                            declared: self.size,
                            actual: part.start + filled as u64,
                        });
                    }
                    filled += n;
                }
                Ok(buffer.freeze())
            }
        }
    }
}
