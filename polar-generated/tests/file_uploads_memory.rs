//! A large upload keeps memory bounded: the content is generated on the fly by a
//! seekable reader (it never exists whole anywhere), the storage is a small streaming
//! server that hashes bodies as they arrive, and a counting allocator records the
//! process's peak heap use during the upload. Alone in its test binary so no other test
//! allocates meanwhile.

mod uploads_support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::SeekFrom;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};

use polar::uploads::UploadSource;
use tokio::io::{AsyncRead, AsyncSeek, ReadBuf};
use uploads_support::{byte_at, MockPolar, Put, Storage};
use wiremock::MockServer;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, counting live bytes and their peak.
struct Counting;

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = System.alloc(layout);
        if !ptr.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
            PEAK.fetch_max(now, Ordering::SeqCst);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        CURRENT.fetch_sub(layout.size(), Ordering::SeqCst);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// `size` bytes of [`byte_at`], computed as they are read.
struct Generated {
    size: u64,
    position: u64,
}

impl AsyncRead for Generated {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let left = self.size.saturating_sub(self.position);
        let n = (buf.remaining() as u64).min(left) as usize;
        let start = self.position;
        let bytes: Vec<u8> = (start..start + n as u64).map(byte_at).collect();
        buf.put_slice(&bytes);
        self.position += n as u64;
        Poll::Ready(Ok(()))
    }
}

impl AsyncSeek for Generated {
    fn start_seek(mut self: Pin<&mut Self>, position: SeekFrom) -> std::io::Result<()> {
        match position {
            SeekFrom::Start(at) => {
                self.position = at;
                Ok(())
            }
            _ => Err(std::io::Error::other("only SeekFrom::Start is used")),
        }
    }

    fn poll_complete(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<u64>> {
        Poll::Ready(Ok(self.position))
    }
}

type Puts = Arc<Mutex<Vec<Put>>>;

/// Stores a part by hashing its body chunk by chunk, never holding it whole.
async fn store_part(
    State(puts): State<Puts>,
    Path(part): Path<u32>,
    headers: HeaderMap,
    body: Body,
) -> impl IntoResponse {
    let mut hasher = Sha256::new();
    let mut len = 0;
    let mut chunks = body.into_data_stream();
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.unwrap();
        len += chunk.len();
        hasher.update(&chunk);
    }
    use base64::Engine as _;
    puts.lock().unwrap().push(Put {
        part,
        body_sha256: base64::engine::general_purpose::STANDARD.encode(hasher.finalize()),
        len,
        checksum_header: headers
            .get("x-amz-checksum-sha256")
            .map(|v| v.to_str().unwrap().to_owned()),
        status: 200,
    });
    ([("etag", format!("\"etag-{part}\""))], "")
}

/// A loopback storage server; returns its base URL and what it stored.
async fn streaming_storage() -> (String, Puts) {
    let puts = Puts::default();
    let app = axum::Router::new()
        .route("/storage/part/{part}", axum::routing::put(store_part))
        .with_state(puts.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, puts)
}

#[tokio::test]
async fn large_upload_keeps_memory_bounded() {
    const MIB: u64 = 1024 * 1024;
    const SIZE: u64 = 64 * MIB;
    const PART: u64 = 5 * MIB;
    const CONCURRENCY: usize = 2;
    let server = MockServer::builder()
        .disable_request_recording()
        .start()
        .await;
    let (storage_base, stored) = streaming_storage().await;
    let mock = MockPolar::start_with_storage_at(server, Storage::default(), storage_base).await;
    let client = mock.client();
    let baseline = CURRENT.load(Ordering::SeqCst);
    PEAK.store(baseline, Ordering::SeqCst);

    let source = UploadSource::reader(
        Generated {
            size: SIZE,
            position: 0,
        },
        SIZE,
    );
    client
        .files()
        .upload(source, "application/octet-stream")
        .name("big.bin")
        .part_size(PART)
        .concurrency(CONCURRENCY)
        .send()
        .await
        .unwrap();

    let peak = PEAK.load(Ordering::SeqCst) - baseline;
    println!(
        "upload of {} MiB in {} MiB parts, concurrency {CONCURRENCY}: peak heap {:.1} MiB \
         (client and mock storage together)",
        SIZE / MIB,
        PART / MIB,
        peak as f64 / MIB as f64
    );
    // The client holds at most CONCURRENCY parts (plus the one being read); allow
    // twice that. Loading the file whole would need SIZE.
    let bound = 2 * (CONCURRENCY as u64 + 1) * PART;
    assert!(
        (peak as u64) < bound,
        "peak heap {peak} bytes exceeds {bound}"
    );

    let mut puts = stored.lock().unwrap().clone();
    puts.sort_by_key(|p| p.part);
    assert_eq!(puts.len() as u64, SIZE.div_ceil(PART));
    for (index, put) in puts.iter().enumerate() {
        assert_eq!(put.part as usize, index + 1);
        let expected = PART.min(SIZE - index as u64 * PART);
        assert_eq!(put.len as u64, expected);
        assert_eq!(put.checksum_header.as_ref(), Some(&put.body_sha256));
    }
}
