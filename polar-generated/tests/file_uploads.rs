//! Multi-part file uploads against a loopback mock of Polar and of the storage.

mod uploads_support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use polar::models::{FileRead, FileServiceTypes};
use polar::uploads::{UploadError, UploadPhase, UploadProgress, UploadSource};
use polar::RetryPolicy;
use uploads_support::{content, sha256_b64, MockPolar, Put, Storage, FILE_ID};

const MIB: usize = 1024 * 1024;

fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy::new()
        .max_retries(max_retries)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
}

/// Every (part, attempt status) the storage saw, sorted.
fn attempts(puts: &[Put]) -> Vec<(u32, u16)> {
    let mut seen: Vec<_> = puts.iter().map(|p| (p.part, p.status)).collect();
    seen.sort();
    seen
}

#[tokio::test]
async fn bytes_upload_plans_checksums_and_completes_with_every_etag() {
    let mock = MockPolar::start(Storage::default()).await;
    let data = content(12 * MIB + 3);
    let reports = Arc::new(Mutex::new(Vec::<UploadProgress>::new()));
    let sink = reports.clone();
    let client = mock.client();
    let file = client
        .files()
        .upload(UploadSource::bytes(data.clone()), "application/pdf")
        .name("ebook.pdf")
        .part_size(5 * MIB as u64)
        .concurrency(2)
        .on_progress(move |p| sink.lock().unwrap().push(*p))
        .send()
        .await
        .unwrap();
    assert!(matches!(&file, FileRead::Downloadable(f) if f.is_uploaded));

    let create = &mock.bodies("/v1/files/").await[0];
    let ranges = [(0, 5 * MIB), (5 * MIB, 10 * MIB), (10 * MIB, 12 * MIB + 3)];
    let expected_parts: Vec<_> = ranges
        .iter()
        .enumerate()
        .map(|(i, &(start, end))| {
            serde_json::json!({"number": i + 1, "chunk_start": start, "chunk_end": end,
                "checksum_sha256_base64": sha256_b64(&data[start..end])})
        })
        .collect();
    assert_eq!(
        create,
        &serde_json::json!({
            "name": "ebook.pdf", "mime_type": "application/pdf", "size": data.len(),
            "checksum_sha256_base64": sha256_b64(&data),
            "upload": {"parts": expected_parts}, "service": "downloadable"
        })
    );

    let puts = mock.puts();
    assert_eq!(attempts(&puts), [(1, 200), (2, 200), (3, 200)]);
    for put in &puts {
        let (start, end) = ranges[put.part as usize - 1];
        assert_eq!(put.len, end - start);
        assert_eq!(put.body_sha256, sha256_b64(&data[start..end]));
        assert_eq!(put.checksum_header.as_ref(), Some(&put.body_sha256));
    }

    let completed = &mock.bodies(&format!("/v1/files/{FILE_ID}/uploaded")).await[0];
    let expected_completed: Vec<_> = ranges
        .iter()
        .enumerate()
        .map(|(i, &(start, end))| {
            serde_json::json!({"number": i + 1, "checksum_etag": format!("\"etag-{}\"", i + 1),
                "checksum_sha256_base64": sha256_b64(&data[start..end])})
        })
        .collect();
    assert_eq!(
        completed,
        &serde_json::json!({"id": "s3-upload-id", "path": "org/file/key",
            "parts": expected_completed})
    );

    let reports = reports.lock().unwrap();
    let last_checksum = reports
        .iter()
        .rfind(|p| p.phase == UploadPhase::Checksums)
        .unwrap();
    assert_eq!(last_checksum.bytes, data.len() as u64);
    let parts: Vec<_> = reports
        .iter()
        .filter(|p| p.phase == UploadPhase::Parts)
        .map(|p| p.parts_done)
        .collect();
    assert_eq!(parts, [1, 2, 3]);
    let last = reports.last().unwrap();
    assert_eq!(
        (last.phase, last.bytes, last.parts_done, last.parts_total),
        (UploadPhase::Completed, data.len() as u64, 3, 3)
    );
}

#[tokio::test]
async fn path_upload_streams_the_file_and_names_it() {
    let mock = MockPolar::start(Storage::default()).await;
    let data = content(6 * MIB + 10);
    let dir = std::env::temp_dir().join(format!("polar-upload-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file_path = dir.join("cover.png");
    std::fs::write(&file_path, &data).unwrap();

    let result = mock
        .client()
        .files()
        .upload(UploadSource::path(&file_path), "image/png")
        .service(FileServiceTypes::ProductMedia)
        .part_size(5 * MIB as u64)
        .send()
        .await;
    std::fs::remove_dir_all(&dir).unwrap();
    result.unwrap();

    let create = &mock.bodies("/v1/files/").await[0];
    assert_eq!(create["name"], "cover.png");
    assert_eq!(create["service"], "product_media");
    assert_eq!(create["checksum_sha256_base64"], sha256_b64(&data));
    let mut puts = mock.puts();
    puts.sort_by_key(|p| p.part);
    let sums: Vec<_> = puts.iter().map(|p| p.body_sha256.clone()).collect();
    assert_eq!(
        sums,
        [sha256_b64(&data[..5 * MIB]), sha256_b64(&data[5 * MIB..])]
    );
}

#[tokio::test]
async fn reader_of_the_wrong_size_is_rejected_before_anything_is_created() {
    let mock = MockPolar::start(Storage::default()).await;
    let data = content(MIB);
    for declared in [MIB as u64 + 1, MIB as u64 - 1] {
        let reader = std::io::Cursor::new(data.clone());
        let err = mock
            .client()
            .files()
            .upload(UploadSource::reader(reader, declared), "text/plain")
            .name("notes.txt")
            .send()
            .await
            .unwrap_err();
        match err {
            UploadError::SizeMismatch {
                declared: d,
                actual,
            } => {
                assert_eq!(d, declared);
                assert!(actual > declared || actual == MIB as u64, "{actual}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(mock.server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn flaky_part_is_retried_and_the_others_sent_once() {
    let storage = Storage {
        failures: [(2, vec![(503, "Slow Down")])].into(),
        ..Storage::default()
    };
    let mock = MockPolar::start(storage).await;
    let data = content(11 * MIB);
    mock.client()
        .files()
        .upload(UploadSource::bytes(data), "application/zip")
        .name("a.zip")
        .part_size(5 * MIB as u64)
        .part_retry_policy(fast_retries(2))
        .send()
        .await
        .unwrap();
    assert_eq!(
        attempts(&mock.puts()),
        [(1, 200), (2, 200), (2, 503), (3, 200)]
    );
    let completed = &mock.bodies(&format!("/v1/files/{FILE_ID}/uploaded")).await[0];
    assert_eq!(completed["parts"][1]["checksum_etag"], "\"etag-2\"");
}

#[tokio::test]
async fn part_failing_after_retries_is_named_and_nothing_is_marked_uploaded() {
    let storage = Storage {
        failures: [(2, vec![(500, "InternalError"); 5])].into(),
        ..Storage::default()
    };
    let mock = MockPolar::start(storage).await;
    let err = mock
        .client()
        .files()
        .upload(UploadSource::bytes(content(11 * MIB)), "application/zip")
        .name("a.zip")
        .part_size(5 * MIB as u64)
        .concurrency(1)
        .part_retry_policy(fast_retries(2))
        .send()
        .await
        .unwrap_err();
    match &err {
        UploadError::PartFailed {
            part,
            attempts,
            status,
            message,
        } => {
            assert_eq!((*part, *attempts, *status), (2, 3, Some(500)));
            assert!(message.contains("InternalError"), "{message}");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(err.part(), Some(2));
    assert!(
        err.to_string().contains("part 2 failed after 3 attempts"),
        "{err}"
    );
    let part_two = mock.puts().iter().filter(|p| p.part == 2).count();
    assert_eq!(part_two, 3);
    assert!(mock
        .bodies(&format!("/v1/files/{FILE_ID}/uploaded"))
        .await
        .is_empty());
}

#[tokio::test]
async fn expired_presigned_url_is_reported_without_sending() {
    let mock = MockPolar::start(Storage {
        expires_in: -5,
        ..Storage::default()
    })
    .await;
    let err = mock
        .client()
        .files()
        .upload(UploadSource::bytes(content(100)), "text/plain")
        .name("a.txt")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, UploadError::UrlExpired { part: 1, .. }),
        "{err:?}"
    );
    assert!(mock.puts().is_empty());
    assert!(mock
        .bodies(&format!("/v1/files/{FILE_ID}/uploaded"))
        .await
        .is_empty());
}

#[tokio::test]
async fn storage_saying_expired_is_not_retried() {
    let storage = Storage {
        failures: [(
            1,
            vec![(
                403,
                "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>",
            )],
        )]
        .into(),
        ..Storage::default()
    };
    let mock = MockPolar::start(storage).await;
    let err = mock
        .client()
        .files()
        .upload(UploadSource::bytes(content(100)), "text/plain")
        .name("a.txt")
        .part_retry_policy(fast_retries(3))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, UploadError::UrlExpired { part: 1, .. }),
        "{err:?}"
    );
    assert_eq!(mock.puts().len(), 1);
}

#[tokio::test]
async fn bad_options_fail_before_any_request() {
    let mock = MockPolar::start(Storage::default()).await;
    let client = mock.client();
    let upload = |source| client.files().upload(source, "text/plain");
    let cases = [
        upload(UploadSource::bytes(vec![1u8]))
            .name("a")
            .part_size(MIB as u64),
        upload(UploadSource::bytes(vec![1u8])),
        upload(UploadSource::bytes(vec![1u8]))
            .name("a")
            .concurrency(0),
        upload(UploadSource::bytes(vec![1u8]))
            .name("a")
            .service(FileServiceTypes::from("brand_new_service")),
    ];
    for builder in cases {
        let err = builder.send().await.unwrap_err();
        assert!(matches!(err, UploadError::InvalidInput(_)), "{err:?}");
    }
    let missing = upload(UploadSource::path("/nonexistent/polar-upload-test.bin"))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(missing, UploadError::Io { path: Some(_), .. }),
        "{missing:?}"
    );
    assert!(mock.server.received_requests().await.unwrap().is_empty());
}

/// A transport error's text names the URL; a presigned one carries its signature.
#[tokio::test]
async fn network_error_never_shows_the_presigned_url() {
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let mock = MockPolar::start_with_storage_at(
        wiremock::MockServer::start().await,
        Storage::default(),
        closed,
    )
    .await;
    let err = mock
        .client()
        .files()
        .upload(UploadSource::bytes(content(100)), "text/plain")
        .name("a.txt")
        .part_retry_policy(fast_retries(1))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, UploadError::PartFailed { part: 1, .. }),
        "{err:?}"
    );
    for text in [format!("{err:?}"), err.to_string()] {
        assert!(!text.contains("X-Amz-Signature"), "{text}");
        assert!(!text.contains("/storage/part/"), "{text}");
    }
}
