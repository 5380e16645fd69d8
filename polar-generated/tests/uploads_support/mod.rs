//! A loopback mock of Polar's file endpoints and of the storage they presign, shared by
//! the upload tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

pub const FILE_ID: &str = "11111111-1111-4111-8111-111111111111";
pub const ORG_ID: &str = "22222222-2222-4222-8222-222222222222";

/// How the storage answers the PUTs of one part, attempt by attempt (then 200).
#[derive(Clone, Default)]
pub struct Storage {
    /// Statuses for the first attempts of a part number; later attempts succeed.
    pub failures: BTreeMap<u32, Vec<(u16, &'static str)>>,
    /// Seconds from now until the presigned URLs expire (negative: already expired).
    pub expires_in: i64,
}

/// What the storage saw: one entry per PUT attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Put {
    pub part: u32,
    /// base64 SHA-256 of the received body.
    pub body_sha256: String,
    pub len: usize,
    /// The `x-amz-checksum-sha256` header sent.
    pub checksum_header: Option<String>,
    pub status: u16,
}

pub struct MockPolar {
    pub server: MockServer,
    pub puts: Arc<Mutex<Vec<Put>>>,
}

pub fn sha256_b64(bytes: &[u8]) -> String {
    STANDARD.encode(Sha256::digest(bytes))
}

impl MockPolar {
    pub async fn start(storage: Storage) -> Self {
        Self::start_on(MockServer::start().await, storage).await
    }

    pub async fn start_on(server: MockServer, storage: Storage) -> Self {
        let base = server.uri();
        Self::start_with_storage_at(server, storage, base).await
    }

    /// Like [`MockPolar::start_on`], with the presigned URLs pointing at `storage_base`
    /// (another server answering `PUT /storage/part/{n}`).
    pub async fn start_with_storage_at(
        server: MockServer,
        storage: Storage,
        storage_base: String,
    ) -> Self {
        let base = storage_base;
        let expires_in = if storage.expires_in == 0 {
            3600
        } else {
            storage.expires_in
        };
        Mock::given(method("POST"))
            .and(path("/v1/files/"))
            .respond_with(move |request: &Request| {
                let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
                let expires_at = chrono::Utc::now() + chrono::Duration::seconds(expires_in);
                let parts: Vec<serde_json::Value> = body["upload"]["parts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|part| {
                        let mut headers = serde_json::Map::new();
                        if let Some(sum) = part["checksum_sha256_base64"].as_str() {
                            headers.insert("x-amz-checksum-sha256".into(), sum.into());
                            headers.insert("x-amz-sdk-checksum-algorithm".into(), "SHA256".into());
                        }
                        serde_json::json!({
                            "number": part["number"], "chunk_start": part["chunk_start"],
                            "chunk_end": part["chunk_end"],
                            "checksum_sha256_base64": part["checksum_sha256_base64"],
                            "url": format!("{base}/storage/part/{}?X-Amz-Signature=abc", part["number"]),
                            "expires_at": expires_at.to_rfc3339(),
                            "headers": headers,
                        })
                    })
                    .collect();
                ResponseTemplate::new(201).set_body_json(serde_json::json!({
                    "id": FILE_ID, "organization_id": ORG_ID, "name": body["name"],
                    "path": "org/file/key", "mime_type": body["mime_type"], "size": body["size"],
                    "storage_version": null, "checksum_etag": null,
                    "checksum_sha256_base64": body["checksum_sha256_base64"],
                    "checksum_sha256_hex": null, "last_modified_at": null,
                    "upload": {"id": "s3-upload-id", "path": "org/file/key", "parts": parts},
                    "version": null, "is_uploaded": false, "service": body["service"],
                    "size_readable": "some MB"
                }))
            })
            .mount(&server)
            .await;

        let puts = Arc::new(Mutex::new(Vec::new()));
        let seen = puts.clone();
        let failures = Arc::new(Mutex::new(storage.failures));
        Mock::given(method("PUT"))
            .and(path_regex(r"^/storage/part/\d+$"))
            .respond_with(move |request: &Request| {
                let part: u32 = request
                    .url
                    .path()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
                let failure = failures
                    .lock()
                    .unwrap()
                    .get_mut(&part)
                    .and_then(|queue| (!queue.is_empty()).then(|| queue.remove(0)));
                let status = failure.map_or(200, |(status, _)| status);
                seen.lock().unwrap().push(Put {
                    part,
                    body_sha256: sha256_b64(&request.body),
                    len: request.body.len(),
                    checksum_header: request
                        .headers
                        .get("x-amz-checksum-sha256")
                        .map(|v| v.to_str().unwrap().to_owned()),
                    status,
                });
                match failure {
                    Some((status, body)) => ResponseTemplate::new(status).set_body_string(body),
                    None => ResponseTemplate::new(200)
                        .insert_header("ETag", format!("\"etag-{part}\"").as_str()),
                }
            })
            .mount(&server)
            .await;

        Mock::given(method("POST"))
            .and(path(format!("/v1/files/{FILE_ID}/uploaded")))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "id": FILE_ID, "organization_id": ORG_ID, "name": "x", "path": "org/file/key",
                "mime_type": "application/pdf", "size": 1, "storage_version": null,
                "checksum_etag": "\"multi-etag\"", "checksum_sha256_base64": null,
                "checksum_sha256_hex": null, "last_modified_at": null, "version": null,
                "service": "downloadable", "is_uploaded": true,
                "created_at": "2026-12-05T10:00:00Z", "flagged_malicious_at": null,
                "size_readable": "1 B"
            })))
            .mount(&server)
            .await;
        MockPolar { server, puts }
    }

    pub fn client(&self) -> polar::Client {
        let http = polar::client::reqwest::Client::builder()
            .no_proxy()
            .build()
            .unwrap();
        polar::Client::builder()
            .http_client(http)
            .base_url(self.server.uri())
            .access_token("polar_oat_test")
            .build()
            .unwrap()
    }

    /// The JSON bodies Polar received at `path`.
    pub async fn bodies(&self, at: &str) -> Vec<serde_json::Value> {
        self.server
            .received_requests()
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.url.path() == at)
            .map(|r| serde_json::from_slice(&r.body).unwrap())
            .collect()
    }

    pub fn puts(&self) -> Vec<Put> {
        self.puts.lock().unwrap().clone()
    }
}

/// Deterministic test content: byte `i` is a mix of `i`'s bits, so parts differ.
pub fn content(len: usize) -> Vec<u8> {
    (0..len).map(|i| byte_at(i as u64)).collect()
}

pub fn byte_at(i: u64) -> u8 {
    (i.wrapping_mul(2_654_435_761) >> 13) as u8 ^ (i >> 20) as u8
}
