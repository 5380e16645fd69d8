//! `client.files().upload(…)`: checksums, `files:create`, part PUTs, `files:uploaded`.

use std::fmt;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::stream::{self, StreamExt, TryStreamExt};

use super::plan::{plan_parts, PartRange, DEFAULT_PART_SIZE};
use super::source::{Checksums, UploadSource};
use super::storage::put_part;
use super::UploadError;
use crate::models::{
    DownloadableFileCreate, FileCreate, FileRead, FileServiceTypes, FileUpload,
    FileUploadCompleted, OrganizationAvatarFileCreate, ProductMediaFileCreate,
    S3FileCreateMultipart, S3FileCreatePart, S3FileUploadCompletedPart, S3FileUploadPart,
    SupportCaseAttachmentFileCreate,
};
use crate::services::files::Files;
use crate::{Client, RetryPolicy};

/// Parts uploaded at the same time unless configured.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// Time allowed for one attempt at one part unless configured.
pub const DEFAULT_PART_TIMEOUT: Duration = Duration::from_secs(300);

/// Which stage an [`UploadProgress`] reports on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UploadPhase {
    /// Reading the content once to compute the SHA-256 checksums.
    Checksums,
    /// Sending the parts to storage.
    Parts,
    /// `files:uploaded` accepted the upload.
    Completed,
}

/// Progress of an upload, passed to [`FileUploadBuilder::on_progress`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct UploadProgress {
    /// The current stage.
    pub phase: UploadPhase,
    /// Bytes done in this stage (read for checksums, or in stored parts).
    pub bytes: u64,
    /// The file's size.
    pub total_bytes: u64,
    /// Parts stored so far.
    pub parts_done: u32,
    /// Number of parts.
    pub parts_total: u32,
}

type ProgressCallback = Arc<dyn Fn(&UploadProgress) + Send + Sync>;

impl<'a> Files<'a> {
    /// Uploads a file end to end and returns it once Polar has marked it uploaded: reads
    /// the content for its SHA-256 checksums (per part and whole), creates the file with
    /// its multipart plan (`files:create`), PUTs the parts to their presigned URLs
    /// concurrently with retries, and completes it with every part's ETag and checksum
    /// (`files:uploaded`). The content is streamed: at most `concurrency` parts are in
    /// memory at once.
    ///
    /// The file's `service` defaults to `downloadable` (a downloadable benefit); set it
    /// with [`FileUploadBuilder::service`] for product media or an organization avatar.
    ///
    /// ```no_run
    /// # async fn run(client: polar::Client) -> Result<(), polar::uploads::UploadError> {
    /// use polar::uploads::UploadSource;
    ///
    /// let file = client
    ///     .files()
    ///     .upload(UploadSource::path("ebook.pdf"), "application/pdf")
    ///     .on_progress(|p| eprintln!("{:?} {}/{} bytes", p.phase, p.bytes, p.total_bytes))
    ///     .send()
    ///     .await?;
    /// # let _ = file; Ok(()) }
    /// ```
    pub fn upload(
        &self,
        source: UploadSource,
        mime_type: impl Into<String>,
    ) -> FileUploadBuilder<'a> {
        FileUploadBuilder {
            client: self.client,
            source,
            mime_type: mime_type.into(),
            service: FileServiceTypes::Downloadable,
            name: None,
            organization_id: None,
            version: None,
            part_size: DEFAULT_PART_SIZE,
            concurrency: DEFAULT_CONCURRENCY,
            retry: RetryPolicy::default(),
            part_timeout: DEFAULT_PART_TIMEOUT,
            on_progress: None,
        }
    }
}

/// A file upload being configured; from [`Files::upload`]. Nothing happens until
/// [`send`](Self::send) is awaited.
#[must_use = "an upload does nothing until `.send()` is awaited"]
pub struct FileUploadBuilder<'a> {
    client: &'a Client,
    source: UploadSource,
    mime_type: String,
    service: FileServiceTypes,
    name: Option<String>,
    organization_id: Option<uuid::Uuid>,
    version: Option<String>,
    part_size: u64,
    concurrency: usize,
    retry: RetryPolicy,
    part_timeout: Duration,
    on_progress: Option<ProgressCallback>,
}

impl fmt::Debug for FileUploadBuilder<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileUploadBuilder")
            .field("source", &self.source)
            .field("mime_type", &self.mime_type)
            .field("service", &self.service)
            .field("name", &self.name)
            .field("organization_id", &self.organization_id)
            .field("part_size", &self.part_size)
            .field("concurrency", &self.concurrency)
            .field("retry", &self.retry)
            .field("part_timeout", &self.part_timeout)
            .finish_non_exhaustive()
    }
}

impl<'a> FileUploadBuilder<'a> {
    /// What the file is for: `Downloadable` (default), `ProductMedia` (images up to
    /// 10 MB), `OrganizationAvatar` (images up to 1 MB) or `SupportCaseAttachment`.
    pub fn service(mut self, service: FileServiceTypes) -> Self {
        self.service = service;
        self
    }

    /// The file's name (default: the file name of a path source; required otherwise).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The organization owning the file (needed with a user token, implied by an
    /// organization token).
    pub fn organization_id(mut self, id: uuid::Uuid) -> Self {
        self.organization_id = Some(id);
        self
    }

    /// A version label stored with the file.
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = Some(version.into());
        self
    }

    /// Bytes per part, from 5 MiB to 5 GiB (S3's limits; default 8 MiB). Grown
    /// automatically when the file would need more than 10,000 parts.
    pub fn part_size(mut self, bytes: u64) -> Self {
        self.part_size = bytes;
        self
    }

    /// Parts uploaded at the same time (default 4, at least 1); also the number of parts
    /// held in memory at most.
    pub fn concurrency(mut self, parts: usize) -> Self {
        self.concurrency = parts;
        self
    }

    /// Retries of a failed part (network errors, timeouts, HTTP 408, 429 and 5xx) and
    /// their backoff (default [`RetryPolicy::default`]: 2 retries).
    pub fn part_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Time allowed for one attempt at one part (default 5 minutes).
    pub fn part_timeout(mut self, timeout: Duration) -> Self {
        self.part_timeout = timeout;
        self
    }

    /// Calls `callback` as the checksums are computed (every 64 KiB read), after each
    /// stored part, and once completed; e.g. to draw a progress bar.
    pub fn on_progress(
        mut self,
        callback: impl Fn(&UploadProgress) + Send + Sync + 'static,
    ) -> Self {
        self.on_progress = Some(Arc::new(callback));
        self
    }

    /// Runs the upload and returns the uploaded file. On error the file is never marked
    /// uploaded (see [`UploadError`]).
    pub async fn send(self) -> Result<FileRead, UploadError> {
        if self.concurrency == 0 {
            return Err(UploadError::InvalidInput(
                "the concurrency must be at least 1".into(),
            ));
        }
        let name = match self.name.clone().or_else(|| self.source.file_name()) {
            Some(name) if !name.trim().is_empty() => name,
            _ => {
                return Err(UploadError::InvalidInput(
                    "the upload needs a file name".into(),
                ))
            }
        };
        if self.mime_type.trim().is_empty() {
            return Err(UploadError::InvalidInput("the MIME type is empty".into()));
        }
        let FileUploadBuilder {
            client,
            source,
            mime_type,
            service,
            organization_id,
            version,
            part_size,
            concurrency,
            retry,
            part_timeout,
            on_progress,
            ..
        } = self;
        let source = source.open().await?;
        let plan = plan_parts(source.size, part_size)?;
        let progress = Progress::new(on_progress, source.size, plan.len() as u32);

        let checksums = source
            .checksums(&plan, |bytes| {
                progress.report(UploadPhase::Checksums, bytes, 0)
            })
            .await?;
        let create = Request {
            name,
            mime_type,
            organization_id,
            version,
            size: source.size,
        }
        .file_create(service, &plan, &checksums)?;
        let file = client.files().create(create).send().await?;
        let targets = match_plan(&file, &plan)?;

        let done_bytes = AtomicU64::new(0);
        let done_parts = AtomicU32::new(0);
        let source = &source;
        let http = client.http_client();
        let (retry, progress, done_bytes, done_parts) =
            (&retry, &progress, &done_bytes, &done_parts);
        let mut parts: Vec<S3FileUploadCompletedPart> = stream::iter(plan.iter().zip(targets))
            .map(|(range, target)| {
                let checksum = checksums.parts[range.number as usize - 1].clone();
                async move {
                    let body = source.read_part(range).await?;
                    let etag =
                        put_part(http, target, range.number, body, retry, part_timeout).await?;
                    let bytes = done_bytes.fetch_add(range.len(), Ordering::SeqCst) + range.len();
                    let parts = done_parts.fetch_add(1, Ordering::SeqCst) + 1;
                    progress.report(UploadPhase::Parts, bytes, parts);
                    Ok::<_, UploadError>(S3FileUploadCompletedPart {
                        number: i64::from(range.number),
                        checksum_etag: etag,
                        checksum_sha256_base64: Some(checksum),
                    })
                }
            })
            .buffer_unordered(concurrency)
            .try_collect()
            .await?;
        parts.sort_by_key(|part| part.number);

        let completed = FileUploadCompleted {
            id: file.upload.id.clone(),
            path: file.upload.path.clone(),
            parts,
        };
        let read = client.files().uploaded(file.id, completed).send().await?;
        progress.report(UploadPhase::Completed, source.size, plan.len() as u32);
        Ok(read)
    }
}

/// The fields every `files:create` variant shares.
struct Request {
    name: String,
    mime_type: String,
    organization_id: Option<uuid::Uuid>,
    version: Option<String>,
    size: u64,
}

impl Request {
    fn file_create(
        self,
        service: FileServiceTypes,
        plan: &[PartRange],
        checksums: &Checksums,
    ) -> Result<FileCreate, UploadError> {
        let size = i64::try_from(self.size)
            .map_err(|_| UploadError::InvalidInput(format!("{} bytes is too large", self.size)))?;
        let upload = S3FileCreateMultipart {
            parts: plan
                .iter()
                .zip(&checksums.parts)
                .map(|(range, checksum)| S3FileCreatePart {
                    number: i64::from(range.number),
                    chunk_start: range.start as i64,
                    chunk_end: range.end as i64,
                    checksum_sha256_base64: Some(Some(checksum.clone())),
                })
                .collect(),
        };
        macro_rules! create {
            ($variant:ident, $model:ident) => {
                FileCreate::$variant(Box::new($model {
                    organization_id: self.organization_id.map(Some),
                    name: self.name,
                    mime_type: self.mime_type,
                    size,
                    checksum_sha256_base64: Some(Some(checksums.whole.clone())),
                    upload,
                    service: Default::default(),
                    version: self.version.map(Some),
                }))
            };
        }
        Ok(match service {
            FileServiceTypes::Downloadable => create!(Downloadable, DownloadableFileCreate),
            FileServiceTypes::ProductMedia => create!(ProductMedia, ProductMediaFileCreate),
            FileServiceTypes::OrganizationAvatar => {
                create!(OrganizationAvatar, OrganizationAvatarFileCreate)
            }
            FileServiceTypes::SupportCaseAttachment => {
                create!(SupportCaseAttachment, SupportCaseAttachmentFileCreate)
            }
            other => {
                return Err(UploadError::InvalidInput(format!(
                    "this crate cannot create files for the service {other}"
                )))
            }
        })
    }
}

/// Polar's presigned part for each planned part, checked to cover the same bytes.
fn match_plan<'f>(
    file: &'f FileUpload,
    plan: &[PartRange],
) -> Result<Vec<&'f S3FileUploadPart>, UploadError> {
    let parts = &file.upload.parts;
    if parts.len() != plan.len() {
        return Err(UploadError::UnexpectedPlan(format!(
            "asked for {} parts, got {}",
            plan.len(),
            parts.len()
        )));
    }
    plan.iter()
        .map(|range| {
            let part = parts
                .iter()
                .find(|part| part.number == i64::from(range.number))
                .ok_or_else(|| {
                    UploadError::UnexpectedPlan(format!("part {} is missing", range.number))
                })?;
            if part.chunk_start != range.start as i64 || part.chunk_end != range.end as i64 {
                return Err(UploadError::UnexpectedPlan(format!(
                    "part {} covers bytes {}..{}, not {}..{}",
                    range.number, part.chunk_start, part.chunk_end, range.start, range.end
                )));
            }
            Ok(part)
        })
        .collect()
}

/// Forwards progress to the caller's callback, if any.
struct Progress {
    callback: Option<ProgressCallback>,
    total_bytes: u64,
    parts_total: u32,
}

impl Progress {
    fn new(callback: Option<ProgressCallback>, total_bytes: u64, parts_total: u32) -> Self {
        Progress {
            callback,
            total_bytes,
            parts_total,
        }
    }

    fn report(&self, phase: UploadPhase, bytes: u64, parts_done: u32) {
        if let Some(callback) = &self.callback {
            callback(&UploadProgress {
                phase,
                bytes,
                total_bytes: self.total_bytes,
                parts_done,
                parts_total: self.parts_total,
            });
        }
    }
}
